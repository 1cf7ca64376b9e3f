package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dateline/content"
)

// DeleteArticle soft-deletes article id, by the user with id by, into the
// Trash (trash.go): the row and its revisions stay,
// but the article vanishes from every read, its schedule is cleared (the
// scheduler never touches it again), its tags no longer index it, its
// edit lock is dropped and its preview links are revoked. Deleting a published story writes an
// "article.unpublished" event in the same transaction. ScheduleChanges and
// EventsWritten signal after the commit. A missing or already
// deleted article is content.ErrNotFound.
func (db *DB) DeleteArticle(ctx context.Context, id, by string) error {
	now := stampText(db.now())
	err := db.withTx(ctx, func(tx *wtx) error {
		cur, err := currentState(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE articles SET deleted_at = ?, deleted_by = ?, publish_at = NULL, unpublish_at = NULL, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL`, now, by, now, id)
		if err != nil {
			return fmt.Errorf("delete article %s: %w", id, mapErr(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("article %s: %w", id, content.ErrNotFound)
		}
		if err := indexTags(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM edit_locks WHERE article_id = ?", id); err != nil {
			return fmt.Errorf("drop lock of article %s: %w", id, mapErr(err))
		}
		if _, err := revokePreviewGrants(ctx, tx, id, content.PreviewRevokedByDeletion, now); err != nil {
			return err
		}
		if err := syncSearch(ctx, tx.Tx, id); err != nil {
			return err
		}
		if cur.status == content.StatusPublished {
			if err := tidySearch(ctx, tx.Tx); err != nil { // the index changed
				return err
			}
		}
		if err := db.refreshStory(ctx, tx, id, cur.status == content.StatusPublished); err != nil {
			return err
		}
		if cur.status == content.StatusPublished {
			return tx.emit(ctx, content.StoryDeleted(id, cur.slug, by), now)
		}
		return nil
	})
	if err != nil {
		return err
	}
	notify(db.schedules)
	notify(db.events)
	return nil
}

// Revision returns revision version of article id, or content.ErrNotFound.
func (db *DB) Revision(ctx context.Context, id string, version int) (content.Revision, error) {
	r := content.Revision{ArticleID: id, Version: version}
	var state, at string
	err := db.r.QueryRowContext(ctx, `SELECT state, saved_by, saved_at, autosave FROM revisions
		WHERE article_id = ? AND version = ?`, id, version).Scan(&state, &r.SavedBy, &at, &r.Autosave)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("revision %d of article %s: %w", version, id, content.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read revision %d of %s: %w", version, id, mapErr(err))
	}
	if err := decodeState(state, &r.Edit); err != nil {
		return r, fmt.Errorf("decode revision %d of %s: %w", version, id, err)
	}
	if r.SavedAt, err = parseTime(at); err != nil {
		return r, err
	}
	return r, nil
}

// RevisionState returns the stored editable state of a revision exactly as
// it was saved (JSON), or content.ErrNotFound; tests and diffs compare it
// byte for byte.
func (db *DB) RevisionState(ctx context.Context, id string, version int) ([]byte, error) {
	var state string
	err := db.r.QueryRowContext(ctx, "SELECT state FROM revisions WHERE article_id = ? AND version = ?", id, version).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("revision %d of article %s: %w", version, id, content.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read revision %d of %s: %w", version, id, mapErr(err))
	}
	b, err := unpack([]byte(state))
	if err != nil {
		return nil, fmt.Errorf("read revision %d of %s: %w", version, id, err)
	}
	return b, nil
}
