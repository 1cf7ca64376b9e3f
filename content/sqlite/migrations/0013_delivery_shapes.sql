-- 0013: what the public shapes need from storage.
--
-- page_count: the number of pages of a story's body, so that list items
-- (which never load the pages) show it. It joins the covering index of
-- story summaries (0005), since a column added to articles sits behind the
-- large text columns and reading it from the row would walk their overflow
-- pages.
--
-- Whole seconds: stories' publication times (published_at, updated_at,
-- created_at, deleted_at, publish_at, unpublish_at), corrections' and
-- events' times are stored in whole seconds from now on
-- (content/sqlite/stamps.go). Rows written before keep microseconds; they
-- are brought to the same precision here, together with the copies of
-- published_at in the tag and search indexes, so that every read and every
-- cursor sees one value. Past instants are cut to the second; publish_at
-- and unpublish_at, which lie ahead, are rounded up, so that no story
-- appears or leaves before the instant it was given.

ALTER TABLE articles ADD COLUMN page_count INTEGER NOT NULL DEFAULT 0;

UPDATE articles SET page_count = json_array_length(pages) WHERE json_valid(pages);

UPDATE articles SET
    published_at = substr(published_at, 1, 19) || '.000000Z',
    updated_at   = substr(updated_at, 1, 19) || '.000000Z',
    created_at   = substr(created_at, 1, 19) || '.000000Z',
    deleted_at   = substr(deleted_at, 1, 19) || '.000000Z',
    publish_at   = CASE WHEN substr(publish_at, 20, 7) = '.000000' THEN publish_at
                   ELSE strftime('%Y-%m-%dT%H:%M:%S', substr(publish_at, 1, 19), '+1 second') || '.000000Z' END,
    unpublish_at = CASE WHEN substr(unpublish_at, 20, 7) = '.000000' THEN unpublish_at
                   ELSE strftime('%Y-%m-%dT%H:%M:%S', substr(unpublish_at, 1, 19), '+1 second') || '.000000Z' END;

UPDATE article_tags SET published_at = substr(published_at, 1, 19) || '.000000Z' WHERE published_at IS NOT NULL;
UPDATE article_search_docs SET published_at = substr(published_at, 1, 19) || '.000000Z' WHERE published_at IS NOT NULL;
UPDATE corrections SET created_at = substr(created_at, 1, 19) || '.000000Z';
UPDATE events SET occurred_at = substr(occurred_at, 1, 19) || '.000000Z';

-- The stored public JSON shows these times: render it again (the render
-- key of this version differs too, so serve renders what is missing).
DELETE FROM article_public;
DELETE FROM article_public_items;

DROP INDEX articles_summary;
CREATE INDEX articles_summary ON articles (id, status, deleted_at, published_at, slug, headline, standfirst,
    dateline_place, dateline_tz, byline, meta_title, meta_description, canonical_url, featured,
    version, publish_at, unpublish_at, updated_at, created_at, word_count, reading_minutes, page_count);
