-- 0021: the Trash. A deleted story keeps its row (deleted_at, 0003); it
-- now also says who deleted it, and the Trash lists deleted stories, most
-- recently deleted first, and the purge finds those deleted before a time,
-- through one partial index.
ALTER TABLE articles ADD COLUMN deleted_by TEXT NOT NULL DEFAULT '';

CREATE INDEX articles_trash ON articles (deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;
