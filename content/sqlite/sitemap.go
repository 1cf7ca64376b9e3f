package sqlite

import (
	"context"
	"fmt"

	"dateline/content"
)

// PublishedCount returns the number of public articles (visible.go).
func (db *DB) PublishedCount(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles a
		WHERE `+public("a")+` AND a.published_at IS NOT NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count published articles: %w", mapErr(err))
	}
	return n, nil
}

// PublishedStamps returns public articles (visible.go) oldest first (by first
// publication, then id), skipping offset of them and returning at most
// limit. Only ID, Slug, Headline, PublishedAt and UpdatedAt are filled: no
// body, tags, authors, photos or links. The order is stable as stories are
// published, so a sitemap file that is full keeps its contents.
func (db *DB) PublishedStamps(ctx context.Context, offset, limit int) ([]*content.Article, error) {
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	rows, err := db.r.QueryContext(ctx, `SELECT a.id, a.slug, a.headline, a.published_at, a.updated_at FROM articles a
		WHERE `+public("a")+` AND a.published_at IS NOT NULL
		ORDER BY a.published_at, a.id LIMIT ? OFFSET ?`, limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("query published stamps: %w", mapErr(err))
	}
	defer rows.Close()
	as := make([]*content.Article, 0, min(limit, 1024))
	for rows.Next() {
		var (
			a                  content.Article
			published, updated string
		)
		if err := rows.Scan(&a.ID, &a.Slug, &a.Headline, &published, &updated); err != nil {
			return nil, fmt.Errorf("scan published stamp: %w", mapErr(err))
		}
		p, err := parseTime(published)
		if err != nil {
			return nil, err
		}
		a.PublishedAt = &p
		if a.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, err
		}
		a.Status = content.StatusPublished
		as = append(as, &a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query published stamps: %w", mapErr(err))
	}
	return as, nil
}
