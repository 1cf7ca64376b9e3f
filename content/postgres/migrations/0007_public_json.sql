-- 0007: the public JSON of published stories, rendered at write time
-- (public.go): the whole story, and the story as a list item. A row exists
-- only for a story that is published and not deleted, rendered under
-- render_key (what else the JSON depends on: base URL, zone, shapes).

CREATE TABLE article_public (
    article_id     text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    slug           text NOT NULL UNIQUE,         -- articles.slug when rendered
    render_key     text NOT NULL,
    surrogate_keys text NOT NULL,                -- the story's Surrogate-Key header
    public_json    bytea NOT NULL                -- the exact body of its response
);

CREATE TABLE article_public_items (
    article_id   text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    render_key   text NOT NULL,
    summary_json bytea NOT NULL
);
