package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dateline/content"
)

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
		if err := slugFree(ctx, tx, slug, 0); err != nil {
			return err
		}
		if err := claimTagSlug(ctx, tx, slug); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO tags (slug, name, description, created_at) VALUES (?, ?, ?, ?)",
			slug, *t.Name, desc, timeText(db.now()))
		if err != nil {
			return fmt.Errorf("create tag %q: %w", slug, mapErr(err))
		}
		return nil
	})
	if err != nil {
		return content.Tag{}, err
	}
	return db.tagAfterWrite(ctx, slug)
}

// UpdateTag renames the tag with slug and changes its description. A new
// name moves the slug along unless t.Slug gives one; a slug taken by another
// tag is ECONFLICT (merge the tags instead). Stories keep the tag, and
// the old slug becomes a redirect to it (see TagRedirects). A name
// re-renders the stored public JSON of the tag's stories; a changed name or
// slug also writes an article.updated event for every published story with
// the tag, in the same transaction. Any change of a public tag (one a
// published story carries) writes a tag.updated event, with previous_slug
// after a new slug; a new description, which stories do not show, writes
// only that.
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
		if err := slugFree(ctx, tx, newSlug, id); err != nil {
			return err
		}
		var oldName, oldDesc string
		if err := tx.QueryRowContext(ctx, "SELECT name, description FROM tags WHERE id = ?", id).Scan(&oldName, &oldDesc); err != nil {
			return fmt.Errorf("read tag %q: %w", slug, mapErr(err))
		}
		_, err = tx.ExecContext(ctx, `UPDATE tags SET slug = ?, name = COALESCE(?, name), description = COALESCE(?, description)
			WHERE id = ?`, newSlug, t.Name, t.Description, id)
		if err != nil {
			return fmt.Errorf("update tag %q: %w", slug, mapErr(err))
		}
		now := stampText(db.now())
		if newSlug != slug {
			if err := claimTagSlug(ctx, tx, newSlug); err != nil {
				return err
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
		if newSlug != slug || *t.Name != oldName {
			if _, err = tagEvents(ctx, tx, id, tagChange{kind: "renamed", slug: slug, newSlug: newSlug}, now); err != nil {
				return err
			}
		}
		shown, err := tagPublicIDs(ctx, tx, id)
		if err != nil {
			return err
		}
		return db.refreshPublic(ctx, tx, shown)
	})
	if err != nil {
		return content.Tag{}, err
	}
	return db.tagAfterWrite(ctx, newSlug)
}

// MergeTags moves every story of tag source to tag target and deletes
// source. Stories that had both keep target once; the index of published
// stories by tag moves along, so delivery lists stay right. Source's slug,
// and its own old slugs, become redirects to target. Every published
// story that had source gets an article.updated event in the same
// transaction, and when source was public (a published story carried
// it), a tag.deleted event for source and a tag.updated event for target.
// It returns the target with its new count.
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
		shown, err := tagPublicIDs(ctx, tx, from)
		if err != nil {
			return err
		}
		now := stampText(db.now())
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
		if err := moveTagRedirects(ctx, tx, from, to); err != nil {
			return err
		}
		if err := keepTagSlug(ctx, tx, source, to, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO article_tags (article_id, tag_id, position, published_at)
			SELECT article_id, ?, position, published_at FROM article_tags WHERE tag_id = ?`, to, from); err != nil {
			return fmt.Errorf("move stories of tag %q: %w", source, mapErr(err))
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM tags WHERE id = ?", from); err != nil {
			return fmt.Errorf("delete tag %q: %w", source, mapErr(err))
		}
		return db.refreshPublic(ctx, tx, shown)
	})
	if err != nil {
		return content.Tag{}, err
	}
	return db.tagAfterWrite(ctx, target)
}

// DeleteTag removes the tag with slug from every story and deletes it,
// with its old slugs. Every published story that had it gets an
// article.updated event in the same transaction, and a public tag a
// tag.deleted event.
func (db *DB) DeleteTag(ctx context.Context, slug string) error {
	err := db.withTx(ctx, func(tx *wtx) error {
		id, err := tagID(ctx, tx, slug)
		if err != nil {
			return err
		}
		shown, err := tagPublicIDs(ctx, tx, id)
		if err != nil {
			return err
		}
		now := stampText(db.now())
		n, err := tagEvents(ctx, tx, id, tagChange{kind: "deleted", slug: slug}, now)
		if err != nil {
			return err
		}
		if n > 0 {
			if err := tx.emit(ctx, content.TagDeleted(id, slug), now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM tags WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete tag %q: %w", slug, mapErr(err))
		}
		return db.refreshPublic(ctx, tx, shown)
	})
	if err != nil {
		return err
	}
	return nil
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
func tagEvents(ctx context.Context, tx *wtx, tagID int64, ch tagChange, now string) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.slug, a.version FROM article_tags at JOIN articles a ON a.id = at.article_id
		WHERE at.tag_id = ? AND `+public("a")+` ORDER BY a.id`, tagID)
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

func tagID(ctx context.Context, tx *wtx, slug string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM tags WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("tag %q: %w", slug, content.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("look up tag %q: %w", slug, mapErr(err))
	}
	return id, nil
}

// slugFree refuses a tag slug used by a tag other than self.
func slugFree(ctx context.Context, tx *wtx, slug string, self int64) error {
	var taken bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM tags WHERE slug = ? AND id <> ?)", slug, self).Scan(&taken); err != nil {
		return fmt.Errorf("check tag slug %q: %w", slug, mapErr(err))
	}
	if taken {
		return content.Errorf(content.ECONFLICT, "a tag with the slug %q already exists; merge the tags instead", slug)
	}
	return nil
}

// tagAfterWrite reads a tag through the writer, so that it sees the write.
func (db *DB) tagAfterWrite(ctx context.Context, slug string) (content.Tag, error) {
	var t content.Tag
	err := db.w.QueryRowContext(ctx, `SELECT t.id, t.slug, t.name, t.description,
		(SELECT COUNT(*) FROM article_tags at JOIN articles a ON a.id = at.article_id WHERE at.tag_id = t.id AND a.deleted_at IS NULL)
		FROM tags t WHERE t.slug = ?`, slug).Scan(&t.ID, &t.Slug, &t.Name, &t.Description, &t.Count)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("tag %q: %w", slug, content.ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("read tag %q: %w", slug, mapErr(err))
	}
	return t, nil
}
