-- 0008: the Trash and review notes. A deleted story keeps its row
-- (deleted_at); it also says who deleted it, and the Trash lists deleted
-- stories, most recently deleted first, and the purge finds those deleted
-- before a time, through one partial index. Sending a story back from
-- review may give a reason, which its author reads in the story list: one
-- row per step that gave one; a purged story takes its notes with it.

ALTER TABLE articles ADD COLUMN deleted_by text NOT NULL DEFAULT '';

CREATE INDEX articles_trash ON articles (deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;

CREATE TABLE review_notes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    action     text NOT NULL,                    -- the workflow step, e.g. reject
    text       text NOT NULL,
    by_user    text NOT NULL DEFAULT '',         -- the user's id
    created_at timestamptz NOT NULL
);

CREATE INDEX review_notes_article ON review_notes (article_id, id);
