package sqlite

import (
	"context"
	"fmt"

	"dateline/content"
)

// Authors returns the users credited on at least one published story, by
// name, each with the number of published stories that credit them
// (Count). Users without a published story are never returned.
func (db *DB) Authors(ctx context.Context, f content.AuthorFilter) ([]content.Author, error) {
	query := `SELECT u.id, u.slug, u.name, u.bio, COUNT(*) AS n
		FROM users u
		JOIN article_authors aa ON aa.user_id = u.id
		JOIN articles a ON a.id = aa.article_id
		WHERE ` + public("a")
	var args []any
	if f.Slug != nil {
		query += " AND u.slug = ?"
		args = append(args, *f.Slug)
	}
	query += " GROUP BY u.id ORDER BY u.name COLLATE NOCASE, u.slug"
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query authors: %w", mapErr(err))
	}
	defer rows.Close()
	authors := []content.Author{}
	for rows.Next() {
		var au content.Author
		if err := rows.Scan(&au.ID, &au.Slug, &au.Name, &au.Bio, &au.Count); err != nil {
			return nil, fmt.Errorf("scan author: %w", err)
		}
		authors = append(authors, au)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query authors: %w", mapErr(err))
	}
	return authors, nil
}

// Author returns the one author the filter selects, or content.ErrNotFound
// (also for a user without a published story).
func (db *DB) Author(ctx context.Context, f content.AuthorFilter) (content.Author, error) {
	authors, err := db.Authors(ctx, f)
	if err != nil {
		return content.Author{}, err
	}
	if len(authors) == 0 {
		return content.Author{}, content.ErrNotFound
	}
	return authors[0], nil
}
