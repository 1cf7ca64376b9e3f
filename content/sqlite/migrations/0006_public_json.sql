-- 0006: the public JSON of every published story, rendered at write time.
--
-- A row exists only for a story that is published and not deleted; the
-- write transactions that change what a story's public JSON shows (its own
-- saves and status changes, its tags, its authors, the stories its links
-- point to) re-render or delete the row in the same transaction
-- (content/sqlite/public.go). A missing row, or one whose render_key is not
-- the reader's, makes the delivery API build the JSON from the tables as
-- before.
--
-- The JSON lives in a table of its own rather than in columns of articles:
-- a column added to articles comes after body, body_html, body_text and
-- pages, which spill onto overflow pages, so reading it would walk that
-- chain for every story. Here the small columns and the list item come
-- first in the row.
CREATE TABLE article_public (
    article_id     TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    slug           TEXT NOT NULL UNIQUE,   -- articles.slug when rendered
    render_key     TEXT NOT NULL,          -- what else the JSON depends on (base URL, zone, format)
    surrogate_keys TEXT NOT NULL,          -- the story's Surrogate-Key header
    summary_json   TEXT NOT NULL,          -- the list item, without a trailing newline
    public_json    TEXT NOT NULL           -- the whole story, the exact response body
);

-- Which stories link to a story: their related links change when it is
-- published, withdrawn, deleted or gets a new slug.
CREATE INDEX article_links_target ON article_links (target_article_id) WHERE target_article_id <> '';
