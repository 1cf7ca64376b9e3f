package postgres

import (
	"context"
	"fmt"
	"time"

	"dateline/content"
)

// ensureTag returns the id of the tag named name, creating it if no tag has
// its slug: "Politics" and "politics " are one tag. A tag whose slug was
// set by hand is found by its exact name. A new tag takes its slug from any
// tag that redirects it. Two instances creating one tag at once create it
// once (ON CONFLICT) and both use it.
func ensureTag(ctx context.Context, tx *wtx, name string, now time.Time) (int64, error) {
	slug := content.Slugify(name)
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM tags WHERE slug = $1
		UNION ALL (SELECT id FROM tags WHERE name = $2 ORDER BY id LIMIT 1) LIMIT 1`, slug, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !noRows(err) {
		return 0, fmt.Errorf("look up tag %q: %w", slug, mapErr(err))
	}
	if _, err := tx.Exec(ctx, "DELETE FROM tag_redirects WHERE slug = $1", slug); err != nil {
		return 0, fmt.Errorf("drop tag redirect %q: %w", slug, mapErr(err))
	}
	err = tx.QueryRow(ctx, `INSERT INTO tags (slug, name, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (slug) DO NOTHING RETURNING id`, slug, name, now).Scan(&id)
	if noRows(err) { // another transaction created it since the look-up
		err = tx.QueryRow(ctx, "SELECT id FROM tags WHERE slug = $1", slug).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("create tag %q: %w", slug, mapErr(err))
	}
	return id, nil
}

// indexTags brings the tag index's copy of published_at for story id up to
// date inside tx: the story's published_at while it is public, else NULL,
// so that a walk of the tag index finds public stories only. Every write
// that changes a story's status, deletion, publication time or tags calls
// it.
func indexTags(ctx context.Context, tx *wtx, id string) error {
	if _, err := tx.Exec(ctx, `UPDATE article_tags SET published_at =
		(SELECT a.published_at FROM articles a WHERE a.id = article_tags.article_id AND `+public("a")+`)
		WHERE article_id = $1`, id); err != nil {
		return fmt.Errorf("index tags of article %s: %w", id, mapErr(err))
	}
	return nil
}

// Tags returns the tags the filter selects, by name, each with the number
// of (published, with TagFilter.Published) articles that carry it.
func (db *DB) Tags(ctx context.Context, f content.TagFilter) ([]content.Tag, error) {
	countCond := "at.article_id IN (SELECT id FROM articles WHERE deleted_at IS NULL)"
	if f.Published {
		countCond = "at.published_at IS NOT NULL AND EXISTS (SELECT 1 FROM articles a WHERE a.id = at.article_id AND " + public("a") + ")"
	}
	query := `SELECT t.id, t.slug, t.name, t.description,
		(SELECT count(*) FROM article_tags at WHERE at.tag_id = t.id AND ` + countCond + `) AS n
		FROM tags t`
	var args []any
	if f.Slug != nil {
		query += " WHERE t.slug = $1"
		args = append(args, *f.Slug)
	}
	if f.Published {
		query = "SELECT * FROM (" + query + ") c WHERE n > 0"
	}
	rows, err := db.pool.Query(ctx, query+" ORDER BY lower(name), slug", args...)
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query tags: %w", mapErr(err))
	}
	return tags, nil
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
