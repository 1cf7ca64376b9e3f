package postgres

import (
	"context"
	"fmt"

	"dateline/content"
)

// updateImported replaces story id, which an earlier import made, with it:
// its editable state, status and times (updated_at as the source gives it),
// corrections and credits. The version moves on and the change leaves a
// revision; the outbox gets the event readers' view calls for (published,
// updated or withdrawn).
func (db *DB) updateImported(ctx context.Context, tx *wtx, id string, it content.Import, by string) error {
	e := it.Edit
	e.Normalize(db.zone)
	if err := e.Validate(); err != nil {
		return err
	}
	if err := it.Validate(); err != nil {
		return err
	}
	if it.Status == content.StatusPublished || it.Status == content.StatusScheduled {
		if err := e.ReadyToPublish(); err != nil {
			return err
		}
	}
	cur, err := currentState(ctx, tx, id)
	if err != nil {
		return err
	}
	next := max(cur.version, cur.pending) + 1 // past the working copy's revisions
	if cur.pending > 0 {
		// The import replaces the story, local edits included; the
		// working copy's revisions stay.
		if _, err := tx.Exec(ctx, "DELETE FROM working_copies WHERE article_id = $1", id); err != nil {
			return fmt.Errorf("drop working copy of article %s: %w", id, mapErr(err))
		}
	}
	rendered := content.Render(e.Body)
	if e.Slug == "" {
		e.Slug = cur.slug
	}
	if e.Slug != cur.slug {
		if e.Slug, err = archiveSlug(ctx, tx, id, e.Slug, e.Headline); err != nil {
			return err
		}
	}
	if err := checkReferences(ctx, tx, id, &e, true); err != nil {
		return err
	}
	now := stamp(db.now())
	updated := now
	if it.UpdatedAt != nil {
		updated = stamp(*it.UpdatedAt)
	}
	_, err = tx.Exec(ctx, `UPDATE articles SET
		slug = $1, headline = $2, standfirst = $3, dateline_place = $4, dateline_tz = $5,
		body = $6, body_html = $7, body_text = $8, pages = $9, page_count = $10, word_count = $11, reading_minutes = $12,
		byline = $13, meta_title = $14, meta_description = $15, canonical_url = $16, featured = $17,
		status = $18, publish_at = $19, unpublish_at = $20, published_at = $21, updated_at = $22,
		created_at = COALESCE($23, created_at), version = $24
		WHERE id = $25`,
		e.Slug, e.Headline, e.Standfirst, e.Dateline.Place, e.Dateline.TimeZone,
		e.Body, rendered.HTML, rendered.Text, pages(rendered.Pages), len(rendered.Pages), rendered.WordCount, rendered.ReadingMinutes,
		e.Byline, e.SEO.MetaTitle, e.SEO.MetaDescription, e.SEO.CanonicalURL, e.Featured,
		string(it.Status), optDue(it.PublishAt), optDue(it.UnpublishAt), optStamp(it.PublishedAt), updated,
		optStamp(it.CreatedAt), next, id)
	if err != nil {
		return fmt.Errorf("update imported article %s: %w", id, mapErr(err))
	}
	tx.schedule = true
	if e.Slug != cur.slug {
		if err := moveSlug(ctx, tx, id, cur.slug, e.Slug, cur.publishedAt != nil || it.PublishedAt != nil, now); err != nil {
			return err
		}
	}
	published := it.Status == content.StatusPublished
	wasPublished := cur.status == content.StatusPublished
	if err := writeRelations(ctx, tx, id, &e, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM corrections WHERE article_id = $1", id); err != nil {
		return fmt.Errorf("clear corrections of article %s: %w", id, mapErr(err))
	}
	for _, c := range it.Corrections {
		if _, err := tx.Exec(ctx, "INSERT INTO corrections (article_id, text, created_at) VALUES ($1, $2, $3)",
			id, c.Text, stamp(c.At)); err != nil {
			return fmt.Errorf("import correction: %w", mapErr(err))
		}
	}
	if err := db.syncSearch(ctx, tx, id); err != nil {
		return err
	}
	rev := revisionWrite{article: id, version: next, edit: &e, by: by, at: now, sealed: it.Status != content.StatusDraft}
	if err := db.writeRevision(ctx, tx, rev); err != nil {
		return err
	}
	switch {
	case published && wasPublished:
		return tx.emit(ctx, content.StoryUpdated(id, e.Slug, next, cur.slug), now)
	case published:
		return tx.emit(ctx, content.StoryPublished(id, e.Slug, cur.publishedAt == nil, nil), now)
	case wasPublished:
		if err := revokePreviewGrants(ctx, tx, id, content.PreviewRevokedByWithdrawal, now); err != nil {
			return err
		}
		return tx.emit(ctx, content.StoryWithdrawn(id, cur.slug), now)
	}
	return nil
}
