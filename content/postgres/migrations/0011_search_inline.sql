-- 0011: a story's search document is kept in its row, not in the TOAST
-- table. A phrase query rechecks the positions of every story the GIN
-- index names as holding all its words, and a word query's window walks
-- the newest stories testing each: both read whole search documents
-- (about 6 KB each, which PostgreSQL does not compress), and reading one
-- out of line costs a TOAST index lookup and several chunks. Inline, a
-- phrase's recheck of 836 candidates took 5 ms instead of 20 ms, and a
-- common word's window start 1 ms instead of 2.5 ms, on the 10,000-story
-- benchmark corpus. A document too large for the row still goes out of
-- line.
--
-- SET STORAGE changes where new values go; the UPDATE writes every
-- document anew (concatenating an empty one makes a new value) so that the
-- documents already stored move too.
ALTER TABLE articles ALTER COLUMN search SET STORAGE MAIN;
UPDATE articles SET search = search || ''::tsvector WHERE search IS NOT NULL;
