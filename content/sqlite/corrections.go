package sqlite

import (
	"context"
	"fmt"

	"dateline/content"
)

// Corrections returns entries of the public corrections log: corrections of
// stories that are published now, newest first (by time, then id), at most
// f.Limit (default content.DefaultLimit), after f.After. A withdrawn or
// deleted story's corrections are left out; a cursor that is not one of
// this log's is a validation error on field "cursor".
func (db *DB) Corrections(ctx context.Context, f content.CorrectionFilter) ([]content.CorrectionEntry, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	// CROSS JOIN keeps corrections the outer loop: there are far fewer of
	// them than published stories, which the planner would otherwise walk
	// whole, probing each for corrections.
	query := `SELECT c.id, c.text, c.created_at, a.slug, a.headline
		FROM corrections c CROSS JOIN articles a ON a.id = c.article_id
		WHERE ` + public("a")
	var args []any
	if f.After != nil {
		id, err := content.CorrectionID(*f.After)
		if err != nil {
			return nil, err
		}
		query += " AND (c.created_at, c.id) < (?, ?)"
		args = append(args, timeText(f.After.Time), id)
	}
	query += " ORDER BY c.created_at DESC, c.id DESC LIMIT ?"
	rows, err := db.r.QueryContext(ctx, query, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("query corrections: %w", mapErr(err))
	}
	defer rows.Close()
	entries := []content.CorrectionEntry{}
	for rows.Next() {
		var e content.CorrectionEntry
		var at string
		if err := rows.Scan(&e.ID, &e.Text, &at, &e.ArticleSlug, &e.Headline); err != nil {
			return nil, fmt.Errorf("scan correction: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query corrections: %w", mapErr(err))
	}
	return entries, nil
}
