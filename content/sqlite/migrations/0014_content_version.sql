-- The content version: a count of the committed writes readers of the
-- public API may see, kept in the database so that every process sharing
-- the file sees every other's writes. A visible write bumps it in its own
-- transaction; each process follows it (DB.Follow) and drops what it has
-- cached when it moves.
CREATE TABLE content_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  INTEGER NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 0);
