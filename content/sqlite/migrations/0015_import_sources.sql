-- 0015: where imported stories and authors came from, and publications
-- backdated ("as of" a past instant).
--
-- One row per story or author an import brought from a source (a WordPress
-- site, a Ghost export, a Dateline export), keyed by the id the source gives
-- it, so that a re-import finds what an earlier one made instead of making
-- it again. target_id is articles.id (kind 'article') or users.id (kind
-- 'user'); no foreign key, since it names either. For a story, fingerprint is
-- a digest of the state the import brought and version the article's
-- version it left: a story whose version moved on was edited in Dateline
-- since, and a re-import keeps it unless told to overwrite it.
CREATE TABLE import_sources (
    source      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('article', 'user')),
    source_id   TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    fingerprint TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (source, kind, source_id)
) WITHOUT ROWID;

CREATE INDEX import_sources_target ON import_sources (target_id);

-- A publication "as of" a past instant is logged on the revision it
-- published: the instant and who set it.
ALTER TABLE revisions ADD COLUMN published_as_of TEXT;
ALTER TABLE revisions ADD COLUMN published_as_of_by TEXT NOT NULL DEFAULT '';
