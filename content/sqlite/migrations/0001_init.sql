-- 0001: articles, tags, photos, related links, authors, revisions, slug
-- redirects and the event outbox.
--
-- Times are TEXT in the fixed-width UTC layout 2006-01-02T15:04:05.000000Z so
-- that they sort and compare as strings.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,             -- UUIDv7
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,         -- public author profile
    bio           TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('contributor', 'author', 'editor', 'admin')),
    password_hash TEXT NOT NULL DEFAULT '',
    token_version INTEGER NOT NULL DEFAULT 1,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE articles (
    id              TEXT PRIMARY KEY,           -- UUIDv7
    slug            TEXT NOT NULL UNIQUE,
    headline        TEXT NOT NULL,
    standfirst      TEXT NOT NULL DEFAULT '',
    dateline_place  TEXT NOT NULL DEFAULT '',
    dateline_tz     TEXT NOT NULL,
    body            TEXT NOT NULL DEFAULT '',   -- markdown, the only source
    body_html       TEXT NOT NULL DEFAULT '',   -- derived at save time
    body_text       TEXT NOT NULL DEFAULT '',
    pages           TEXT NOT NULL DEFAULT '[]', -- JSON array of page HTML
    word_count      INTEGER NOT NULL DEFAULT 0,
    reading_minutes INTEGER NOT NULL DEFAULT 0,
    byline          TEXT NOT NULL DEFAULT '',
    meta_title       TEXT NOT NULL DEFAULT '',
    meta_description TEXT NOT NULL DEFAULT '',
    canonical_url    TEXT NOT NULL DEFAULT '',
    featured        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'in_review', 'scheduled', 'published', 'unpublished')),
    version         INTEGER NOT NULL DEFAULT 1,
    publish_at      TEXT,
    unpublish_at    TEXT,
    published_at    TEXT,                       -- first publication, set once
    updated_at      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL
);

-- The delivery API's main read: published, newest first.
CREATE INDEX articles_published ON articles (published_at DESC, id DESC)
    WHERE status = 'published';
-- The scheduler's reads.
CREATE INDEX articles_publish_due ON articles (publish_at) WHERE status = 'scheduled';
CREATE INDEX articles_unpublish_due ON articles (unpublish_at)
    WHERE status = 'published' AND unpublish_at IS NOT NULL;
CREATE INDEX articles_updated ON articles (updated_at DESC, id DESC);

-- Old slugs of published articles answer with a redirect to the current one.
CREATE TABLE slug_redirects (
    slug       TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

-- published_at mirrors articles.published_at while the article is published
-- and is NULL otherwise, so "published with tag T, newest first" is one
-- index range scan.
CREATE TABLE article_tags (
    article_id   TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id       INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    published_at TEXT,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;

CREATE INDEX article_tags_published ON article_tags (tag_id, published_at DESC, article_id DESC)
    WHERE published_at IS NOT NULL;

CREATE TABLE article_authors (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, user_id)
) WITHOUT ROWID;

CREATE INDEX article_authors_user ON article_authors (user_id);

CREATE TABLE article_photos (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    media_id   TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL,
    caption    TEXT NOT NULL DEFAULT '',
    credit     TEXT NOT NULL DEFAULT '',
    alt        TEXT NOT NULL DEFAULT '',
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

CREATE TABLE article_links (
    article_id        TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('related', 'other_media', 'partner')),
    title             TEXT NOT NULL,
    url               TEXT NOT NULL DEFAULT '',
    target_article_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX corrections_article ON corrections (article_id, id);

-- Every save writes the full editable state (content.Edit as JSON).
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    state      TEXT NOT NULL,
    saved_by   TEXT NOT NULL DEFAULT '',
    saved_at   TEXT NOT NULL,
    UNIQUE (article_id, version)
);

-- The outbox: every publish, published edit, withdrawal and slug change
-- writes a row in the same transaction as the change.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    type        TEXT NOT NULL,
    article_id  TEXT NOT NULL,
    slug        TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}',
    occurred_at TEXT NOT NULL
);

CREATE INDEX events_article ON events (article_id, id);
