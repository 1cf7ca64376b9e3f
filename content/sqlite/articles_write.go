package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"dateline/content"
)

// CreateArticle validates e, renders its body and stores it as a new draft
// (version 1, with its first revision). by is the id of the saving user, or
// "" for the system.
func (db *DB) CreateArticle(ctx context.Context, e content.Edit, by string) (*content.Article, error) {
	var id string
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		db.unseen() // a new draft
		var err error
		id, err = db.insertArticle(ctx, tx, content.Import{Edit: e, Status: content.StatusDraft}, by)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// Import stores many articles in one transaction with the statuses and
// times they carry (a bulk load from another system, the demo newsroom, a
// benchmark). Each is validated like a save; published ones must be ready
// to publish and write a published event. It returns the new ids in order;
// on any error nothing is stored.
func (db *DB) Import(ctx context.Context, items []content.Import, by string) ([]string, error) {
	ids := make([]string, 0, len(items))
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		for i, it := range items {
			id, err := db.insertArticle(ctx, tx, it, by)
			if err != nil {
				return fmt.Errorf("import item %d: %w", i, err)
			}
			ids = append(ids, id)
		}
		return db.refreshPublic(ctx, tx, ids)
	})
	if err != nil {
		return nil, err
	}
	notify(db.OnScheduleChange)
	notify(db.OnEvent)
	return ids, nil
}

func (db *DB) insertArticle(ctx context.Context, tx *sql.Tx, it content.Import, by string) (string, error) {
	e := it.Edit
	e.Normalize(db.Zone)
	if err := e.Validate(); err != nil {
		return "", err
	}
	if err := it.Validate(); err != nil {
		return "", err
	}
	if it.Status == content.StatusPublished || it.Status == content.StatusScheduled {
		if err := e.ReadyToPublish(); err != nil {
			return "", err
		}
	}
	rendered := content.Render(e.Body)
	pages, err := json.Marshal(rendered.Pages)
	if err != nil {
		return "", fmt.Errorf("encode pages: %w", err)
	}
	uid, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new article id: %w", err)
	}
	id := uid.String()
	now := stamp(db.now())
	created := now
	if it.CreatedAt != nil {
		created = stamp(*it.CreatedAt)
	}
	if e.Slug, err = pickSlug(ctx, tx, id, e.Slug, e.Headline); err != nil {
		return "", err
	}
	if err := checkReferences(ctx, tx, id, &e); err != nil {
		return "", err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO articles (
		id, slug, headline, standfirst, dateline_place, dateline_tz,
		body, body_html, body_text, pages, page_count, word_count, reading_minutes,
		byline, meta_title, meta_description, canonical_url, featured,
		status, version, publish_at, unpublish_at, published_at, updated_at, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, NULLIF(?, ''))`,
		id, e.Slug, e.Headline, e.Standfirst, e.Dateline.Place, e.Dateline.TimeZone,
		e.Body, rendered.HTML, rendered.Text, string(pages), len(rendered.Pages), rendered.WordCount, rendered.ReadingMinutes,
		e.Byline, e.SEO.MetaTitle, e.SEO.MetaDescription, e.SEO.CanonicalURL, e.Featured,
		string(it.Status), optDue(it.PublishAt), optDue(it.UnpublishAt), optStamp(it.PublishedAt),
		timeText(now), timeText(created), by)
	if err != nil {
		return "", fmt.Errorf("insert article: %w", mapErr(err))
	}
	if err := writeRelations(ctx, tx, id, &e, timeText(now)); err != nil {
		return "", err
	}
	first := revisionWrite{article: id, version: 1, edit: &e, by: by, at: timeText(now), sealed: it.Status != content.StatusDraft}
	if err := insertRevision(ctx, tx, first); err != nil {
		return "", err
	}
	if err := syncSearch(ctx, tx, id); err != nil {
		return "", err
	}
	for _, c := range it.Corrections {
		if _, err := tx.ExecContext(ctx, "INSERT INTO corrections (article_id, text, created_at) VALUES (?, ?, ?)",
			id, c.Text, stampText(c.At)); err != nil {
			return "", fmt.Errorf("import correction: %w", mapErr(err))
		}
	}
	if it.Status == content.StatusPublished {
		return id, insertEvent(ctx, tx, content.EventPublished, id, e.Slug, map[string]any{"first": true}, *optStamp(it.PublishedAt))
	}
	return id, nil
}

// UpdateArticle replaces the editable state of article id. The save must
// name the version it was based on: a stale version fails with a
// *content.Error of code ECONFLICT and nothing is written. Published and
// scheduled stories must stay ready to publish. A published story keeps its
// status, gets a new updated_at, may get a correction, and writes an
// "article.updated" event; a changed slug of a story that was ever published
// leaves the old slug as a redirect. The save's revision follows the DB's
// RevisionPolicy (an autosave may replace the previous autosave's).
func (db *DB) UpdateArticle(ctx context.Context, id string, s content.Save) (*content.Article, error) {
	e := s.Edit
	e.Normalize(db.Zone)
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if err := content.CheckCorrection(s.Correction); err != nil {
		return nil, err
	}
	rendered := content.Render(e.Body)
	pages, err := json.Marshal(rendered.Pages)
	if err != nil {
		return nil, fmt.Errorf("encode pages: %w", err)
	}
	clock := db.now()
	now := stampText(clock)
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		cur, err := currentState(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkLock(ctx, tx, id, s.By, timeText(clock)); err != nil {
			return err
		}
		if len(s.Statuses) > 0 && !slices.Contains(s.Statuses, cur.status) {
			return content.Errorf(content.ECONFLICT, "the story became %s while you were editing; reload it", content.StatusLabel(cur.status))
		}
		if cur.version != s.Version {
			return staleVersion(ctx, tx, id, s, cur.version)
		}
		if cur.status != content.StatusPublished {
			// A save keeps the status: readers see none of it (nor the
			// tags it may create, which no published story carries yet).
			db.unseen()
		}
		if cur.status == content.StatusPublished || cur.status == content.StatusScheduled {
			if err := e.ReadyToPublish(); err != nil {
				return err
			}
		}
		if s.Correction != "" && cur.publishedAt == nil {
			return &content.Error{Code: content.EINVALID, Message: "validation failed",
				Fields: []content.FieldError{{Field: "correction", Message: "only a story that has been published can carry a correction"}}}
		}
		if e.Slug == "" {
			e.Slug = cur.slug
		}
		if e.Slug != cur.slug {
			if e.Slug, err = pickSlug(ctx, tx, id, e.Slug, e.Headline); err != nil {
				return err
			}
		}
		if err := checkReferences(ctx, tx, id, &e); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE articles SET
			slug = ?, headline = ?, standfirst = ?, dateline_place = ?, dateline_tz = ?,
			body = ?, body_html = ?, body_text = ?, pages = ?, page_count = ?, word_count = ?, reading_minutes = ?,
			byline = ?, meta_title = ?, meta_description = ?, canonical_url = ?, featured = ?,
			version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`,
			e.Slug, e.Headline, e.Standfirst, e.Dateline.Place, e.Dateline.TimeZone,
			e.Body, rendered.HTML, rendered.Text, string(pages), len(rendered.Pages), rendered.WordCount, rendered.ReadingMinutes,
			e.Byline, e.SEO.MetaTitle, e.SEO.MetaDescription, e.SEO.CanonicalURL, e.Featured,
			now, id, s.Version)
		if err != nil {
			return fmt.Errorf("update article %s: %w", id, mapErr(err))
		}
		if e.Slug != cur.slug {
			if err := moveSlug(ctx, tx, id, cur.slug, e.Slug, cur.publishedAt != nil, now); err != nil {
				return err
			}
		}
		if err := writeRelations(ctx, tx, id, &e, now); err != nil {
			return err
		}
		if err := syncSearch(ctx, tx, id); err != nil {
			return err
		}
		if cur.status == content.StatusPublished {
			if err := tidySearch(ctx, tx); err != nil { // the index changed
				return err
			}
		}
		if s.Correction != "" {
			if _, err := tx.ExecContext(ctx, "INSERT INTO corrections (article_id, text, created_at) VALUES (?, ?, ?)",
				id, s.Correction, now); err != nil {
				return fmt.Errorf("insert correction: %w", mapErr(err))
			}
		}
		rev := revisionWrite{article: id, version: s.Version + 1, edit: &e, by: s.By, at: now,
			autosave: s.Autosave, sealed: cur.status == content.StatusPublished}
		if err := db.writeRevision(ctx, tx, rev); err != nil {
			return err
		}
		if err := db.refreshStory(ctx, tx, id, cur.status == content.StatusPublished && e.Slug != cur.slug); err != nil {
			return err
		}
		if cur.status == content.StatusPublished {
			payload := map[string]any{"version": s.Version + 1}
			if e.Slug != cur.slug {
				payload["previous_slug"] = cur.slug
			}
			return insertEvent(ctx, tx, content.EventUpdated, id, e.Slug, payload, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	notify(db.OnEvent)
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// ChangeStatus moves article id through the workflow. The change applies
// only while the article is in one of ch.From (and, with ch.Due, only once
// its publish_at or unpublish_at has come): the update is one conditional
// statement, so concurrent callers, retries and several processes change a
// story once. Otherwise it fails with ECONFLICT (or ENOTFOUND). Publishing
// and scheduling require content.Edit.ReadyToPublish. Publishing sets
// published_at once, at the first publication; publishing and withdrawing
// write an event in the same transaction, and withdrawing revokes the
// story's preview links in it. The story's current revision is sealed: no
// autosave replaces it and retention keeps it.
func (db *DB) ChangeStatus(ctx context.Context, id string, ch content.StatusChange) (*content.Article, error) {
	if err := ch.Validate(); err != nil {
		return nil, err
	}
	at := ch.At
	if at.IsZero() {
		at = db.now()
	}
	now := stampText(at) // what is stored; the claim compares the instant itself
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		cur, err := currentState(ctx, tx, id)
		if err != nil {
			return err
		}
		if !ch.Allows(cur.status) {
			return content.Errorf(content.ECONFLICT, "a %s story cannot become %s", content.StatusLabel(cur.status), content.StatusLabel(ch.To))
		}
		if ch.To == content.StatusPublished || ch.To == content.StatusScheduled {
			as, err := db.articles(ctx, tx, content.ArticleFilter{ID: &id})
			if err != nil {
				return err
			}
			if len(as) == 1 {
				if err := as[0].Edit.ReadyToPublish(); err != nil {
					return err
				}
			}
		}
		publishAt, unpublishAt := cur.publishAt, cur.unpublishAt
		switch ch.To {
		case content.StatusScheduled:
			publishAt, unpublishAt = optDue(ch.PublishAt), optDue(ch.UnpublishAt)
		case content.StatusPublished:
			if ch.UnpublishAt != nil {
				unpublishAt = optDue(ch.UnpublishAt)
			}
		case content.StatusUnpublished:
			unpublishAt = nil
		default:
			publishAt, unpublishAt = nil, nil
		}
		cond := "id = ? AND status = ?"
		args := []any{ch.To, publishAt, unpublishAt, ch.To, now, now, id, string(cur.status)}
		if ch.Due {
			switch cur.status {
			case content.StatusScheduled:
				cond += " AND publish_at <= ?"
			default:
				cond += " AND unpublish_at <= ?"
			}
			args = append(args, timeText(at))
		}
		res, err := tx.ExecContext(ctx, `UPDATE articles SET status = ?, publish_at = ?, unpublish_at = ?,
			published_at = CASE WHEN ? = 'published' THEN COALESCE(published_at, ?) ELSE published_at END,
			updated_at = ? WHERE `+cond, args...)
		if err != nil {
			return fmt.Errorf("change status of article %s: %w", id, mapErr(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return content.Errorf(content.ECONFLICT, "the story is not due")
		}
		if err := sealRevision(ctx, tx, id, cur.version); err != nil { // the state this step left
			return err
		}
		if ch.To == content.StatusUnpublished {
			if _, err := revokePreviewGrants(ctx, tx, id, content.PreviewRevokedByWithdrawal, now); err != nil {
				return err
			}
		}
		if err := indexTags(ctx, tx, id); err != nil {
			return err
		}
		if err := syncSearch(ctx, tx, id); err != nil {
			return err
		}
		if cur.status == content.StatusPublished || ch.To == content.StatusPublished {
			if err := tidySearch(ctx, tx); err != nil { // the index changed
				return err
			}
		}
		if err := db.refreshStory(ctx, tx, id, (cur.status == content.StatusPublished) != (ch.To == content.StatusPublished)); err != nil {
			return err
		}
		switch {
		case ch.To == content.StatusPublished && cur.status == content.StatusPublished:
			return nil // only the withdrawal time changed: nothing public happened
		case ch.To == content.StatusPublished:
			return insertEvent(ctx, tx, content.EventPublished, id, cur.slug, map[string]any{"first": cur.publishedAt == nil}, now)
		case cur.status == content.StatusPublished:
			return insertEvent(ctx, tx, content.EventUnpublished, id, cur.slug, map[string]any{}, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	notify(db.OnScheduleChange)
	notify(db.OnEvent)
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// state is what writes need to know about an article before changing it.
type state struct {
	slug                                string
	status                              content.Status
	version                             int
	publishAt, unpublishAt, publishedAt *string
}

func currentState(ctx context.Context, tx *sql.Tx, id string) (state, error) {
	var s state
	var status string
	var pa, ua, pd sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT slug, status, version, publish_at, unpublish_at, published_at
		FROM articles WHERE id = ? AND deleted_at IS NULL`, id).Scan(&s.slug, &status, &s.version, &pa, &ua, &pd)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("article %s: %w", id, content.ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("read article %s: %w", id, mapErr(err))
	}
	s.status = content.Status(status)
	s.publishAt, s.unpublishAt, s.publishedAt = nullString(pa), nullString(ua), nullString(pd)
	return s, nil
}

// staleVersion returns the conflict of save s, based on an older version
// than current, naming who saved the current revision and when (read
// from the revisions; left out when unknown).
func staleVersion(ctx context.Context, tx *sql.Tx, id string, s content.Save, current int) error {
	e := &content.StaleVersion{Edited: s.Version, Current: current, Editor: s.By}
	var at string
	err := tx.QueryRowContext(ctx, `SELECT r.saved_by, COALESCE(u.name, ''), r.saved_at FROM revisions r
		LEFT JOIN users u ON u.id = r.saved_by WHERE r.article_id = ? AND r.version = ?`, id, current).Scan(&e.SavedBy, &e.SavedByName, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("read revision %d of %s: %w", current, id, mapErr(err))
	default:
		e.SavedAt, _ = parseTime(at)
	}
	return e
}

func nullString(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

// checkReferences refuses author ids that are no active user and internal
// links to articles that do not exist (or to the article itself).
func checkReferences(ctx context.Context, tx *sql.Tx, id string, e *content.Edit) error {
	var p content.Problems
	for i, uid := range e.AuthorIDs {
		var ok bool
		err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE id = ? AND active = 1)", uid).Scan(&ok)
		if err != nil {
			return fmt.Errorf("check author %s: %w", uid, mapErr(err))
		}
		if !ok {
			p.Add(fmt.Sprintf("author_ids[%d]", i), "no active user has this id")
		}
	}
	for i, l := range e.Links {
		if l.ArticleID == "" {
			continue
		}
		var ok bool
		err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?)", l.ArticleID).Scan(&ok)
		if err != nil {
			return fmt.Errorf("check linked article %s: %w", l.ArticleID, mapErr(err))
		}
		if !ok || l.ArticleID == id {
			p.Add(fmt.Sprintf("related_links[%d].article_id", i), "no other story has this id")
		}
	}
	return p.Err()
}

// writeRelations replaces the tags, authors, photos and related links of
// article id, and indexes its tags as the story stands (indexTags).
func writeRelations(ctx context.Context, tx *sql.Tx, id string, e *content.Edit, now string) error {
	for _, table := range []string{"article_tags", "article_authors", "article_photos", "article_links"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE article_id = ?", id); err != nil {
			return fmt.Errorf("clear %s of article %s: %w", table, id, mapErr(err))
		}
	}
	for i, name := range e.Tags {
		tagID, err := ensureTag(ctx, tx, name, now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)",
			id, tagID, i); err != nil {
			return fmt.Errorf("tag article %s: %w", id, mapErr(err))
		}
	}
	if err := indexTags(ctx, tx, id); err != nil {
		return err
	}
	for i, uid := range e.AuthorIDs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO article_authors (article_id, user_id, position) VALUES (?, ?, ?)",
			id, uid, i); err != nil {
			return fmt.Errorf("add author to article %s: %w", id, mapErr(err))
		}
	}
	for i, p := range e.Photos {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_photos (article_id, position, media_id, url, caption, credit, alt, width, height)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, i, p.MediaID, p.URL, p.Caption, p.Credit, p.Alt, p.Width, p.Height); err != nil {
			return fmt.Errorf("add photo to article %s: %w", id, mapErr(err))
		}
	}
	for i, l := range e.Links {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_links (article_id, position, kind, title, url, target_article_id)
			VALUES (?, ?, ?, ?, ?, ?)`, id, i, string(l.Kind), l.Title, l.URL, l.ArticleID); err != nil {
			return fmt.Errorf("add related link to article %s: %w", id, mapErr(err))
		}
	}
	return nil
}

func insertEvent(ctx context.Context, tx *sql.Tx, typ, id, slug string, payload map[string]any, now string) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO events (type, article_id, slug, payload, occurred_at) VALUES (?, ?, ?, ?, ?)",
		typ, id, slug, string(b), now); err != nil {
		return fmt.Errorf("insert %s event: %w", typ, mapErr(err))
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
