package postgres

import (
	"context"
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
	var p params
	query := `SELECT a.id, a.slug, a.headline, a.status, a.published_at, a.deleted_at, a.deleted_by, COALESCE(u.name, '')
		FROM articles a LEFT JOIN users u ON u.id = a.deleted_by WHERE a.deleted_at IS NOT NULL`
	if f.ID != nil {
		query += " AND a.id = " + p.add(*f.ID)
	}
	if f.After != nil {
		query += " AND (a.deleted_at, a.id) < (" + p.add(stamp(f.After.Time)) + ", " + p.add(f.After.ID) + ")"
	}
	query += " ORDER BY a.deleted_at DESC, a.id DESC LIMIT " + p.add(limit)
	rows, err := db.pool.Query(ctx, query, p...)
	if err != nil {
		return nil, fmt.Errorf("query trash: %w", mapErr(err))
	}
	defer rows.Close()
	out := []content.TrashedStory{}
	for rows.Next() {
		var t content.TrashedStory
		var status string
		if err := rows.Scan(&t.ID, &t.Slug, &t.Headline, &status, &t.PublishedAt, &t.DeletedAt, &t.DeletedBy, &t.DeletedName); err != nil {
			return nil, fmt.Errorf("scan trash: %w", mapErr(err))
		}
		t.Status = content.Status(status)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query trash: %w", mapErr(err))
	}
	return out, nil
}

// trashedState reads deleted story id as content.PlanRestore decides by
// it, its row locked, or fails with content.ErrNotFound when no deleted
// story has that id.
func trashedState(ctx context.Context, tx *wtx, id string) (content.Stored, error) {
	var st content.Stored
	var status string
	var published *time.Time
	err := tx.QueryRow(ctx, `SELECT status, version, slug, published_at,
		COALESCE((SELECT version FROM working_copies WHERE article_id = articles.id), 0)
		FROM articles WHERE id = $1 AND deleted_at IS NOT NULL FOR UPDATE`, id).Scan(&status, &st.Version, &st.Slug, &published, &st.Pending)
	if noRows(err) {
		return st, fmt.Errorf("deleted story %s: %w", id, content.ErrNotFound)
	}
	if err != nil {
		return st, fmt.Errorf("read deleted story %s: %w", id, mapErr(err))
	}
	st.Status, st.Published = content.Status(status), published != nil
	return st, nil
}

// RestoreArticle brings deleted story id back from the Trash in the status
// content.PlanRestore decides (never one readers see), folding its
// working copy into it when it comes back not live, and returns it. A
// story not in the Trash is content.ErrNotFound. No event is written:
// readers see nothing of a restore.
func (db *DB) RestoreArticle(ctx context.Context, id string) (*content.Article, error) {
	now := stamp(db.now())
	err := db.withTx(ctx, func(tx *wtx) error {
		st, err := trashedState(ctx, tx, id)
		if err != nil {
			return err
		}
		plan := content.PlanRestore(st)
		tag, err := tx.Exec(ctx, `UPDATE articles SET deleted_at = NULL, deleted_by = '', status = $1, updated_at = $2
			WHERE id = $3 AND deleted_at IS NOT NULL AND status = $4`, string(plan.To), now, id, string(plan.From))
		if err != nil {
			return fmt.Errorf("restore article %s: %w", id, mapErr(err))
		}
		if tag.RowsAffected() != 1 {
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
		return db.syncSearch(ctx, tx, id)
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
		n, err := purge(ctx, tx, "id = $1", id)
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
		n, err = purge(ctx, tx, "deleted_at < $1", before.UTC())
		return err
	})
	return n, err
}

// purge deletes the deleted stories that match cond (a literal condition
// on articles with the bound arg $1) and the import records of them; the
// foreign keys take the rest. It returns how many stories it deleted.
func purge(ctx context.Context, tx *wtx, cond string, arg any) (int, error) {
	where := "deleted_at IS NOT NULL AND " + cond
	if _, err := tx.Exec(ctx, `DELETE FROM import_sources WHERE kind = 'article'
		AND target_id IN (SELECT id FROM articles WHERE `+where+`)`, arg); err != nil {
		return 0, fmt.Errorf("purge import records: %w", mapErr(err))
	}
	tag, err := tx.Exec(ctx, "DELETE FROM articles WHERE "+where, arg)
	if err != nil {
		return 0, fmt.Errorf("purge deleted stories: %w", mapErr(err))
	}
	return int(tag.RowsAffected()), nil
}

// insertReviewNote stores the reason of workflow step act on story id, by
// the user with id by, at now, inside tx (ChangeStatus calls it with the
// step's content.StatusChange.Reason).
func insertReviewNote(ctx context.Context, tx *wtx, id string, act content.Action, text, by string, now time.Time) error {
	if _, err := tx.Exec(ctx, `INSERT INTO review_notes (article_id, action, text, by_user, created_at)
		VALUES ($1, $2, $3, $4, $5)`, id, string(act), text, by, now); err != nil {
		return fmt.Errorf("store review note of article %s: %w", id, mapErr(err))
	}
	return nil
}

const reviewNoteQuery = `SELECT n.article_id, n.action, n.text, n.by_user, COALESCE(u.name, ''), n.created_at
	FROM review_notes n LEFT JOIN users u ON u.id = n.by_user`

// ReviewNotes returns the review notes of story id, newest first (none is
// an empty list, also for a story that does not exist).
func (db *DB) ReviewNotes(ctx context.Context, id string) ([]content.ReviewNote, error) {
	return db.reviewNotes(ctx, reviewNoteQuery+" WHERE n.article_id = $1 ORDER BY n.id DESC", id)
}

// LatestReviewNotes returns the newest review note of each of the stories
// ids that has one, by story id, in one query.
func (db *DB) LatestReviewNotes(ctx context.Context, ids []string) (map[string]content.ReviewNote, error) {
	out := map[string]content.ReviewNote{}
	if len(ids) == 0 {
		return out, nil
	}
	notes, err := db.reviewNotes(ctx, reviewNoteQuery+` WHERE n.id IN (SELECT max(id) FROM review_notes
		WHERE article_id = ANY($1) GROUP BY article_id)`, ids)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		out[n.ArticleID] = n
	}
	return out, nil
}

func (db *DB) reviewNotes(ctx context.Context, query string, args ...any) ([]content.ReviewNote, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query review notes: %w", mapErr(err))
	}
	defer rows.Close()
	notes := []content.ReviewNote{}
	for rows.Next() {
		var n content.ReviewNote
		var act string
		if err := rows.Scan(&n.ArticleID, &act, &n.Text, &n.By, &n.ByName, &n.At); err != nil {
			return nil, fmt.Errorf("scan review note: %w", mapErr(err))
		}
		n.Action = content.Action(act)
		notes = append(notes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query review notes: %w", mapErr(err))
	}
	return notes, nil
}
