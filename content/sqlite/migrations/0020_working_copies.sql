-- 0020: the working copy of a live story (content.WorkingCopy): the
-- pending version that the saves and autosaves of a published or scheduled
-- story go to, which readers never see, until Update publishes it (now or,
-- with publish_at, at a time) or Discard drops it.
--
-- state is the full editable state (JSON, as revisions.state stores it);
-- version continues the story's versions (every save moves it on, and each
-- has its revision); base_version is the story's version when the copy was
-- started. publish_at, update_correction and update_by are a scheduled
-- update; submitted_by and submitted_at a contributor's submission for
-- review.
--
-- Existing data carries over as it stands: until this version every save of
-- a live story went to the story itself, so no story has pending changes
-- and every article keeps its row, version and revisions unchanged.
CREATE TABLE working_copies (
    article_id        TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    state             TEXT NOT NULL,
    version           INTEGER NOT NULL,
    base_version      INTEGER NOT NULL,
    saved_by          TEXT NOT NULL DEFAULT '',
    saved_at          TEXT NOT NULL,
    publish_at        TEXT,
    update_correction TEXT NOT NULL DEFAULT '',
    update_by         TEXT NOT NULL DEFAULT '',
    submitted_by      TEXT NOT NULL DEFAULT '',
    submitted_at      TEXT,
    CHECK (version > base_version)
) WITHOUT ROWID;

-- The scheduler walks the scheduled updates from the earliest.
CREATE INDEX working_copies_update_due ON working_copies (publish_at) WHERE publish_at IS NOT NULL;
