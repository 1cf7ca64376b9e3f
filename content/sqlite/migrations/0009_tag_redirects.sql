-- 0009: old tag slugs. A renamed or merged tag keeps the slugs it had as
-- redirects to the tag (by id, so a chain of renames needs no chain of
-- redirects). A live tag always wins: creating or renaming a tag to a
-- redirected slug removes the redirect, and deleting a tag removes its
-- redirects.

CREATE TABLE tag_redirects (
    slug       TEXT PRIMARY KEY,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX tag_redirects_tag ON tag_redirects (tag_id);
