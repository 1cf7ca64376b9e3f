package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"dateline/content"
)

// Revisions returns every revision of article id, newest first.
func (db *DB) Revisions(ctx context.Context, id string) ([]content.Revision, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT version, state, saved_by, saved_at FROM revisions
		WHERE article_id = ? ORDER BY version DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("query revisions of %s: %w", id, mapErr(err))
	}
	defer rows.Close()
	revs := []content.Revision{}
	for rows.Next() {
		r := content.Revision{ArticleID: id}
		var state, at string
		if err := rows.Scan(&r.Version, &state, &r.SavedBy, &at); err != nil {
			return nil, fmt.Errorf("scan revision: %w", err)
		}
		if err := json.Unmarshal([]byte(state), &r.Edit); err != nil {
			return nil, fmt.Errorf("decode revision %d of %s: %w", r.Version, id, err)
		}
		if r.SavedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		revs = append(revs, r)
	}
	return revs, rows.Err()
}
