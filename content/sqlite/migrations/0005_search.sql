-- 0005: full-text search over published stories (FTS4; FTS5 needs a build
-- tag the SQLite driver is not built with).
--
-- article_search holds the headline, standfirst and plain body text of every
-- published story and nothing else: the write transactions that save,
-- publish or withdraw a story keep it in step (syncSearch). Its docid comes
-- from article_search_docs, a stable integer per article (articles has a
-- TEXT key, and the implicit rowid of such a table may change on VACUUM).
-- Reads still join articles and check the status, so a row the index holds
-- by mistake can never leak.

CREATE TABLE article_search_docs (
    docid      INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE
);

CREATE VIRTUAL TABLE article_search USING fts4 (
    headline, standfirst, body,
    tokenize=unicode61 "remove_diacritics=2"
);

INSERT INTO article_search_docs (article_id)
    SELECT id FROM articles WHERE status = 'published' AND deleted_at IS NULL ORDER BY published_at, id;

INSERT INTO article_search (docid, headline, standfirst, body)
    SELECT d.docid,
        replace(replace(a.headline, char(2), ''), char(3), ''),
        replace(replace(a.standfirst, char(2), ''), char(3), ''),
        replace(replace(a.body_text, char(2), ''), char(3), '')
    FROM article_search_docs d JOIN articles a ON a.id = d.article_id;

-- Every column a story summary shows, in one index: lists, tag walks and
-- search hits read it instead of the table row, whose large text columns
-- (body, HTML, text, pages) spill onto overflow pages that SQLite would
-- otherwise walk to reach the columns stored after them.
CREATE INDEX articles_summary ON articles (id, status, deleted_at, published_at, slug, headline, standfirst,
    dateline_place, dateline_tz, byline, meta_title, meta_description, canonical_url, featured,
    version, publish_at, unpublish_at, updated_at, created_at, word_count, reading_minutes);
