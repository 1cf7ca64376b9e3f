-- 0008: keep the full-text index in few segments.
--
-- FTS4 adds a segment to its index on every write and merges segments only
-- when sixteen pile up on one level, so an index built story by story
-- holds dozens of segments, and every search term is looked up in each.
-- Automatic incremental merging (at most two segments a level before they
-- are merged, a little work on every write) keeps the count low; the index
-- built so far is merged into one segment now.

INSERT INTO article_search (article_search) VALUES ('automerge=2');
INSERT INTO article_search (article_search) VALUES ('optimize');
