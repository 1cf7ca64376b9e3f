-- 0001: users, refresh tokens, one-time tokens (the setup link) and API
-- keys. Tokens and keys are stored only as hex SHA-256 hashes.

CREATE TABLE users (
    id            text PRIMARY KEY,              -- UUIDv7
    email         text NOT NULL,
    name          text NOT NULL,
    slug          text NOT NULL UNIQUE,          -- public author profile
    bio           text NOT NULL DEFAULT '',
    role          text NOT NULL CHECK (role IN ('contributor', 'author', 'editor', 'admin')),
    password_hash text NOT NULL DEFAULT '',
    token_version integer NOT NULL DEFAULT 1,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- Emails are unique whatever their case.
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- One row per refresh token. Tokens of one login share family_id; a token
-- is marked used_at when rotated, and presenting a used token ends every
-- session of its user.
CREATE TABLE refresh_tokens (
    hash          text PRIMARY KEY,
    family_id     text NOT NULL,
    user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_version integer NOT NULL,              -- users.token_version at login
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    revoked_at    timestamptz
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- Single-use, expiring tokens: "setup" creates the first admin.
CREATE TABLE one_time_tokens (
    hash       text PRIMARY KEY,
    purpose    text NOT NULL CHECK (purpose IN ('setup', 'reset')),
    user_id    text REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    prefix       text NOT NULL,
    hash         text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,                    -- updated at most once a minute
    expires_at   timestamptz,                    -- NULL: never
    revoked_at   timestamptz
);

CREATE INDEX api_keys_user ON api_keys (user_id, created_at);
