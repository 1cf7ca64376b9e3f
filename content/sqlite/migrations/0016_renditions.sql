-- 0016: renditions of uploaded images and the durable queue that makes them.
--
-- focus_x, focus_y: the focal point crops are centred on, as fractions of
-- the width and height (the middle by default). renditions_key names the
-- rendition spec (widths, crops, qualities) the stored renditions were
-- made under, '' for none yet; renditions_error is why the last job
-- failed for good.
ALTER TABLE media ADD COLUMN focus_x REAL NOT NULL DEFAULT 0.5;
ALTER TABLE media ADD COLUMN focus_y REAL NOT NULL DEFAULT 0.5;
ALTER TABLE media ADD COLUMN renditions_key TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN renditions_error TEXT NOT NULL DEFAULT '';

-- One row per rendition file; file_name holds a hash of the file's
-- content. crop is '' for the whole image, else a ratio such as '16:9'.
CREATE TABLE media_renditions (
    media_id     TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    crop         TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    file_name    TEXT NOT NULL UNIQUE,
    PRIMARY KEY (media_id, crop, content_type, width)
) WITHOUT ROWID;

-- The queue: one job per media item. seq grows when the job is asked for
-- again while queued or running (a new focal point), so that a worker
-- finishing the older request stores nothing; a job is claimed by setting
-- leased_until, and one whose lease ran out (its worker crashed) is
-- claimed again. run_after delays retries.
CREATE TABLE rendition_jobs (
    media_id     TEXT PRIMARY KEY REFERENCES media (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL DEFAULT 1,
    attempts     INTEGER NOT NULL DEFAULT 0,
    run_after    TEXT NOT NULL,
    leased_until TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);

CREATE INDEX rendition_jobs_due ON rendition_jobs (run_after, media_id);

-- Photos given by their /media/ URL rather than by media id (the demo's,
-- imports') find their media item by file name.
CREATE INDEX article_photos_url ON article_photos (url) WHERE media_id = '' AND url LIKE '/media/%';

-- Every image uploaded before renditions existed gets them: the server
-- makes them in the background after this upgrade.
INSERT INTO rendition_jobs (media_id, run_after, created_at)
    SELECT id, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z' FROM media;
