package postgres

import (
	"context"
	"fmt"

	"dateline/content"
)

// PublishedCount returns the number of public articles.
func (db *DB) PublishedCount(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM articles a
		WHERE `+public("a")+` AND a.published_at IS NOT NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count published articles: %w", mapErr(err))
	}
	return n, nil
}

// PublishedStamps returns public articles oldest first (by first
// publication, then id), skipping offset of them and returning at most
// limit. Only ID, Slug, Headline, PublishedAt and UpdatedAt are filled: no
// body, tags, authors, photos or links. The order is stable as stories are
// published, so a sitemap file that is full keeps its contents.
func (db *DB) PublishedStamps(ctx context.Context, offset, limit int) ([]*content.Article, error) {
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	rows, err := db.pool.Query(ctx, `SELECT a.id, a.slug, a.headline, a.published_at, a.updated_at FROM articles a
		WHERE `+public("a")+` AND a.published_at IS NOT NULL
		ORDER BY a.published_at, a.id LIMIT $1 OFFSET $2`, limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("query published stamps: %w", mapErr(err))
	}
	defer rows.Close()
	as := make([]*content.Article, 0, min(limit, 1024))
	for rows.Next() {
		var a content.Article
		if err := rows.Scan(&a.ID, &a.Slug, &a.Headline, &a.PublishedAt, &a.UpdatedAt); err != nil {
			return nil, fmt.Errorf("scan published stamp: %w", mapErr(err))
		}
		a.Status = content.StatusPublished
		as = append(as, &a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query published stamps: %w", mapErr(err))
	}
	return as, nil
}
