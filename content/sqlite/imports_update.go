package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"dateline/auth"
	"dateline/content"
)

// updateImported replaces story id, which an earlier import made, with it:
// its editable state, status and times (updated_at as the source gives it),
// corrections and credits. The version moves on and the change leaves a
// revision; the outbox gets the event readers' view calls for (published,
// updated or withdrawn). It returns the stories whose public JSON changes.
func (db *DB) updateImported(ctx context.Context, tx *wtx, id string, it content.Import, by string) ([]string, error) {
	e := it.Edit
	e.Normalize(db.zone)
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if err := it.Validate(); err != nil {
		return nil, err
	}
	if it.Status == content.StatusPublished || it.Status == content.StatusScheduled {
		if err := e.ReadyToPublish(); err != nil {
			return nil, err
		}
	}
	cur, err := currentState(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	next := max(cur.version, cur.pending) + 1 // past the working copy's revisions
	if cur.pending > 0 {
		// The import replaces the story, local edits included; the
		// working copy's revisions stay.
		if _, err := tx.ExecContext(ctx, "DELETE FROM working_copies WHERE article_id = ?", id); err != nil {
			return nil, fmt.Errorf("drop working copy of article %s: %w", id, mapErr(err))
		}
	}
	rendered := content.Render(e.Body)
	pages, err := encodePages(rendered.HTML, rendered.Pages)
	if err != nil {
		return nil, err
	}
	if e.Slug == "" {
		e.Slug = cur.slug
	}
	if e.Slug != cur.slug {
		if e.Slug, err = archiveSlug(ctx, tx, id, e.Slug, e.Headline); err != nil {
			return nil, err
		}
	}
	if err := checkReferences(ctx, tx, id, &e, true); err != nil {
		return nil, err
	}
	now := stampText(db.now())
	updated := now
	if it.UpdatedAt != nil {
		updated = stampText(*it.UpdatedAt)
	}
	_, err = tx.ExecContext(ctx, `UPDATE articles SET
		slug = ?, headline = ?, standfirst = ?, dateline_place = ?, dateline_tz = ?,
		body = ?, body_html = ?, body_text = ?, pages = ?, page_count = ?, word_count = ?, reading_minutes = ?,
		byline = ?, meta_title = ?, meta_description = ?, canonical_url = ?, featured = ?,
		status = ?, publish_at = ?, unpublish_at = ?, published_at = ?, updated_at = ?,
		created_at = COALESCE(?, created_at), version = ?
		WHERE id = ?`,
		e.Slug, e.Headline, e.Standfirst, e.Dateline.Place, e.Dateline.TimeZone,
		pack([]byte(e.Body)), pack([]byte(rendered.HTML)), packFast([]byte(rendered.Text)), pages, len(rendered.Pages), rendered.WordCount, rendered.ReadingMinutes,
		e.Byline, e.SEO.MetaTitle, e.SEO.MetaDescription, e.SEO.CanonicalURL, e.Featured,
		string(it.Status), optDue(it.PublishAt), optDue(it.UnpublishAt), optStamp(it.PublishedAt), updated,
		optStamp(it.CreatedAt), next, id)
	if err != nil {
		return nil, fmt.Errorf("update imported article %s: %w", id, mapErr(err))
	}
	if e.Slug != cur.slug {
		if err := moveSlug(ctx, tx, id, cur.slug, e.Slug, cur.publishedAt != nil || it.PublishedAt != nil, now); err != nil {
			return nil, err
		}
	}
	published := it.Status == content.StatusPublished
	wasPublished := cur.status == content.StatusPublished
	if err := writeRelations(ctx, tx, id, &e, now); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM corrections WHERE article_id = ?", id); err != nil {
		return nil, fmt.Errorf("clear corrections of article %s: %w", id, mapErr(err))
	}
	for _, c := range it.Corrections {
		if _, err := tx.ExecContext(ctx, "INSERT INTO corrections (article_id, text, created_at) VALUES (?, ?, ?)",
			id, c.Text, stampText(c.At)); err != nil {
			return nil, fmt.Errorf("import correction: %w", mapErr(err))
		}
	}
	if err := syncSearch(ctx, tx.Tx, id); err != nil {
		return nil, err
	}
	rev := revisionWrite{article: id, version: next, edit: &e, by: by, at: now, sealed: it.Status != content.StatusDraft}
	if err := db.writeRevision(ctx, tx, rev); err != nil {
		return nil, err
	}
	ids := []string{id}
	if e.Slug != cur.slug || published != wasPublished {
		more, err := publicIDs(ctx, tx, "links to "+id, "SELECT DISTINCT article_id FROM article_links WHERE target_article_id = ?", id)
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	switch {
	case published && wasPublished:
		return ids, tx.emit(ctx, content.StoryUpdated(id, e.Slug, next, cur.slug), now)
	case published:
		return ids, tx.emit(ctx, content.StoryPublished(id, e.Slug, cur.publishedAt == nil, nil), now)
	case wasPublished:
		if _, err := revokePreviewGrants(ctx, tx, id, content.PreviewRevokedByWithdrawal, now); err != nil {
			return nil, err
		}
		return ids, tx.emit(ctx, content.StoryWithdrawn(id, cur.slug), now)
	}
	return ids, nil
}

// insertOldRevisions puts revs (oldest first) below the one revision a
// new story has: they become versions 1…n, keeping their state, time and
// saver, and the story's own state n+1. They are sealed: retention keeps
// them.
func insertOldRevisions(ctx context.Context, tx *wtx, id string, revs []content.Revision) error {
	if len(revs) == 0 {
		return nil
	}
	n := len(revs)
	if _, err := tx.ExecContext(ctx, "UPDATE revisions SET version = ? WHERE article_id = ? AND version = 1", n+1, id); err != nil {
		return fmt.Errorf("renumber revision of article %s: %w", id, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, "UPDATE articles SET version = ? WHERE id = ?", n+1, id); err != nil {
		return fmt.Errorf("renumber article %s: %w", id, mapErr(err))
	}
	for i, r := range revs {
		e := r.Edit
		w := revisionWrite{article: id, version: i + 1, edit: &e, by: r.SavedBy, at: stampText(r.SavedAt), autosave: r.Autosave, sealed: true}
		if err := insertRevision(ctx, tx, w); err != nil {
			return err
		}
	}
	return nil
}

// keepOldSlugs makes each old slug a redirect to article id, unless it is
// not a valid slug, is the story's own, or another story holds it (as its
// slug or a redirect), which an import never takes away.
func keepOldSlugs(ctx context.Context, tx *wtx, id string, slugs []string, now string) error {
	for _, s := range slugs {
		if !content.ValidSlug(s) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO slug_redirects (slug, article_id, created_at)
			SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM articles WHERE slug = ?1)`, s, id, now); err != nil {
			return fmt.Errorf("keep old slug %q: %w", s, mapErr(err))
		}
	}
	return nil
}

// importUser returns the user an imported author stands for: the one an
// earlier import of source made for the same key, else an existing user
// with the author's id or email (linked, never changed), else a new user
// made from the author: inactive, without a password, a contributor, with
// the author's id and slug where free (so a Dateline export keeps its
// author pages). An author without an email address gets one under the
// reserved domain import.invalid until an admin sets the real one. cache
// holds the keys already resolved in this transaction.
func (db *DB) importUser(ctx context.Context, tx *wtx, source string, au content.ImportAuthor, cache map[string]string) (string, error) {
	key := strings.TrimSpace(au.Key)
	if key == "" {
		key = strings.ToLower(strings.TrimSpace(au.Email))
	}
	if key == "" {
		key = strings.TrimSpace(au.Name)
	}
	if key == "" {
		return "", &content.Error{Code: content.EINVALID, Message: "validation failed",
			Fields: []content.FieldError{{Field: "authors", Message: "an author needs a name, an email or an id"}}}
	}
	if id, ok := cache[key]; ok {
		return id, nil
	}
	id, err := db.findImportUser(ctx, tx, source, key, au)
	if err != nil {
		return "", err
	}
	if id == "" {
		if id, err = db.insertImportUser(ctx, tx, key, au); err != nil {
			return "", err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO import_sources (source, kind, source_id, target_id, imported_at)
		VALUES (?, 'user', ?, ?, ?)`, source, key, id, stampText(db.now())); err != nil {
		return "", fmt.Errorf("record import of author %s: %w", key, mapErr(err))
	}
	cache[key] = id
	return id, nil
}

func (db *DB) findImportUser(ctx context.Context, tx *wtx, source, key string, au content.ImportAuthor) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT u.id FROM import_sources i JOIN users u ON u.id = i.target_id
		WHERE i.source = ? AND i.kind = 'user' AND i.source_id = ?`, source, key).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, mapErr(err)
	}
	for _, q := range []struct{ cond, arg string }{{"id = ?", au.ID}, {"email = ?", strings.TrimSpace(au.Email)}} {
		if q.arg == "" {
			continue
		}
		err := tx.QueryRowContext(ctx, "SELECT id FROM users WHERE "+q.cond, q.arg).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("look up author %s: %w", key, mapErr(err))
		}
	}
	return "", nil
}

func (db *DB) insertImportUser(ctx context.Context, tx *wtx, key string, au content.ImportAuthor) (string, error) {
	name, bio := strings.TrimSpace(au.Name), strings.TrimSpace(au.Bio)
	if name == "" {
		name = key
	}
	var p content.Problems
	auth.CheckProfile(&p, name, bio)
	if len(p) > 0 {
		for i := range p {
			p[i].Field = "authors[" + key + "]." + p[i].Field
		}
		return "", p.Err()
	}
	id := au.ID
	if _, err := uuid.Parse(id); err != nil || id == "" || !userFree(ctx, tx, "id", id) {
		uid, err := uuid.NewV7()
		if err != nil {
			return "", fmt.Errorf("user id: %w", err)
		}
		id = uid.String()
	}
	email := strings.TrimSpace(au.Email)
	var ep content.Problems
	if auth.CheckEmail(&ep, email); len(ep) > 0 || !userFree(ctx, tx, "email", email) {
		base := content.Slugify(key)
		if base == "" {
			base = content.Slugify(id)
		}
		email = content.UniqueSlug(base, func(s string) bool { return !userFree(ctx, tx, "email", s+"@import.invalid") }) + "@import.invalid"
	}
	slug := au.Slug
	if !content.ValidSlug(slug) || !userFree(ctx, tx, "slug", slug) {
		var err error
		if slug, err = userSlug(ctx, tx, name, id); err != nil {
			return "", err
		}
	}
	now := stampText(db.now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, 'contributor', '', 1, 0, ?, ?)`,
		id, email, name, slug, bio, now, now); err != nil {
		return "", fmt.Errorf("insert imported author %s: %w", key, mapErr(err))
	}
	return id, nil
}

// userFree reports whether no user has value in column (id, email or
// slug); a failed look-up counts as taken.
func userFree(ctx context.Context, tx *wtx, column, value string) bool {
	var taken bool
	err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE "+column+" = ?)", value).Scan(&taken)
	return err == nil && !taken
}
