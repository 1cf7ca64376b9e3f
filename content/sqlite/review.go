package sqlite

import (
	"context"
	"fmt"

	"dateline/content"
)

// insertReviewNote stores the reason of workflow step act on story id, by
// the user with id by, at now, inside tx (ChangeStatus calls it with the
// step's content.StatusChange.Reason).
func insertReviewNote(ctx context.Context, tx *wtx, id string, act content.Action, text, by, now string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO review_notes (article_id, action, text, by_user, created_at)
		VALUES (?, ?, ?, ?, ?)`, id, string(act), text, by, now); err != nil {
		return fmt.Errorf("store review note of article %s: %w", id, mapErr(err))
	}
	return nil
}

const reviewNoteQuery = `SELECT n.article_id, n.action, n.text, n.by_user, COALESCE(u.name, ''), n.created_at
	FROM review_notes n LEFT JOIN users u ON u.id = n.by_user`

// ReviewNotes returns the review notes of story id, newest first (none is
// an empty list, also for a story that does not exist).
func (db *DB) ReviewNotes(ctx context.Context, id string) ([]content.ReviewNote, error) {
	return db.reviewNotes(ctx, reviewNoteQuery+" WHERE n.article_id = ? ORDER BY n.id DESC", id)
}

// LatestReviewNotes returns the newest review note of each of the stories
// ids that has one, by story id, in one query.
func (db *DB) LatestReviewNotes(ctx context.Context, ids []string) (map[string]content.ReviewNote, error) {
	out := map[string]content.ReviewNote{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	notes, err := db.reviewNotes(ctx, reviewNoteQuery+` WHERE n.id IN (SELECT MAX(id) FROM review_notes
		WHERE article_id IN (`+placeholders(len(ids))+`) GROUP BY article_id)`, args...)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		out[n.ArticleID] = n
	}
	return out, nil
}

func (db *DB) reviewNotes(ctx context.Context, query string, args ...any) ([]content.ReviewNote, error) {
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query review notes: %w", mapErr(err))
	}
	defer rows.Close()
	notes := []content.ReviewNote{}
	for rows.Next() {
		var n content.ReviewNote
		var act, at string
		if err := rows.Scan(&n.ArticleID, &act, &n.Text, &n.By, &n.ByName, &at); err != nil {
			return nil, fmt.Errorf("scan review note: %w", mapErr(err))
		}
		n.Action = content.Action(act)
		if n.At, err = parseTime(at); err != nil {
			return nil, err
		}
		notes = append(notes, n)
	}
	return notes, rows.Err()
}
