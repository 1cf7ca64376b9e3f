package sqlite

import (
	"context"
	"fmt"

	"dateline/content"
)

// PublishedCount returns the number of published articles.
func (db *DB) PublishedCount(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles a
		WHERE a.status = 'published' AND a.published_at IS NOT NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count published articles: %w", mapErr(err))
	}
	return n, nil
}

// PublishedStamps returns published articles oldest first (by first
// publication, then id), skipping offset of them and returning at most
// limit. Only the summary fields (slug, headline, times) are loaded: no
// tags, authors, photos or links. The order is stable as stories are
// published, so a sitemap file that is full keeps its contents.
func (db *DB) PublishedStamps(ctx context.Context, offset, limit int) ([]*content.Article, error) {
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+summaryColumns+` FROM articles a
		WHERE a.status = 'published' AND a.published_at IS NOT NULL
		ORDER BY a.published_at, a.id LIMIT ? OFFSET ?`, limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("query published stamps: %w", mapErr(err))
	}
	defer rows.Close()
	var as []*content.Article
	for rows.Next() {
		a, err := scanArticle(rows, false)
		if err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query published stamps: %w", mapErr(err))
	}
	return as, nil
}
