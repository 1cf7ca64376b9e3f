-- 0006: what imports made: for each story and author of a source (by its
-- id there), the story or user it became, and for stories the
-- fingerprint and version the import left, so that a re-import updates,
-- keeps or skips it (content.DecideReimport).

CREATE TABLE import_sources (
    source      text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('article', 'user')),
    source_id   text NOT NULL,
    target_id   text NOT NULL,
    fingerprint text NOT NULL DEFAULT '',
    version     integer NOT NULL DEFAULT 0,
    imported_at timestamptz NOT NULL,
    PRIMARY KEY (source, kind, source_id)
);

CREATE INDEX import_sources_target ON import_sources (target_id);
