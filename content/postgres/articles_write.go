package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"dateline/content"
)

// Every write of a story reads its state with the story's row locked
// (currentState, FOR UPDATE): writes of one story, from any instance, take
// turns, and each decides (in package content) on the state the previous
// one left. Their conditional updates (a claim's "status = scheduled AND
// publish_at <= now") then hold under READ COMMITTED too.

// CreateArticle validates e, renders its body and stores it as a new draft
// (version 1, with its first revision). by is the id of the saving user, or
// "" for the system.
func (db *DB) CreateArticle(ctx context.Context, e content.Edit, by string) (*content.Article, error) {
	var id string
	err := db.withTx(ctx, func(tx *wtx) error {
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
	err := db.withTx(ctx, func(tx *wtx) error {
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
	return ids, nil
}

// insertOptions relax insertArticle for imports (imports.go).
type insertOptions struct {
	id string // the article id to use (free, checked by the caller); "": a new one
	// archive: the story comes from an archive, whose authors may be users
	// not active yet, whose internal links may point to stories later in
	// the file, and whose slug, when taken, yields to a unique one.
	archive bool
}

func (db *DB) insertArticle(ctx context.Context, tx *wtx, it content.Import, by string) (string, error) {
	return db.insertArticleWith(ctx, tx, it, by, insertOptions{})
}

func (db *DB) insertArticleWith(ctx context.Context, tx *wtx, it content.Import, by string, opt insertOptions) (string, error) {
	e := it.Edit
	e.Normalize(db.zone)
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
	uid, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new article id: %w", err)
	}
	id := uid.String()
	if opt.id != "" {
		id = opt.id
	}
	now := stamp(db.now())
	created, updated := now, now
	if it.CreatedAt != nil {
		created = stamp(*it.CreatedAt)
	}
	if it.UpdatedAt != nil {
		updated = stamp(*it.UpdatedAt)
	}
	if opt.archive {
		e.Slug, err = archiveSlug(ctx, tx, id, e.Slug, e.Headline)
	} else {
		e.Slug, err = pickSlug(ctx, tx, id, e.Slug, e.Headline)
	}
	if err != nil {
		return "", err
	}
	if err := checkReferences(ctx, tx, id, &e, opt.archive); err != nil {
		return "", err
	}
	_, err = tx.Exec(ctx, `INSERT INTO articles (
		id, slug, headline, standfirst, dateline_place, dateline_tz,
		body, body_html, body_text, pages, page_count, word_count, reading_minutes,
		byline, meta_title, meta_description, canonical_url, featured,
		status, version, publish_at, unpublish_at, published_at, updated_at, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1, $20, $21, $22, $23, $24, NULLIF($25, ''))`,
		id, e.Slug, e.Headline, e.Standfirst, e.Dateline.Place, e.Dateline.TimeZone,
		e.Body, rendered.HTML, rendered.Text, pages(rendered.Pages), len(rendered.Pages), rendered.WordCount, rendered.ReadingMinutes,
		e.Byline, e.SEO.MetaTitle, e.SEO.MetaDescription, e.SEO.CanonicalURL, e.Featured,
		string(it.Status), optDue(it.PublishAt), optDue(it.UnpublishAt), optStamp(it.PublishedAt),
		updated, created, by)
	if err != nil {
		return "", fmt.Errorf("insert article: %w", mapErr(err))
	}
	tx.schedule = tx.schedule || it.PublishAt != nil || it.UnpublishAt != nil
	if err := writeRelations(ctx, tx, id, &e, now); err != nil {
		return "", err
	}
	first := revisionWrite{article: id, version: 1, edit: &e, by: by, at: now, sealed: it.Status != content.StatusDraft}
	if err := insertRevision(ctx, tx, first); err != nil {
		return "", err
	}
	if err := db.syncSearch(ctx, tx, id); err != nil {
		return "", err
	}
	for _, c := range it.Corrections {
		if _, err := tx.Exec(ctx, "INSERT INTO corrections (article_id, text, created_at) VALUES ($1, $2, $3)",
			id, c.Text, stamp(c.At)); err != nil {
			return "", fmt.Errorf("import correction: %w", mapErr(err))
		}
	}
	if it.Status == content.StatusPublished {
		return id, tx.emit(ctx, content.StoryPublished(id, e.Slug, true, nil), *optStamp(it.PublishedAt))
	}
	return id, nil
}

// pages is the stored form of a body's pages: never NULL.
func pages(ps []string) []string {
	if ps == nil {
		return []string{}
	}
	return ps
}

// UpdateArticle saves the editable state of article id, as content/sqlite's
// UpdateArticle does: content.PrepareSave and content.PlanSave decide, this
// persists. A stale version fails with ECONFLICT (a *content.StaleVersion
// naming who saved the current one) and nothing is written; a save of a
// published or scheduled story goes to its working copy, which readers do
// not see.
func (db *DB) UpdateArticle(ctx context.Context, id string, s content.Save) (*content.Article, error) {
	prepared, err := content.PrepareSave(s, db.zone)
	if err != nil {
		return nil, err
	}
	clock := db.now()
	err = db.withTx(ctx, func(tx *wtx) error {
		cur, st, err := lockedState(ctx, tx, id, clock)
		if err != nil {
			return err
		}
		plan, err := content.PlanSave(st, prepared)
		if stale := (*content.StaleVersion)(nil); errors.As(err, &stale) {
			return whoSaved(ctx, tx, id, stale)
		}
		if err != nil {
			return err
		}
		// A save readers see writes its event (plan.Event); one they do
		// not see (a draft's, a working copy's) writes none.
		if plan.Pending {
			return db.writePending(ctx, tx, id, cur, plan, stamp(clock))
		}
		return db.writeSave(ctx, tx, id, cur, plan, stamp(clock))
	})
	if err != nil {
		return nil, err
	}
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// writeSave persists plan, a save of story id (cur before it), at now: the
// story (writeStory), the working copy an Update replaces, and the
// revision.
func (db *DB) writeSave(ctx context.Context, tx *wtx, id string, cur state, plan content.SavePlan, now time.Time) error {
	if plan.DropPending {
		if _, err := tx.Exec(ctx, "DELETE FROM working_copies WHERE article_id = $1", id); err != nil {
			return fmt.Errorf("drop working copy of article %s: %w", id, mapErr(err))
		}
	}
	if err := db.writeStory(ctx, tx, id, cur, &plan, now); err != nil {
		return err
	}
	rev := revisionWrite{article: id, version: plan.Version, edit: &plan.Edit, by: plan.By, at: now,
		autosave: plan.Autosave, sealed: plan.Visible}
	return db.writeRevision(ctx, tx, rev)
}

// writeStory writes plan's editable state into story id (cur before it,
// its row still at cur.version) at now: the row (version plan.Version, a
// new updated_at), its slug and redirect, relations, search document,
// correction and event. plan.Edit.Slug is made unique in place.
func (db *DB) writeStory(ctx context.Context, tx *wtx, id string, cur state, plan *content.SavePlan, now time.Time) error {
	oldSlug := cur.slug
	e, r := plan.Edit, plan.Rendered
	if plan.SlugChanged {
		var err error
		if e.Slug, err = pickSlug(ctx, tx, id, e.Slug, e.Headline); err != nil {
			return err
		}
	}
	plan.Edit.Slug = e.Slug // the revision records the slug the story got
	if err := checkReferences(ctx, tx, id, &e, false); err != nil {
		return err
	}
	plan.Edit.Links = e.Links // and the titles internal links got
	tag, err := tx.Exec(ctx, `UPDATE articles SET
		slug = $1, headline = $2, standfirst = $3, dateline_place = $4, dateline_tz = $5,
		body = $6, body_html = $7, body_text = $8, pages = $9, page_count = $10, word_count = $11, reading_minutes = $12,
		byline = $13, meta_title = $14, meta_description = $15, canonical_url = $16, featured = $17,
		version = $18, updated_at = $19
		WHERE id = $20 AND version = $21`,
		e.Slug, e.Headline, e.Standfirst, e.Dateline.Place, e.Dateline.TimeZone,
		e.Body, r.HTML, r.Text, pages(r.Pages), len(r.Pages), r.WordCount, r.ReadingMinutes,
		e.Byline, e.SEO.MetaTitle, e.SEO.MetaDescription, e.SEO.CanonicalURL, e.Featured,
		plan.Version, now, id, cur.version)
	if err != nil {
		return fmt.Errorf("update article %s: %w", id, mapErr(err))
	}
	if tag.RowsAffected() != 1 {
		return content.Errorf(content.ECONFLICT, "the story changed while it was being saved; reload it")
	}
	moved := e.Slug != oldSlug
	if moved {
		if err := moveSlug(ctx, tx, id, oldSlug, e.Slug, plan.KeepOldSlug, now); err != nil {
			return err
		}
	}
	if err := writeRelations(ctx, tx, id, &e, now); err != nil {
		return err
	}
	if err := db.syncSearch(ctx, tx, id); err != nil {
		return err
	}
	if plan.Correction != "" {
		if _, err := tx.Exec(ctx, "INSERT INTO corrections (article_id, text, created_at) VALUES ($1, $2, $3)",
			id, plan.Correction, now); err != nil {
			return fmt.Errorf("insert correction: %w", mapErr(err))
		}
	}
	if err := db.refreshStory(ctx, tx, id, plan.Visible && moved); err != nil {
		return err
	}
	if plan.Event == "" {
		return nil
	}
	prev := ""
	if moved {
		prev = oldSlug
	}
	return tx.emit(ctx, content.StoryUpdated(id, e.Slug, plan.Version, prev), now)
}

// ChangeStatus moves article id through the workflow as content.PlanChange
// decides ch, with content/sqlite's guarantees: the change applies only
// while the article is in one of ch.From (and, with ch.Due, only once its
// publish_at or unpublish_at has come), as one conditional update on the
// locked row, so concurrent callers, retries and several instances change
// a story once; otherwise it fails with ECONFLICT (or ENOTFOUND).
// Publishing sets published_at once; publishing and withdrawing write an
// event in the same transaction, and withdrawing revokes the story's
// preview links in it. The story's current revision is sealed.
func (db *DB) ChangeStatus(ctx context.Context, id string, ch content.StatusChange) (*content.Article, error) {
	if err := ch.Validate(); err != nil {
		return nil, err
	}
	at := ch.At
	if at.IsZero() {
		at = db.now()
	}
	ch.At = at // PlanChange judges a publication "as of" a past time by it
	err := db.withTx(ctx, func(tx *wtx) error {
		cur, st, err := lockedState(ctx, tx, id, at) // a user's step is refused while another holds the lock
		if err != nil {
			return err
		}
		var edit content.Edit // read only where PlanChange checks readiness
		if ch.To == content.StatusPublished || ch.To == content.StatusScheduled {
			as, err := db.articles(ctx, tx, content.ArticleFilter{ID: &id})
			if err != nil {
				return err
			}
			if len(as) == 1 {
				edit = as[0].Edit
			}
		}
		plan, err := content.PlanChange(st, edit, ch)
		if err != nil {
			return err
		}
		if err := db.writeChange(ctx, tx, id, cur, plan, at); err != nil {
			return err
		}
		if ch.Reason != "" { // a story sent back with a reason (trash.go)
			return insertReviewNote(ctx, tx, id, content.ActReject, ch.Reason, ch.By, stamp(at))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// writeChange persists plan, a workflow step of story id (cur before it),
// at the instant at: one conditional update that fails with ECONFLICT if
// the story has moved on (or, with plan.Due, is not due at at), then the
// revision seal, preview links, tag index, search document and event.
func (db *DB) writeChange(ctx context.Context, tx *wtx, id string, cur state, plan content.ChangePlan, at time.Time) error {
	now := stamp(at)              // what is stored; the claim compares the instant itself
	firstPub, updated := now, now // published_at if first published now, and updated_at
	if plan.PublishedAsOf != nil {
		firstPub = stamp(*plan.PublishedAsOf)
		updated = firstPub
	}
	var p params
	set := "status = " + p.add(string(plan.To)) + ", publish_at = " + p.add(optDue(plan.PublishAt)) +
		", unpublish_at = " + p.add(optDue(plan.UnpublishAt)) +
		", published_at = CASE WHEN " + p.add(string(plan.To)) + " = 'published' THEN COALESCE(published_at, " + p.add(firstPub) + ") ELSE published_at END" +
		", updated_at = " + p.add(updated)
	cond := "id = " + p.add(id) + " AND status = " + p.add(string(plan.From)) + " AND deleted_at IS NULL"
	if plan.Due {
		switch plan.From {
		case content.StatusScheduled:
			cond += " AND publish_at <= " + p.add(at.UTC())
		default:
			cond += " AND unpublish_at <= " + p.add(at.UTC())
		}
	}
	tag, err := tx.Exec(ctx, "UPDATE articles SET "+set+" WHERE "+cond, p...)
	if err != nil {
		return fmt.Errorf("change status of article %s: %w", id, mapErr(err))
	}
	if tag.RowsAffected() != 1 {
		return content.Errorf(content.ECONFLICT, "the story is not due")
	}
	tx.schedule = true
	if plan.FoldPending {
		if cur, err = db.foldPending(ctx, tx, id, cur, now); err != nil {
			return err
		}
	}
	if err := sealRevision(ctx, tx, id, cur.version); err != nil { // the state this step left
		return err
	}
	if plan.PublishedAsOf != nil {
		if err := logPublishedAsOf(ctx, tx, id, cur.version, firstPub, plan.By); err != nil {
			return err
		}
	}
	if plan.RevokePreviews {
		if err := revokePreviewGrants(ctx, tx, id, content.PreviewRevokedByWithdrawal, now); err != nil {
			return err
		}
	}
	if err := indexTags(ctx, tx, id); err != nil {
		return err
	}
	if err := db.syncSearch(ctx, tx, id); err != nil {
		return err
	}
	if err := db.refreshStory(ctx, tx, id, plan.Visible); err != nil {
		return err
	}
	switch plan.Event {
	case content.EventPublished:
		return tx.emit(ctx, content.StoryPublished(id, cur.slug, plan.First, plan.PublishedAsOf), now)
	case content.EventUnpublished:
		return tx.emit(ctx, content.StoryWithdrawn(id, cur.slug), now)
	}
	return nil
}

// state is what writes need to know about an article before changing it.
type state struct {
	slug                                string
	status                              content.Status
	version                             int
	publishAt, unpublishAt, publishedAt *time.Time
	pending                             int // the working copy's version; 0: none
	latest                              int // the highest version of its revisions
}

// currentState reads story id's state and locks its row until tx ends. A
// missing or deleted story is content.ErrNotFound.
func currentState(ctx context.Context, tx *wtx, id string) (state, error) {
	var s state
	var status string
	err := tx.QueryRow(ctx, `SELECT slug, status, version, publish_at, unpublish_at, published_at,
		COALESCE((SELECT version FROM working_copies WHERE article_id = articles.id), 0),
		COALESCE((SELECT max(version) FROM revisions WHERE article_id = articles.id), 0)
		FROM articles WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, id).
		Scan(&s.slug, &status, &s.version, &s.publishAt, &s.unpublishAt, &s.publishedAt, &s.pending, &s.latest)
	if noRows(err) {
		return s, fmt.Errorf("article %s: %w", id, content.ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("read article %s: %w", id, mapErr(err))
	}
	s.status = content.Status(status)
	return s, nil
}

// lockedState reads story id as content decides by it (state.stored), with
// its live edit lock at now.
func lockedState(ctx context.Context, tx *wtx, id string, now time.Time) (state, content.Stored, error) {
	cur, err := currentState(ctx, tx, id)
	if err != nil {
		return cur, content.Stored{}, err
	}
	st := cur.stored()
	st.Lock, err = liveLock(ctx, tx, id, now)
	return cur, st, err
}

// stored returns s as content decides by it.
func (s state) stored() content.Stored {
	return content.Stored{Status: s.status, Version: s.version, Slug: s.slug, Published: s.publishedAt != nil,
		Pending: s.pending, Latest: s.latest, PublishAt: s.publishAt, UnpublishAt: s.unpublishAt}
}

// whoSaved completes e, the conflict content decided for a save of story
// id based on an older version, with who saved the current revision and
// when (read from the revisions; left out when unknown), and returns it.
func whoSaved(ctx context.Context, tx *wtx, id string, e *content.StaleVersion) error {
	err := tx.QueryRow(ctx, `SELECT r.saved_by, COALESCE(u.name, ''), r.saved_at FROM revisions r
		LEFT JOIN users u ON u.id = r.saved_by WHERE r.article_id = $1 AND r.version = $2`, id, e.Current).
		Scan(&e.SavedBy, &e.SavedByName, &e.SavedAt)
	if err != nil && !noRows(err) {
		return fmt.Errorf("read revision %d of %s: %w", e.Current, id, mapErr(err))
	}
	return e
}

// checkReferences refuses author ids that are no active user (a user the
// story already credits may be inactive: a reporter who left still signs
// their archive) and internal links to articles that do not exist (or to
// the article itself). An internal link without a title gets the linked
// story's headline, in e, so that readers see a title. With archive (an
// import) any user may be credited and links may point to stories not
// imported yet.
func checkReferences(ctx context.Context, tx *wtx, id string, e *content.Edit, archive bool) error {
	var p content.Problems
	for i, uid := range e.AuthorIDs {
		var ok bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND (active OR $3
			OR EXISTS (SELECT 1 FROM article_authors WHERE article_id = $2 AND user_id = $1)))`, uid, id, archive).Scan(&ok)
		if err != nil {
			return fmt.Errorf("check author %s: %w", uid, mapErr(err))
		}
		if !ok {
			p.Add(fmt.Sprintf("author_ids[%d]", i), "no active user has this id")
		}
	}
	for i, l := range e.Links {
		if l.ArticleID == "" || (archive && l.ArticleID != id) {
			continue
		}
		var headline string
		err := tx.QueryRow(ctx, "SELECT headline FROM articles WHERE id = $1", l.ArticleID).Scan(&headline)
		if err != nil && !noRows(err) {
			return fmt.Errorf("check linked article %s: %w", l.ArticleID, mapErr(err))
		}
		if err != nil || l.ArticleID == id {
			p.Add(fmt.Sprintf("related_links[%d].article_id", i), "no other story has this id")
			continue
		}
		if l.Title == "" {
			e.Links[i].Title = headline
		}
	}
	return p.Err()
}

// writeRelations replaces the tags, authors, photos and related links of
// article id, and indexes its tags as the story stands (indexTags).
func writeRelations(ctx context.Context, tx *wtx, id string, e *content.Edit, now time.Time) error {
	for _, table := range []string{"article_tags", "article_authors", "article_photos", "article_links"} {
		if _, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE article_id = $1", id); err != nil {
			return fmt.Errorf("clear %s of article %s: %w", table, id, mapErr(err))
		}
	}
	for i, name := range e.Tags {
		tagID, err := ensureTag(ctx, tx, name, now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, id, tagID, i); err != nil {
			return fmt.Errorf("tag article %s: %w", id, mapErr(err))
		}
	}
	if err := indexTags(ctx, tx, id); err != nil {
		return err
	}
	for i, uid := range e.AuthorIDs {
		if _, err := tx.Exec(ctx, "INSERT INTO article_authors (article_id, user_id, position) VALUES ($1, $2, $3)",
			id, uid, i); err != nil {
			return fmt.Errorf("add author to article %s: %w", id, mapErr(err))
		}
	}
	for i, p := range e.Photos {
		if _, err := tx.Exec(ctx, `INSERT INTO article_photos (article_id, position, media_id, url, caption, credit, alt, width, height)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, i, p.MediaID, p.URL, p.Caption, p.Credit, p.Alt, p.Width, p.Height); err != nil {
			return fmt.Errorf("add photo to article %s: %w", id, mapErr(err))
		}
	}
	for i, l := range e.Links {
		if _, err := tx.Exec(ctx, `INSERT INTO article_links (article_id, position, kind, title, url, target_article_id)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, i, string(l.Kind), l.Title, l.URL, l.ArticleID); err != nil {
			return fmt.Errorf("add related link to article %s: %w", id, mapErr(err))
		}
	}
	return nil
}
