package sqlite

import (
	"context"
	"fmt"
)

// Old tag slugs (migrations/0009_tag_redirects.sql).
//
// Contract: a row of tag_redirects maps a slug no live tag has to the tag
// that once had it (renamed away, or merged into that tag). Every write
// that gives a tag a slug calls claimTagSlug first, so a redirect never
// shadows a live tag; deleting a tag deletes its redirects (ON DELETE
// CASCADE).

// claimTagSlug removes the redirect of slug, which a live tag takes now.
func claimTagSlug(ctx context.Context, tx *wtx, slug string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM tag_redirects WHERE slug = ?", slug); err != nil {
		return fmt.Errorf("drop tag redirect %q: %w", slug, mapErr(err))
	}
	return nil
}

// keepTagSlug makes oldSlug, which no live tag has any more, a redirect to
// tag tagID.
func keepTagSlug(ctx context.Context, tx *wtx, oldSlug string, tagID int64, now string) error {
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO tag_redirects (slug, tag_id, created_at) VALUES (?, ?, ?)",
		oldSlug, tagID, now); err != nil {
		return fmt.Errorf("keep tag redirect %q: %w", oldSlug, mapErr(err))
	}
	return nil
}

// moveTagRedirects points every redirect of tag from at tag to, which is
// about to absorb it.
func moveTagRedirects(ctx context.Context, tx *wtx, from, to int64) error {
	if _, err := tx.ExecContext(ctx, "UPDATE tag_redirects SET tag_id = ? WHERE tag_id = ?", to, from); err != nil {
		return fmt.Errorf("move tag redirects: %w", mapErr(err))
	}
	return nil
}

// TagRedirects maps each of oldSlugs that is an old slug of a tag with
// published stories to that tag's current slug; nil oldSlugs asks for every
// such slug. Slugs of live tags, slugs never used and old slugs of tags
// without published stories are not in the map, which is empty (not nil)
// when none is.
func (db *DB) TagRedirects(ctx context.Context, oldSlugs []string) (map[string]string, error) {
	out := map[string]string{}
	if oldSlugs != nil && len(oldSlugs) == 0 {
		return out, nil
	}
	args := make([]any, len(oldSlugs))
	for i, s := range oldSlugs {
		args[i] = s
	}
	which := "1"
	if oldSlugs != nil {
		which = "r.slug IN (" + placeholders(len(oldSlugs)) + ")"
	}
	rows, err := db.r.QueryContext(ctx, `SELECT r.slug, t.slug FROM tag_redirects r JOIN tags t ON t.id = r.tag_id
		WHERE `+which+`
		AND NOT EXISTS (SELECT 1 FROM tags live WHERE live.slug = r.slug)
		AND EXISTS (SELECT 1 FROM article_tags at JOIN articles a ON a.id = at.article_id
			WHERE at.tag_id = t.id AND at.published_at IS NOT NULL AND `+public("a")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("look up tag redirects: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var old, current string
		if err := rows.Scan(&old, &current); err != nil {
			return nil, fmt.Errorf("scan tag redirect: %w", err)
		}
		out[old] = current
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up tag redirects: %w", mapErr(err))
	}
	return out, nil
}
