package postgres

import (
	"context"
	"fmt"
	"time"

	"dateline/content"
)

// pickSlug returns the slug article id gets. An explicit slug must be free
// (not used by another article, current or redirected) or the save fails
// naming the field; otherwise one is generated from the headline, made
// unique with a numeric suffix, and falls back to the id. Two instances
// picking one slug at once: the second insert hits the unique index and
// fails with ECONFLICT (mapErr), and nothing of it is stored.
func pickSlug(ctx context.Context, tx *wtx, id, explicit, headline string) (string, error) {
	var lookupErr error
	taken := func(s string) bool {
		var t bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE slug = $1 AND id <> $2)
			OR EXISTS (SELECT 1 FROM slug_redirects WHERE slug = $1 AND article_id <> $2)`, s, id).Scan(&t)
		if err != nil {
			lookupErr = fmt.Errorf("check slug %q: %w", s, mapErr(err))
			return false
		}
		return t
	}
	if explicit != "" {
		t := taken(explicit)
		if lookupErr != nil {
			return "", lookupErr
		}
		if t {
			return "", &content.Error{Code: content.EINVALID, Message: "validation failed",
				Fields: []content.FieldError{{Field: "slug", Message: "is already used by another story"}}}
		}
		return explicit, nil
	}
	base := content.Slugify(headline)
	if base == "" {
		base = id
	}
	slug := content.UniqueSlug(base, taken)
	return slug, lookupErr
}

// moveSlug records a slug change of article id: the old slug becomes a
// redirect if the article was ever published, and a redirect the article
// takes back is removed.
func moveSlug(ctx context.Context, tx *wtx, id, oldSlug, newSlug string, wasPublished bool, now time.Time) error {
	if _, err := tx.Exec(ctx, "DELETE FROM slug_redirects WHERE slug = $1 AND article_id = $2", newSlug, id); err != nil {
		return fmt.Errorf("drop redirect %q: %w", newSlug, mapErr(err))
	}
	if !wasPublished {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO slug_redirects (slug, article_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (slug) DO UPDATE SET article_id = excluded.article_id, created_at = excluded.created_at`,
		oldSlug, id, now); err != nil {
		return fmt.Errorf("keep redirect %q: %w", oldSlug, mapErr(err))
	}
	return nil
}
