-- 0018: the content generation is the outbox head. A write readers of the
-- public API may see appends its outbox events in its own transaction, and
-- every process follows the largest event id the outbox has issued (kept by
-- SQLite in sqlite_sequence, since events.id is AUTOINCREMENT) instead of
-- the content_version counter of 0014.
--
-- The head starts at the content version or above, so that the generation
-- a process caches by never goes backwards across the upgrade: event ids
-- continue above both the last event and the last version.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'events', COALESCE((SELECT MAX(id) FROM events), 0)
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events');
UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT n FROM content_version WHERE id = 1))
WHERE name = 'events';

-- A process of the release before this one that is still running when the
-- file is upgraded keeps following content_version (it cannot open the file
-- again, but it need not have to). The two triggers keep the counters one:
-- every event moves content_version to its id, and every bump of
-- content_version by such a process moves the outbox head past it, so each
-- side sees the other's writes. Nothing of this release reads
-- content_version; a later migration drops it with the triggers.
UPDATE content_version SET n = (SELECT seq FROM sqlite_sequence WHERE name = 'events') WHERE id = 1;
CREATE TRIGGER events_move_content_version AFTER INSERT ON events
BEGIN
	UPDATE content_version SET n = NEW.id WHERE id = 1 AND n < NEW.id;
END;
CREATE TRIGGER content_version_moves_outbox_head AFTER UPDATE OF n ON content_version
BEGIN
	UPDATE sqlite_sequence SET seq = NEW.n WHERE name = 'events' AND seq < NEW.n;
END;
