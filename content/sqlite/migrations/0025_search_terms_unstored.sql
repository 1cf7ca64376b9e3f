-- 0025: the full-text index keeps no second copy of the stories' terms.
--
-- Until now article_search stored, beside its index, the terms it indexed
-- of every story (article_search_content: about 5 KB a story, a fifth of
-- the database). It becomes an external-content FTS4 table over the view
-- article_search_terms, which makes a story's terms again from the story
-- itself when FTS4 needs them: only to remove a story from the index, and
-- to rebuild. dateline_terms(analyzer, text) is the Go function every
-- connection of a Dateline process has (content/sqlite/search_index.go),
-- so the terms it makes are the ones the story was indexed with as long as
-- the story's text and the analyzer have not changed.
--
-- The triggers keep that true: before a write changes a story's text,
-- status, deletion or publication time, they remove its terms from the
-- index while the view still makes the old ones, and mark its docid
-- unindexed; the write then indexes the story again (syncSearch). An
-- analyzer change rebuilds the whole index (ensureSearch), so built says
-- whether the index holds every public story's terms under analyzer.
--
-- The index starts empty and unbuilt here; Open rebuilds it in the same
-- start, before it returns. The stories themselves are untouched.

DROP TABLE article_search;
DELETE FROM article_search_docs;
ALTER TABLE article_search_docs ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE search_index ADD COLUMN built INTEGER NOT NULL DEFAULT 0;
UPDATE search_index SET analyzer = '', built = 0;

CREATE VIEW article_search_terms (rowid, headline, standfirst, body) AS
SELECT d.docid,
       dateline_terms(i.analyzer, a.headline),
       dateline_terms(i.analyzer, a.standfirst),
       dateline_terms(i.analyzer, a.body_text)
FROM article_search_docs d
JOIN articles a ON a.id = d.article_id
JOIN search_index i ON i.id = 1;

CREATE VIRTUAL TABLE article_search USING fts4 (
    headline, standfirst, body,
    content="article_search_terms", tokenize=simple, order=DESC
);
INSERT INTO article_search (article_search) VALUES ('automerge=2');

CREATE TRIGGER articles_unsearch_on_update
BEFORE UPDATE OF headline, standfirst, body_text, status, deleted_at, published_at ON articles
WHEN old.headline IS NOT new.headline OR old.standfirst IS NOT new.standfirst
  OR old.body_text IS NOT new.body_text OR old.status IS NOT new.status
  OR old.deleted_at IS NOT new.deleted_at OR old.published_at IS NOT new.published_at
BEGIN
    DELETE FROM article_search WHERE docid =
        (SELECT docid FROM article_search_docs WHERE article_id = old.id AND indexed = 1);
    UPDATE article_search_docs SET indexed = 0 WHERE article_id = old.id;
END;

CREATE TRIGGER articles_unsearch_on_delete
BEFORE DELETE ON articles
BEGIN
    DELETE FROM article_search WHERE docid =
        (SELECT docid FROM article_search_docs WHERE article_id = old.id AND indexed = 1);
    DELETE FROM article_search_docs WHERE article_id = old.id;
END;
