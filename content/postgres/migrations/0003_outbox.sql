-- 0003: the outbox. Every write readers of the public API can see appends
-- its events in its own transaction; the last committed id is the content
-- generation caches key by.

CREATE TABLE events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type        text NOT NULL,
    article_id  text NOT NULL,
    slug        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}',
    occurred_at timestamptz NOT NULL
);

CREATE INDEX events_article ON events (article_id, id);

-- How far each consumer of the outbox has read.
CREATE TABLE outbox_cursors (
    name     text PRIMARY KEY,
    event_id bigint NOT NULL
);

INSERT INTO outbox_cursors (name, event_id) VALUES ('webhooks', 0);
