package postgres

import (
	"context"
	"fmt"

	"dateline/content"
)

// Authors returns the users credited on at least one published story, by
// name, each with the number of published stories that credit them
// (Count). Users without a published story are never returned.
func (db *DB) Authors(ctx context.Context, f content.AuthorFilter) ([]content.Author, error) {
	query := `SELECT u.id, u.slug, u.name, u.bio, count(*) AS n
		FROM users u
		JOIN article_authors aa ON aa.user_id = u.id
		JOIN articles a ON a.id = aa.article_id
		WHERE ` + public("a")
	var args []any
	if f.Slug != nil {
		query += " AND u.slug = $1"
		args = append(args, *f.Slug)
	}
	rows, err := db.pool.Query(ctx, query+" GROUP BY u.id ORDER BY lower(u.name), u.slug", args...)
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
	var p params
	query := `SELECT c.id, c.text, c.created_at, a.slug, a.headline
		FROM corrections c JOIN articles a ON a.id = c.article_id
		WHERE ` + public("a")
	if f.After != nil {
		id, err := content.CorrectionID(*f.After)
		if err != nil {
			return nil, err
		}
		query += " AND (c.created_at, c.id) < (" + p.add(f.After.Time.UTC()) + ", " + p.add(id) + ")"
	}
	query += " ORDER BY c.created_at DESC, c.id DESC LIMIT " + p.add(limit)
	rows, err := db.pool.Query(ctx, query, p...)
	if err != nil {
		return nil, fmt.Errorf("query corrections: %w", mapErr(err))
	}
	defer rows.Close()
	entries := []content.CorrectionEntry{}
	for rows.Next() {
		var e content.CorrectionEntry
		if err := rows.Scan(&e.ID, &e.Text, &e.At, &e.ArticleSlug, &e.Headline); err != nil {
			return nil, fmt.Errorf("scan correction: %w", err)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query corrections: %w", mapErr(err))
	}
	return entries, nil
}

// AuthorEmails returns the email address of every user credited on a
// story, by user id, for an export.
func (db *DB) AuthorEmails(ctx context.Context) (map[string]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, email FROM users WHERE id IN (SELECT user_id FROM article_authors)`)
	if err != nil {
		return nil, fmt.Errorf("read author emails: %w", mapErr(err))
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, fmt.Errorf("read author emails: %w", err)
		}
		out[id] = email
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read author emails: %w", mapErr(err))
	}
	return out, nil
}
