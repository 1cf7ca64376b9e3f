package postgres

import (
	"context"
	"fmt"

	"dateline/content"
)

// DeleteArticle soft-deletes article id, by the user with id by, into the
// Trash (trash.go): the row and its revisions stay,
// but the article vanishes from every read, its schedule is cleared (the
// scheduler never touches it again), its tags no longer index it, its
// edit lock is dropped and its preview links are revoked. Deleting a
// published story writes an "article.unpublished" event in the same
// transaction. A missing or already deleted article is
// content.ErrNotFound.
func (db *DB) DeleteArticle(ctx context.Context, id, by string) error {
	now := stamp(db.now())
	return db.withTx(ctx, func(tx *wtx) error {
		cur, err := currentState(ctx, tx, id)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE articles SET deleted_at = $1, deleted_by = $2, publish_at = NULL, unpublish_at = NULL, updated_at = $1
			WHERE id = $3 AND deleted_at IS NULL`, now, by, id)
		if err != nil {
			return fmt.Errorf("delete article %s: %w", id, mapErr(err))
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("article %s: %w", id, content.ErrNotFound)
		}
		tx.schedule = true
		if err := indexTags(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM edit_locks WHERE article_id = $1", id); err != nil {
			return fmt.Errorf("drop lock of article %s: %w", id, mapErr(err))
		}
		if err := revokePreviewGrants(ctx, tx, id, content.PreviewRevokedByDeletion, now); err != nil {
			return err
		}
		if err := db.syncSearch(ctx, tx, id); err != nil {
			return err
		}
		if err := db.refreshStory(ctx, tx, id, cur.status == content.StatusPublished); err != nil {
			return err
		}
		if cur.status == content.StatusPublished {
			return tx.emit(ctx, content.StoryDeleted(id, cur.slug, by), now)
		}
		return nil
	})
}
