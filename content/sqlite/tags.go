package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dateline/content"
)

// ensureTag returns the id of the tag named name, creating it if no tag has
// its slug: "Politics" and "politics " are one tag. A tag whose slug was
// set by hand is found by its exact name. A new tag takes its slug from any
// tag that redirects it.
func ensureTag(ctx context.Context, tx *wtx, name, now string) (int64, error) {
	slug := content.Slugify(name)
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM tags WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRowContext(ctx, "SELECT id FROM tags WHERE name = ? ORDER BY id LIMIT 1", name).Scan(&id)
	}
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("look up tag %q: %w", slug, mapErr(err))
	}
	if err := claimTagSlug(ctx, tx, slug); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO tags (slug, name, created_at) VALUES (?, ?, ?)", slug, name, now)
	if err != nil {
		return 0, fmt.Errorf("create tag %q: %w", slug, mapErr(err))
	}
	return res.LastInsertId()
}

// Tags returns the tags the filter selects, by name, each with the number
// of (published, with TagFilter.Published) articles that carry it.
func (db *DB) Tags(ctx context.Context, f content.TagFilter) ([]content.Tag, error) {
	countCond := "at.article_id IN (SELECT id FROM articles WHERE deleted_at IS NULL)"
	if f.Published {
		// The tag index's copy of published_at narrows the count to public
		// stories (indexTags); each is checked against the story as well.
		countCond = "at.published_at IS NOT NULL AND EXISTS (SELECT 1 FROM articles a INDEXED BY articles_summary WHERE a.id = at.article_id AND " + public("a") + ")"
	}
	query := `SELECT t.id, t.slug, t.name, t.description,
		(SELECT COUNT(*) FROM article_tags at WHERE at.tag_id = t.id AND ` + countCond + `) AS n
		FROM tags t`
	var args []any
	if f.Slug != nil {
		query += " WHERE t.slug = ?"
		args = append(args, *f.Slug)
	}
	if f.Published {
		query = "SELECT * FROM (" + query + ") WHERE n > 0"
	}
	query += " ORDER BY 3 COLLATE NOCASE, 2"
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query tags: %w", mapErr(err))
	}
	defer rows.Close()
	tags := []content.Tag{}
	for rows.Next() {
		var t content.Tag
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name, &t.Description, &t.Count); err != nil {
			return nil, fmt.Errorf("scan tag: %w", err)
		}
		tags = append(tags, t)
	}
	return tags, rows.Err()
}

// Tag returns the one tag the filter selects, or content.ErrNotFound.
func (db *DB) Tag(ctx context.Context, f content.TagFilter) (content.Tag, error) {
	tags, err := db.Tags(ctx, f)
	if err != nil {
		return content.Tag{}, err
	}
	if len(tags) == 0 {
		return content.Tag{}, content.ErrNotFound
	}
	return tags[0], nil
}
