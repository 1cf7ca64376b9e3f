-- 0007: the search hits' sort key beside the docid, so that ranking and
-- paging a search touch only the index tables, not every matching story's
-- (large) row.

ALTER TABLE article_search_docs ADD COLUMN published_at TEXT;

UPDATE article_search_docs
    SET published_at = (SELECT a.published_at FROM articles a WHERE a.id = article_search_docs.article_id);
