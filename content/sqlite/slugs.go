package sqlite

import (
	"context"
	"fmt"

	"dateline/content"
)

// pickSlug returns the slug article id gets. An explicit slug must be free
// (not used by another article, current or redirected) or the save fails
// naming the field; otherwise one is generated from the headline, made
// unique with a numeric suffix, and falls back to the id.
func pickSlug(ctx context.Context, tx *wtx, id, explicit, headline string) (string, error) {
	var lookupErr error
	taken := func(s string) bool {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM articles WHERE slug = ? AND id <> ?) +
			(SELECT COUNT(*) FROM slug_redirects WHERE slug = ? AND article_id <> ?)`, s, id, s, id).Scan(&n)
		if err != nil {
			lookupErr = fmt.Errorf("check slug %q: %w", s, mapErr(err))
			return false
		}
		return n > 0
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
func moveSlug(ctx context.Context, tx *wtx, id, oldSlug, newSlug string, wasPublished bool, now string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM slug_redirects WHERE slug = ? AND article_id = ?", newSlug, id); err != nil {
		return fmt.Errorf("drop redirect %q: %w", newSlug, mapErr(err))
	}
	if !wasPublished {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO slug_redirects (slug, article_id, created_at) VALUES (?, ?, ?)",
		oldSlug, id, now); err != nil {
		return fmt.Errorf("keep redirect %q: %w", oldSlug, mapErr(err))
	}
	return nil
}
