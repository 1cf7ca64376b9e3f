-- 0004: edit locks, uploaded media, webhooks and their deliveries.

-- Who is editing a story. A lock whose heartbeat_at is older than
-- content.LockTTL has expired; rows are replaced, not accumulated.
CREATE TABLE edit_locks (
    article_id   text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    acquired_at  timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
);

-- Uploaded images. file_name is generated (id plus an extension from the
-- checked content type), never taken from the client.
CREATE TABLE media (
    id               text PRIMARY KEY,           -- UUIDv7
    file_name        text NOT NULL UNIQUE,
    content_type     text NOT NULL,
    width            integer NOT NULL,
    height           integer NOT NULL,
    size             bigint NOT NULL,
    caption          text NOT NULL DEFAULT '',
    credit           text NOT NULL DEFAULT '',
    alt              text NOT NULL DEFAULT '',
    focus_x          double precision NOT NULL DEFAULT 0.5,
    focus_y          double precision NOT NULL DEFAULT 0.5,
    renditions_key   text NOT NULL DEFAULT '',   -- the settings its renditions were made under
    renditions_error text NOT NULL DEFAULT '',
    uploaded_by      text REFERENCES users (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL
);

CREATE INDEX media_created ON media (created_at DESC, id DESC);

-- The resized and re-encoded copies of an image, and the queue of images
-- whose copies are to be made (again).
CREATE TABLE media_renditions (
    media_id     text NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    crop         text NOT NULL DEFAULT '',
    content_type text NOT NULL,
    width        integer NOT NULL,
    height       integer NOT NULL,
    size         bigint NOT NULL,
    file_name    text NOT NULL UNIQUE,
    PRIMARY KEY (media_id, crop, content_type, width)
);

CREATE TABLE rendition_jobs (
    media_id     text PRIMARY KEY REFERENCES media (id) ON DELETE CASCADE,
    seq          integer NOT NULL DEFAULT 1,
    attempts     integer NOT NULL DEFAULT 0,
    run_after    timestamptz NOT NULL,
    leased_until timestamptz,
    last_error   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL
);

CREATE INDEX rendition_jobs_due ON rendition_jobs (run_after, media_id);

CREATE TABLE webhooks (
    id              text PRIMARY KEY,            -- UUIDv7
    url             text NOT NULL,
    events          jsonb NOT NULL DEFAULT '[]', -- array of event types; [] = all
    description     text NOT NULL DEFAULT '',
    secret          text NOT NULL,               -- whsec_ + base64
    active          boolean NOT NULL DEFAULT true,
    disabled_reason text NOT NULL DEFAULT '',
    after_event_id  bigint NOT NULL DEFAULT 0,   -- the hook gets events after this one
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- One row per (webhook, event): id is the stable webhook-id of every
-- attempt. The event's fields are copied so the body never changes between
-- attempts. A test message has no event_id.
CREATE TABLE webhook_deliveries (
    id               text PRIMARY KEY,           -- msg_...
    webhook_id       text NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         bigint,
    type             text NOT NULL,
    article_id       text NOT NULL DEFAULT '',
    slug             text NOT NULL DEFAULT '',
    payload          jsonb NOT NULL DEFAULT '{}',
    occurred_at      timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_status_code integer NOT NULL DEFAULT 0,
    last_error       text NOT NULL DEFAULT '',
    next_attempt_at  timestamptz,                -- pending only; also the claim lease
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (webhook_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, created_at DESC, id DESC);
