-- 0008: keep the full-text index in few segments.
--
-- FTS4 adds a segment to its index on every write and merges segments only
-- when sixteen pile up on one level, so an index built story by story
-- holds dozens of segments, and every search term is looked up in each.
-- Automatic incremental merging (two segments on a level are enough to
-- start) keeps the count low after large transactions such as imports;
-- single-story writes merge a bounded step each (tidySearch in
-- content/sqlite/search.go). The index built so far is merged into one
-- segment now.

INSERT INTO article_search (article_search) VALUES ('automerge=2');
INSERT INTO article_search (article_search) VALUES ('optimize');
