package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dateline/content"
)

// The Trash: stories DeleteArticle soft-deleted. Restoring and purging are
// writes readers never see (a deleted story is in no public read, and a
// restored one comes back unpublished; content.PlanRestore), so neither
// writes an event.

// Trash returns deleted stories, most recently deleted first, with the
// name of who deleted them. PurgeAt is left zero: the store does not know
// the newsroom's trash_days.
func (db *DB) Trash(ctx context.Context, f content.TrashFilter) ([]content.TrashedStory, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	query := `SELECT a.id, a.slug, a.headline, a.status, a.published_at, a.deleted_at, a.deleted_by, COALESCE(u.name, '')
		FROM articles a LEFT JOIN users u ON u.id = a.deleted_by WHERE a.deleted_at IS NOT NULL`
	var args []any
	if f.ID != nil {
		query += " AND a.id = ?"
		args = append(args, *f.ID)
	}
	if f.After != nil {
		at := stampText(f.After.Time)
		query += " AND (a.deleted_at < ? OR (a.deleted_at = ? AND a.id < ?))"
		args = append(args, at, at, f.After.ID)
	}
	query += " ORDER BY a.deleted_at DESC, a.id DESC LIMIT ?"
	rows, err := db.r.QueryContext(ctx, query, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("query trash: %w", mapErr(err))
	}
	defer rows.Close()
	out := []content.TrashedStory{}
	for rows.Next() {
		var t content.TrashedStory
		var status, deleted string
		var published sql.NullString
		if err := rows.Scan(&t.ID, &t.Slug, &t.Headline, &status, &published, &deleted, &t.DeletedBy, &t.DeletedName); err != nil {
			return nil, fmt.Errorf("scan trash: %w", mapErr(err))
		}
		t.Status = content.Status(status)
		if t.PublishedAt, err = parseNullTime(published); err != nil {
			return nil, err
		}
		if t.DeletedAt, err = parseTime(deleted); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// trashedState reads deleted story id as content.PlanRestore decides by
// it, or fails with content.ErrNotFound when no deleted story has that id.
func trashedState(ctx context.Context, tx *wtx, id string) (content.Stored, error) {
	var st content.Stored
	var status string
	var published sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT status, version, slug, published_at,
		COALESCE((SELECT version FROM working_copies WHERE article_id = articles.id), 0)
		FROM articles WHERE id = ? AND deleted_at IS NOT NULL`, id).Scan(&status, &st.Version, &st.Slug, &published, &st.Pending)
	if errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("deleted story %s: %w", id, content.ErrNotFound)
	}
	if err != nil {
		return st, fmt.Errorf("read deleted story %s: %w", id, mapErr(err))
	}
	st.Status, st.Published = content.Status(status), published.Valid
	return st, nil
}

// RestoreArticle brings deleted story id back from the Trash in the status
// content.PlanRestore decides (never one readers see), folding its
// working copy into it when it comes back not live, and returns it. A
// story not in the Trash is content.ErrNotFound. No event is written:
// readers see nothing of a restore.
func (db *DB) RestoreArticle(ctx context.Context, id string) (*content.Article, error) {
	now := stampText(db.now())
	err := db.withTx(ctx, func(tx *wtx) error {
		st, err := trashedState(ctx, tx, id)
		if err != nil {
			return err
		}
		plan := content.PlanRestore(st)
		res, err := tx.ExecContext(ctx, `UPDATE articles SET deleted_at = NULL, deleted_by = '', status = ?, updated_at = ?
			WHERE id = ? AND deleted_at IS NOT NULL AND status = ?`, string(plan.To), now, id, string(plan.From))
		if err != nil {
			return fmt.Errorf("restore article %s: %w", id, mapErr(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("deleted story %s: %w", id, content.ErrNotFound)
		}
		if plan.FoldPending {
			cur, err := currentState(ctx, tx, id)
			if err != nil {
				return err
			}
			if _, err := db.foldPending(ctx, tx, id, cur, now); err != nil {
				return err
			}
		}
		if err := indexTags(ctx, tx, id); err != nil {
			return err
		}
		return syncSearch(ctx, tx.Tx, id)
	})
	if err != nil {
		return nil, err
	}
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// PurgeArticle removes deleted story id for good: its row, revisions,
// relations, working copy, preview links and review notes, and the import
// record that pointed at it (a later import makes it anew). A story not
// in the Trash is content.ErrNotFound; a live story is never purged.
func (db *DB) PurgeArticle(ctx context.Context, id string) error {
	return db.withTx(ctx, func(tx *wtx) error {
		n, err := purge(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("deleted story %s: %w", id, content.ErrNotFound)
		}
		return nil
	})
}

// PurgeTrash purges every story deleted before before, as PurgeArticle
// does, and returns how many it purged.
func (db *DB) PurgeTrash(ctx context.Context, before time.Time) (int, error) {
	var n int
	err := db.withTx(ctx, func(tx *wtx) error {
		var err error
		n, err = purge(ctx, tx, "deleted_at < ?", timeText(before))
		return err
	})
	return n, err
}

// purge deletes the deleted stories that match cond (a literal condition
// on articles with bound args) and the import records of them; the
// foreign keys take the rest. It returns how many stories it deleted.
func purge(ctx context.Context, tx *wtx, cond string, args ...any) (int, error) {
	where := "deleted_at IS NOT NULL AND " + cond
	if _, err := tx.ExecContext(ctx, `DELETE FROM import_sources WHERE kind = 'article'
		AND target_id IN (SELECT id FROM articles WHERE `+where+`)`, args...); err != nil {
		return 0, fmt.Errorf("purge import records: %w", mapErr(err))
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM articles WHERE "+where, args...)
	if err != nil {
		return 0, fmt.Errorf("purge deleted stories: %w", mapErr(err))
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
