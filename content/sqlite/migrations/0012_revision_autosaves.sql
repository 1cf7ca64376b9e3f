-- 0012: autosaves share a revision; revisions can be pruned.
--
-- autosave: the row holds the latest of a run of autosaves by one user
--   (saved_by); started_at is when the run's first autosave was made. A later
--   autosave of the same run replaces the row (its version moves on) instead
--   of adding one.
-- sealed: the state readers saw or a workflow step left (a published save, a
--   publish, a schedule, a withdrawal...); never replaced, never pruned.
-- held_until: a preview link names this revision until then; neither
--   replaced nor pruned before.
ALTER TABLE revisions ADD COLUMN autosave INTEGER NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN started_at TEXT;
ALTER TABLE revisions ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN held_until TEXT;

-- Revisions written before: seal those the outbox shows readers saw. An
-- update event names its version; a publish or withdrawal event showed the
-- newest revision saved by then.
UPDATE revisions SET sealed = 1
WHERE EXISTS (SELECT 1 FROM events e
              WHERE e.article_id = revisions.article_id AND e.type = 'article.updated'
                AND json_extract(e.payload, '$.version') = revisions.version)
   OR id IN (SELECT (SELECT r.id FROM revisions r
                     WHERE r.article_id = e.article_id AND r.saved_at <= e.occurred_at
                     ORDER BY r.version DESC LIMIT 1)
             FROM events e WHERE e.type IN ('article.published', 'article.unpublished'));
