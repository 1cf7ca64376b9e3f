-- 0010: API keys for scripts.
--
-- A key acts as its user with the user's current role and active flag. Only
-- the hex SHA-256 hash of a key is stored; the key itself is shown once, at
-- creation. prefix ("dl_" and the key's next 8 characters) tells keys apart
-- in lists. A revoked key keeps its row (revoked_at) so lists show it.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,            -- updated at most once a minute
    expires_at   TEXT,            -- NULL: never
    revoked_at   TEXT
);

CREATE INDEX api_keys_user ON api_keys (user_id, created_at);
