-- 0006: the public JSON of every published story, rendered at write time.
--
-- Rows exist only for a story that is published and not deleted; the write
-- transactions that change what a story's public JSON shows (its own saves
-- and status changes, its tags, its authors, the stories its links point
-- to) re-render or delete its rows in the same transaction
-- (content/sqlite/public.go). A missing row, or one whose render_key is not
-- the reader's, makes the delivery API build the JSON from the tables as
-- before.
--
-- The JSON lives in tables of its own rather than in columns of articles:
-- a column added to articles comes after body, body_html, body_text and
-- pages, which spill onto overflow pages, so reading it would walk that
-- chain for every story. List items have a table apart from whole stories
-- so that an item (about a kilobyte) is one small row, several to a page,
-- and a list of twenty touches about twenty pages.

-- The whole story: the body of GET /api/v1/articles/{slug}.
CREATE TABLE article_public (
    article_id     TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    slug           TEXT NOT NULL UNIQUE,   -- articles.slug when rendered
    render_key     TEXT NOT NULL,          -- what else the JSON depends on (base URL, zone, shapes)
    surrogate_keys TEXT NOT NULL,          -- the story's Surrogate-Key header
    public_json    TEXT NOT NULL
);

-- The story as an item of GET /api/v1/articles, without a trailing newline.
CREATE TABLE article_public_items (
    article_id   TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    render_key   TEXT NOT NULL,
    summary_json TEXT NOT NULL
);

-- Which stories link to a story: their related links change when it is
-- published, withdrawn, deleted or gets a new slug.
CREATE INDEX article_links_target ON article_links (target_article_id) WHERE target_article_id <> '';
