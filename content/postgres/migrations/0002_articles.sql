-- 0002: stories with their tags, authors, photos, related links,
-- corrections, revisions, working copies and old slugs.

CREATE TABLE articles (
    id               text PRIMARY KEY,           -- UUIDv7
    slug             text NOT NULL UNIQUE,
    headline         text NOT NULL,
    standfirst       text NOT NULL DEFAULT '',
    dateline_place   text NOT NULL DEFAULT '',
    dateline_tz      text NOT NULL,
    body             text NOT NULL DEFAULT '',   -- markdown, the only source
    body_html        text NOT NULL DEFAULT '',   -- derived at save time
    body_text        text NOT NULL DEFAULT '',
    pages            jsonb NOT NULL DEFAULT '[]', -- array of page HTML
    page_count       integer NOT NULL DEFAULT 0,
    word_count       integer NOT NULL DEFAULT 0,
    reading_minutes  integer NOT NULL DEFAULT 0,
    byline           text NOT NULL DEFAULT '',
    meta_title       text NOT NULL DEFAULT '',
    meta_description text NOT NULL DEFAULT '',
    canonical_url    text NOT NULL DEFAULT '',
    featured         boolean NOT NULL DEFAULT false,
    status           text NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'in_review', 'scheduled', 'published', 'unpublished')),
    version          integer NOT NULL DEFAULT 1,
    publish_at       timestamptz,
    unpublish_at     timestamptz,
    published_at     timestamptz,                -- first publication, set once
    updated_at       timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    created_by       text REFERENCES users (id) ON DELETE SET NULL,
    deleted_at       timestamptz,                -- a deleted story keeps its row and revisions
    search           tsvector                    -- headline, standfirst and body, while published (search.go)
);

-- The delivery API's main read: published, newest first.
CREATE INDEX articles_published ON articles (published_at DESC, id DESC)
    WHERE status = 'published' AND deleted_at IS NULL;
-- The scheduler's reads.
CREATE INDEX articles_publish_due ON articles (publish_at) WHERE status = 'scheduled';
CREATE INDEX articles_unpublish_due ON articles (unpublish_at)
    WHERE status = 'published' AND unpublish_at IS NOT NULL;
CREATE INDEX articles_updated ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_created_by ON articles (created_by);
-- Full-text search over public stories (search is NULL for the others).
CREATE INDEX articles_search ON articles USING gin (search);

-- Old slugs of published stories answer with a redirect to the current one.
CREATE TABLE slug_redirects (
    slug       text PRIMARY KEY,
    article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL
);

CREATE TABLE tags (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL
);

-- published_at mirrors articles.published_at while the story is published
-- and is NULL otherwise, so "published with tag T, newest first" is one
-- index range scan.
CREATE TABLE article_tags (
    article_id   text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id       bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    published_at timestamptz,
    PRIMARY KEY (article_id, tag_id)
);

CREATE INDEX article_tags_published ON article_tags (tag_id, published_at DESC, article_id DESC)
    WHERE published_at IS NOT NULL;

CREATE TABLE article_authors (
    article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position   integer NOT NULL,
    PRIMARY KEY (article_id, user_id)
);

CREATE INDEX article_authors_user ON article_authors (user_id);

CREATE TABLE article_photos (
    article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   integer NOT NULL,
    media_id   text NOT NULL DEFAULT '',
    url        text NOT NULL,
    caption    text NOT NULL DEFAULT '',
    credit     text NOT NULL DEFAULT '',
    alt        text NOT NULL DEFAULT '',
    width      integer NOT NULL DEFAULT 0,
    height     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, position)
);

CREATE INDEX article_photos_media ON article_photos (media_id) WHERE media_id <> '';

CREATE TABLE article_links (
    article_id        text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position          integer NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('related', 'other_media', 'partner')),
    title             text NOT NULL,
    url               text NOT NULL DEFAULT '',
    target_article_id text NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, position)
);

CREATE INDEX article_links_target ON article_links (target_article_id) WHERE target_article_id <> '';

CREATE TABLE corrections (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    text       text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX corrections_article ON corrections (article_id, id);

-- Every save writes the full editable state (content.Edit as JSON).
CREATE TABLE revisions (
    article_id         text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version            integer NOT NULL,
    state              jsonb NOT NULL,
    saved_by           text NOT NULL DEFAULT '',
    saved_at           timestamptz NOT NULL,
    autosave           boolean NOT NULL DEFAULT false,
    started_at         timestamptz,              -- the first save of an autosave run
    sealed             boolean NOT NULL DEFAULT false,
    held_until         timestamptz,
    published_as_of    timestamptz,
    published_as_of_by text NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, version)
);

-- The unpublished changes of a published or scheduled story: the next
-- version, based on base_version, that readers do not see until an Update.
CREATE TABLE working_copies (
    article_id        text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    state             jsonb NOT NULL,
    version           integer NOT NULL,
    base_version      integer NOT NULL,
    saved_by          text NOT NULL DEFAULT '',
    saved_at          timestamptz NOT NULL,
    publish_at        timestamptz,               -- a scheduled Update
    update_correction text NOT NULL DEFAULT '',
    update_by         text NOT NULL DEFAULT '',
    submitted_by      text NOT NULL DEFAULT '',
    submitted_at      timestamptz,
    CHECK (version > base_version)
);

CREATE INDEX working_copies_update_due ON working_copies (publish_at) WHERE publish_at IS NOT NULL;

CREATE TABLE tag_redirects (
    slug       text PRIMARY KEY,
    tag_id     bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL
);

CREATE INDEX tag_redirects_tag ON tag_redirects (tag_id);

-- Preview links: a revision's whole-story document, shown to whoever holds
-- the link until it expires or is revoked.
CREATE TABLE preview_grants (
    id          text PRIMARY KEY,
    article_id  text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    created_by  text REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    revoked_by  text,                            -- a user id, or the event: 'withdrawal', 'deletion'
    document    bytea NOT NULL                   -- JSON, the whole-story shape of the revision, as rendered
);

CREATE INDEX preview_grants_article ON preview_grants (article_id, created_at);
CREATE INDEX preview_grants_expiry ON preview_grants (expires_at);
