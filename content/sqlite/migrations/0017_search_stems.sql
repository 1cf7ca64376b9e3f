-- 0017: search by stems, without diacritics, newest stories first.
--
-- The full-text index no longer tokenizes the stories' text itself: it
-- holds the terms content/textsearch makes of each word (folded: lower
-- case, no diacritics; stemmed by the newsroom language), one term per
-- word in order, so that "diplomats" finds "diplomat" and "café" finds
-- "cafe", and phrases still match words side by side. Its doclists are
-- kept newest first (order=DESC), and a story's docid follows its
-- published_at (indexStory in content/sqlite/search_index.go), so that a
-- search reads the newest matches first and stops when it has enough.
--
-- SQL cannot stem, so this migration leaves the index empty and marks it
-- unbuilt (search_index.analyzer = ''): Open rebuilds it from the stories
-- in the same start, before it returns (rebuildSearch), and again whenever
-- the newsroom language changes. The stories themselves are untouched.

DROP TABLE article_search;
DROP TABLE article_search_docs;

CREATE TABLE article_search_docs (
    docid        INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
    published_at TEXT
);

CREATE VIRTUAL TABLE article_search USING fts4 (
    headline, standfirst, body,
    tokenize=simple, order=DESC
);
INSERT INTO article_search (article_search) VALUES ('automerge=2');

-- analyzer is the textsearch.Analyzer ID the index was built with; '' until
-- it is built.
CREATE TABLE search_index (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    analyzer TEXT NOT NULL
);
INSERT INTO search_index (id, analyzer) VALUES (1, '');
