-- 0026: the login throttle in the database, so that every process on the
-- file counts the same attempts and a restart forgets none.
--
-- One row per token bucket: kind is 'account' or 'address', key the
-- SHA-256 (hex) of the case-folded email or of the client address key
-- (auth.NewLoginKeys), full_at the instant the bucket is full again. A
-- bucket whose full_at has passed is the same as no row: each attempt
-- deletes up to auth.ThrottlePurge of those (login_throttle_full finds
-- them), so the table holds the buckets of recent attempts only.
CREATE TABLE login_throttle (
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    full_at TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);

CREATE INDEX login_throttle_full ON login_throttle (full_at);
