-- 0003: soft delete of articles, edit locks and uploaded media.

-- A deleted article keeps its row and revisions but vanishes from every
-- read (content/sqlite adds "deleted_at IS NULL" to every article query).
ALTER TABLE articles ADD COLUMN deleted_at TEXT;

CREATE INDEX articles_created_by ON articles (created_by);

-- Who is editing a story. A lock whose heartbeat_at is older than
-- content.LockTTL has expired; rows are replaced, not accumulated.
CREATE TABLE edit_locks (
    article_id   TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    acquired_at  TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);

-- Uploaded images. file_name is generated (id plus an extension from the
-- checked content type), never taken from the client.
CREATE TABLE media (
    id           TEXT PRIMARY KEY,              -- UUIDv7
    file_name    TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    caption      TEXT NOT NULL DEFAULT '',
    credit       TEXT NOT NULL DEFAULT '',
    alt          TEXT NOT NULL DEFAULT '',
    uploaded_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);

CREATE INDEX media_created ON media (created_at DESC, id DESC);
CREATE INDEX article_photos_media ON article_photos (media_id) WHERE media_id <> '';
