package sqlite

import (
	"context"
	"fmt"
)

// What readers may see: the one definition.
//
// A story is public when it is published and not deleted. Every read the
// delivery API makes (lists, stories, old slugs, search, tags and their
// counts, authors, the corrections log, feeds and sitemaps, the slugs of
// linked stories) selects stories with public, and so does every write
// that keeps a copy of "what is public": the stored public JSON
// (refreshPublic), the search index (syncSearch) and the tag index's
// copy of published_at (indexTags). A deleted story keeps its status, so
// a test of the status alone is never enough; write public(alias) rather
// than the condition itself.
//
// The condition is a literal, so that the partial indexes on published
// stories (WHERE status = 'published') apply to the queries that use it.

// public returns the SQL condition "the story in articles alias is public".
func public(alias string) string {
	return alias + ".status = 'published' AND " + alias + ".deleted_at IS NULL"
}

// indexTags brings the tag index's copy of published_at for story id up to
// date inside tx: the story's published_at while it is public, else NULL,
// so that a walk of the tag index (article_tags_published) finds public
// stories only. Every write that changes a story's status, deletion,
// publication time or tags calls it.
func indexTags(ctx context.Context, tx *wtx, id string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE article_tags SET published_at =
		(SELECT a.published_at FROM articles a WHERE a.id = article_tags.article_id AND `+public("a")+`)
		WHERE article_id = ?`, id); err != nil {
		return fmt.Errorf("index tags of article %s: %w", id, mapErr(err))
	}
	return nil
}
