-- 0022: review notes. Sending a story back from review (the reject step)
-- may give a reason, which its author reads in the story list. One row
-- per step that gave one, oldest first; a purged story takes its notes
-- with it.
CREATE TABLE review_notes (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    action     TEXT NOT NULL,                 -- the workflow step, e.g. reject
    text       TEXT NOT NULL,
    by_user    TEXT NOT NULL DEFAULT '',      -- the user's id
    created_at TEXT NOT NULL
);

CREATE INDEX review_notes_article ON review_notes (article_id, id);
