-- 0002: refresh tokens and one-time tokens (the first-start setup link).
--
-- Tokens are stored only as hex SHA-256 hashes; the tokens themselves are
-- shown once and never kept.

-- One row per refresh token. Tokens of one login share family_id; a token
-- is marked used_at when rotated, and presenting a used token revokes the
-- whole family (revoked_at on every row).
CREATE TABLE refresh_tokens (
    hash          TEXT PRIMARY KEY,
    family_id     TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_version INTEGER NOT NULL,            -- users.token_version at login
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    revoked_at    TEXT
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- Single-use, expiring tokens: "setup" creates the first admin.
CREATE TABLE one_time_tokens (
    hash       TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('setup', 'reset')),
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
