-- 0019: a story's pages are stored once.
--
-- The pages of a story, one after the other, are its HTML (but for
-- footnotes, which each page repeats), so the pages column holds the byte
-- offsets where each page ends in body_html, e.g. [3120,5206], instead of
-- a second copy of the HTML (content/sqlite/packed.go). This rewrites the
-- stories stored before; a story whose pages are not its HTML keeps them as
-- they are, a JSON array of strings, which reads still accept.
--
-- The other large columns of a story (body, body_html, revisions' states,
-- the stored JSON of whole stories) are compressed when next written; the
-- values stored before stay readable as they are. The stored JSON is
-- written again on the first start after this upgrade anyway (a new shape
-- version), so it is compressed from then on.

UPDATE articles SET pages = (
        SELECT '[' || group_concat(p.ends, ',' ORDER BY p.k) || ']'
        FROM (SELECT key AS k, SUM(length(CAST(value AS BLOB))) OVER (ORDER BY key) AS ends
              FROM json_each(articles.pages)) p)
    WHERE json_valid(pages) AND json_array_length(pages) > 0
      AND json_type(pages, '$[0]') = 'text'
      AND typeof(body_html) = 'text'
      AND CAST(body_html AS BLOB) =
          (SELECT CAST(group_concat(value, '' ORDER BY key) AS BLOB) FROM json_each(articles.pages));
