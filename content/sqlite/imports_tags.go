package sqlite

import (
	"context"
	"errors"
	"fmt"

	"dateline/content"
)

// ImportTag brings a tag of an import file (a Dateline export's tag with
// its description): a tag whose slug is free is created; an existing one
// with the same name and description is unchanged, with others it is kept
// unless opt.Update, which sets its name and description. A dry run
// checks and writes nothing. Invalid tags fail with EINVALID.
func (db *DB) ImportTag(ctx context.Context, t content.Tag, opt content.ImportOptions) (content.ImportAction, error) {
	edit := content.TagEdit{Name: &t.Name, Description: &t.Description}
	if t.Slug != "" {
		edit.Slug = &t.Slug
	}
	if err := edit.Normalize(true); err != nil {
		return content.ImportFailed, err
	}
	slug := content.Slugify(*edit.Name)
	if edit.Slug != nil && *edit.Slug != "" {
		slug = *edit.Slug
	}
	cur, err := db.Tag(ctx, content.TagFilter{Slug: &slug})
	switch {
	case errors.Is(err, content.ErrNotFound):
		if opt.DryRun {
			return content.ImportCreated, nil
		}
		if _, err := db.CreateTag(ctx, edit); err != nil {
			return content.ImportFailed, err
		}
		return content.ImportCreated, nil
	case err != nil:
		return content.ImportFailed, err
	case cur.Name == *edit.Name && cur.Description == *edit.Description:
		return content.ImportUnchanged, nil
	case !opt.Update:
		return content.ImportKept, nil
	case opt.DryRun:
		return content.ImportUpdated, nil
	}
	if _, err := db.UpdateTag(ctx, slug, content.TagEdit{Name: edit.Name, Description: edit.Description}); err != nil {
		return content.ImportFailed, err
	}
	return content.ImportUpdated, nil
}

// AuthorEmails returns the email address of every user credited on a
// story, by user id, for an export.
func (db *DB) AuthorEmails(ctx context.Context) (map[string]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, email FROM users WHERE id IN (SELECT user_id FROM article_authors)`)
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
	return out, rows.Err()
}
