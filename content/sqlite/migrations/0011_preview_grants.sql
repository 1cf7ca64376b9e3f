-- 0011: preview links as server-side grants.
--
-- A preview link's token names one row here (its jti) and works only while
-- that row is neither revoked nor expired, so a link can be taken back:
-- by the story's owner or an editor, and by the story's withdrawal or
-- deletion. document is the revision as the delivery API shows it,
-- rendered once when the link is made and served as stored, so anonymous
-- requests never render markdown. Expired rows are deleted when a new link
-- is made.
CREATE TABLE preview_grants (
    id          TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT,
    revoked_by  TEXT,            -- a user id, or the event: 'withdrawal', 'deletion'
    document    BLOB NOT NULL    -- JSON, the whole-story shape of the revision
);

CREATE INDEX preview_grants_article ON preview_grants (article_id, created_at);
CREATE INDEX preview_grants_expiry ON preview_grants (expires_at);
