package postgres

import (
	"context"
	"fmt"
	"time"

	"dateline/content"
)

// Tag writes lock the tags they change (tagID reads FOR UPDATE), so two
// instances renaming or merging one tag at once take turns.

// CreateTag creates a tag from t (Name required; Slug derived from it when
// empty). A tag with the same slug already existing is ECONFLICT.
func (db *DB) CreateTag(ctx context.Context, t content.TagEdit) (content.Tag, error) {
	if err := t.Normalize(true); err != nil {
		return content.Tag{}, err
	}
	slug := content.Slugify(*t.Name)
	if t.Slug != nil && *t.Slug != "" {
		slug = *t.Slug
	}
	desc := ""
	if t.Description != nil {
		desc = *t.Description
	}
	err := db.withTx(ctx, func(tx *wtx) error {
		if err := tagSlugFree(ctx, tx, slug, 0); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM tag_redirects WHERE slug = $1", slug); err != nil {
			return fmt.Errorf("drop tag redirect %q: %w", slug, mapErr(err))
		}
		tag, err := tx.Exec(ctx, "INSERT INTO tags (slug, name, description, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING",
			slug, *t.Name, desc, db.now())
		if err != nil {
			return fmt.Errorf("create tag %q: %w", slug, mapErr(err))
		}
		if tag.RowsAffected() == 0 {
			return tagSlugTaken(slug)
		}
		return nil
	})
	if err != nil {
		return content.Tag{}, err
	}
	return db.tagWithCount(ctx, slug)
}

// UpdateTag renames the tag with slug and changes its description, as
// content/sqlite's UpdateTag does. A new name moves the slug along unless
// t.Slug gives one; a slug taken by another tag is ECONFLICT (merge the
// tags instead). Stories keep the tag, and the old slug becomes a redirect
// to it (see TagRedirects). A changed name or slug writes an
// article.updated event for every published story with the tag, in the
// same transaction. Any change of a public tag (one a published story
// carries) writes a tag.updated event, with previous_slug after a new
// slug; a new description, which stories do not show, writes only that.
func (db *DB) UpdateTag(ctx context.Context, slug string, t content.TagEdit) (content.Tag, error) {
	if err := t.Normalize(false); err != nil {
		return content.Tag{}, err
	}
	newSlug := slug
	err := db.withTx(ctx, func(tx *wtx) error {
		id, err := tagID(ctx, tx, slug)
		if err != nil {
			return err
		}
		switch {
		case t.Slug != nil && *t.Slug != "":
			newSlug = *t.Slug
		case t.Name != nil:
			newSlug = content.Slugify(*t.Name)
		}
		if err := tagSlugFree(ctx, tx, newSlug, id); err != nil {
			return err
		}
		var oldName, oldDesc string
		if err := tx.QueryRow(ctx, "SELECT name, description FROM tags WHERE id = $1", id).Scan(&oldName, &oldDesc); err != nil {
			return fmt.Errorf("read tag %q: %w", slug, mapErr(err))
		}
		_, err = tx.Exec(ctx, `UPDATE tags SET slug = $1, name = COALESCE($2, name), description = COALESCE($3, description)
			WHERE id = $4`, newSlug, t.Name, t.Description, id)
		if err != nil {
			return fmt.Errorf("update tag %q: %w", slug, mapErr(err))
		}
		now := stamp(db.now())
		if newSlug != slug {
			if _, err := tx.Exec(ctx, "DELETE FROM tag_redirects WHERE slug = $1", newSlug); err != nil {
				return fmt.Errorf("drop tag redirect %q: %w", newSlug, mapErr(err))
			}
			if err := keepTagSlug(ctx, tx, slug, id, now); err != nil {
				return err
			}
		}
		renamed := newSlug != slug || (t.Name != nil && *t.Name != oldName)
		if renamed || (t.Description != nil && *t.Description != oldDesc) {
			shown, err := tagPublic(ctx, tx, id)
			if err != nil {
				return err
			}
			if shown {
				if err := tx.emit(ctx, content.TagRenamed(id, newSlug, slug), now); err != nil {
					return err
				}
			}
		}
		if t.Name == nil && newSlug == slug {
			return nil // only the description changed, which stories do not show
		}
		if renamed {
			if _, err = tagEvents(ctx, tx, id, tagChange{kind: "renamed", slug: slug, newSlug: newSlug}, now); err != nil {
				return err
			}
		}
		return db.refreshTagStories(ctx, tx, id)
	})
	if err != nil {
		return content.Tag{}, err
	}
	return db.tagWithCount(ctx, newSlug)
}

// MergeTags moves every story of tag source to tag target and deletes
// source. Stories that had both keep target once; the index of published
// stories by tag moves along. Source's slug, and its own old slugs, become
// redirects to target. Every published story that had source gets an
// article.updated event in the same transaction, and when source was
// public, a tag.deleted event for source and a tag.updated event for
// target. It returns the target with its new count.
func (db *DB) MergeTags(ctx context.Context, source, target string) (content.Tag, error) {
	if source == target {
		return content.Tag{}, &content.Error{Code: content.EINVALID, Message: "validation failed",
			Fields: []content.FieldError{{Field: "into", Message: "a tag cannot be merged into itself"}}}
	}
	err := db.withTx(ctx, func(tx *wtx) error {
		from, err := tagID(ctx, tx, source)
		if err != nil {
			return err
		}
		to, err := tagID(ctx, tx, target)
		if err != nil {
			return err
		}
		shown, err := storyIDs(ctx, tx, "SELECT article_id FROM article_tags WHERE tag_id = $1", from)
		if err != nil {
			return err
		}
		now := stamp(db.now())
		n, err := tagEvents(ctx, tx, from, tagChange{kind: "merged", slug: source, newSlug: target}, now)
		if err != nil {
			return err
		}
		if n > 0 {
			deleted, updated := content.TagMerged(from, source, to, target)
			if err := tx.emit(ctx, deleted, now); err != nil {
				return err
			}
			if err := tx.emit(ctx, updated, now); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE tag_redirects SET tag_id = $1 WHERE tag_id = $2", to, from); err != nil {
			return fmt.Errorf("move tag redirects: %w", mapErr(err))
		}
		if err := keepTagSlug(ctx, tx, source, to, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO article_tags (article_id, tag_id, position, published_at)
			SELECT article_id, $1, position, published_at FROM article_tags WHERE tag_id = $2
			ON CONFLICT DO NOTHING`, to, from); err != nil {
			return fmt.Errorf("move stories of tag %q: %w", source, mapErr(err))
		}
		if _, err := tx.Exec(ctx, "DELETE FROM tags WHERE id = $1", from); err != nil {
			return fmt.Errorf("delete tag %q: %w", source, mapErr(err))
		}
		return db.refreshPublic(ctx, tx, shown)
	})
	if err != nil {
		return content.Tag{}, err
	}
	return db.tagWithCount(ctx, target)
}

// DeleteTag removes the tag with slug from every story and deletes it,
// with its old slugs. Every published story that had it gets an
// article.updated event in the same transaction, and a public tag a
// tag.deleted event.
func (db *DB) DeleteTag(ctx context.Context, slug string) error {
	return db.withTx(ctx, func(tx *wtx) error {
		id, err := tagID(ctx, tx, slug)
		if err != nil {
			return err
		}
		shown, err := storyIDs(ctx, tx, "SELECT article_id FROM article_tags WHERE tag_id = $1", id)
		if err != nil {
			return err
		}
		now := stamp(db.now())
		n, err := tagEvents(ctx, tx, id, tagChange{kind: "deleted", slug: slug}, now)
		if err != nil {
			return err
		}
		if n > 0 {
			if err := tx.emit(ctx, content.TagDeleted(id, slug), now); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM tags WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete tag %q: %w", slug, mapErr(err))
		}
		return db.refreshPublic(ctx, tx, shown)
	})
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
	rows, err := db.pool.Query(ctx, `SELECT r.slug, t.slug FROM tag_redirects r JOIN tags t ON t.id = r.tag_id
		WHERE ($1::text[] IS NULL OR r.slug = ANY($1))
		AND NOT EXISTS (SELECT 1 FROM tags live WHERE live.slug = r.slug)
		AND EXISTS (SELECT 1 FROM article_tags at JOIN articles a ON a.id = at.article_id
			WHERE at.tag_id = t.id AND at.published_at IS NOT NULL AND `+public("a")+`)`, oldSlugs)
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

// refreshTagStories re-renders the stored public JSON of the stories that
// carry tag tagID.
func (db *DB) refreshTagStories(ctx context.Context, tx *wtx, tagID int64) error {
	shown, err := storyIDs(ctx, tx, "SELECT article_id FROM article_tags WHERE tag_id = $1", tagID)
	if err != nil {
		return err
	}
	return db.refreshPublic(ctx, tx, shown)
}

// tagChange is what happened to a tag, as the events of its stories tell
// it.
type tagChange struct {
	kind    string // "renamed", "merged" or "deleted"
	slug    string // the tag's slug before the change
	newSlug string // after a rename, or the tag merged into; "" after a delete
}

// tagEvents writes an article.updated event for every published story that
// carries tag tagID (call it before the tag leaves the stories) and returns
// how many it wrote. The payload holds the story's version, which the
// change leaves as it is, and the tag change: "tag_change" (renamed, merged
// or deleted), "tag" (the old slug) and, unless deleted, "new_tag".
func tagEvents(ctx context.Context, tx *wtx, tagID int64, ch tagChange, now time.Time) (int, error) {
	rows, err := tx.Query(ctx, `SELECT a.id, a.slug, a.version FROM article_tags at JOIN articles a ON a.id = at.article_id
		WHERE at.tag_id = $1 AND `+public("a")+` ORDER BY a.id`, tagID)
	if err != nil {
		return 0, fmt.Errorf("published stories of tag %q: %w", ch.slug, mapErr(err))
	}
	type story struct {
		id, slug string
		version  int
	}
	var stories []story
	for rows.Next() {
		var s story
		if err := rows.Scan(&s.id, &s.slug, &s.version); err != nil {
			rows.Close()
			return 0, fmt.Errorf("published stories of tag %q: %w", ch.slug, err)
		}
		stories = append(stories, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("published stories of tag %q: %w", ch.slug, mapErr(err))
	}
	for _, s := range stories {
		if err := tx.emit(ctx, content.StoryTagChanged(s.id, s.slug, s.version, ch.kind, ch.slug, ch.newSlug), now); err != nil {
			return 0, err
		}
	}
	return len(stories), nil
}

// tagPublic reports whether a published story carries tag tagID.
func tagPublic(ctx context.Context, tx *wtx, tagID int64) (bool, error) {
	var shown bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM article_tags at JOIN articles a ON a.id = at.article_id
		WHERE at.tag_id = $1 AND `+public("a")+`)`, tagID).Scan(&shown); err != nil {
		return false, fmt.Errorf("is tag %d public: %w", tagID, mapErr(err))
	}
	return shown, nil
}

// keepTagSlug makes oldSlug, which no live tag has any more, a redirect to
// tag tagID.
func keepTagSlug(ctx context.Context, tx *wtx, oldSlug string, tagID int64, now time.Time) error {
	if _, err := tx.Exec(ctx, `INSERT INTO tag_redirects (slug, tag_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (slug) DO UPDATE SET tag_id = excluded.tag_id, created_at = excluded.created_at`,
		oldSlug, tagID, now); err != nil {
		return fmt.Errorf("keep tag redirect %q: %w", oldSlug, mapErr(err))
	}
	return nil
}

// tagID returns the id of the tag with slug and locks its row until tx
// ends, or content.ErrNotFound.
func tagID(ctx context.Context, tx *wtx, slug string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, "SELECT id FROM tags WHERE slug = $1 FOR UPDATE", slug).Scan(&id)
	if noRows(err) {
		return 0, fmt.Errorf("tag %q: %w", slug, content.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("look up tag %q: %w", slug, mapErr(err))
	}
	return id, nil
}

// tagSlugFree refuses a tag slug used by a tag other than self.
func tagSlugFree(ctx context.Context, tx *wtx, slug string, self int64) error {
	var taken bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM tags WHERE slug = $1 AND id <> $2)", slug, self).Scan(&taken); err != nil {
		return fmt.Errorf("check tag slug %q: %w", slug, mapErr(err))
	}
	if taken {
		return tagSlugTaken(slug)
	}
	return nil
}

func tagSlugTaken(slug string) error {
	return content.Errorf(content.ECONFLICT, "a tag with the slug %q already exists; merge the tags instead", slug)
}

// tagWithCount reads the tag with slug and the number of live stories
// that carry it.
func (db *DB) tagWithCount(ctx context.Context, slug string) (content.Tag, error) {
	var t content.Tag
	err := db.pool.QueryRow(ctx, `SELECT t.id, t.slug, t.name, t.description,
		(SELECT count(*) FROM article_tags at JOIN articles a ON a.id = at.article_id WHERE at.tag_id = t.id AND a.deleted_at IS NULL)
		FROM tags t WHERE t.slug = $1`, slug).Scan(&t.ID, &t.Slug, &t.Name, &t.Description, &t.Count)
	if noRows(err) {
		return t, fmt.Errorf("tag %q: %w", slug, content.ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("read tag %q: %w", slug, mapErr(err))
	}
	return t, nil
}
