-- 0004: webhooks, their deliveries, and the outbox cursor that fans events
-- out to deliveries.

CREATE TABLE webhooks (
    id              TEXT PRIMARY KEY,             -- UUIDv7
    url             TEXT NOT NULL,
    events          TEXT NOT NULL DEFAULT '[]',   -- JSON array of event types; [] = all
    description     TEXT NOT NULL DEFAULT '',
    secret          TEXT NOT NULL,                -- whsec_ + base64
    active          INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT NOT NULL DEFAULT '',
    after_event_id  INTEGER NOT NULL DEFAULT 0,   -- the hook gets events after this one
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- One row per (webhook, event): id is the stable webhook-id of every
-- attempt. The event's fields are copied so the body never changes between
-- attempts. A test message has no event_id.
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,            -- msg_...
    webhook_id       TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         INTEGER,
    type             TEXT NOT NULL,
    article_id       TEXT NOT NULL DEFAULT '',
    slug             TEXT NOT NULL DEFAULT '',
    payload          TEXT NOT NULL DEFAULT '{}',
    occurred_at      TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_status_code INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    next_attempt_at  TEXT,                        -- pending only; also the claim lease
    delivered_at     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (webhook_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, created_at DESC, id DESC);

-- How far each consumer of the outbox has read. Webhooks start after the
-- events that exist when this migration runs.
CREATE TABLE outbox_cursors (
    name     TEXT PRIMARY KEY,
    event_id INTEGER NOT NULL
);

INSERT INTO outbox_cursors (name, event_id) SELECT 'webhooks', COALESCE(MAX(id), 0) FROM events;
