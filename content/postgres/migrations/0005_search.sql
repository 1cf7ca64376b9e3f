-- 0005: the text search configuration the search documents were built
-- with (articles.search). Open rebuilds them when the newsroom's language
-- chooses another one.

CREATE TABLE search_config (
    id     integer PRIMARY KEY CHECK (id = 1),
    config text NOT NULL
);

INSERT INTO search_config (id, config) VALUES (1, 'english');
