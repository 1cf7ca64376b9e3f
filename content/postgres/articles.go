package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"dateline/content"
)

// summaryColumns are the article columns every list loads.
const summaryColumns = `a.id, a.slug, a.headline, a.standfirst, a.dateline_place, a.dateline_tz,
	a.byline, a.meta_title, a.meta_description, a.canonical_url, a.featured, a.status, a.version,
	a.publish_at, a.unpublish_at, a.published_at, a.updated_at, a.created_at,
	a.word_count, a.reading_minutes, a.page_count, COALESCE(a.created_by, '')`

// fullColumns are loaded in addition when ArticleFilter.Full is set.
const fullColumns = `, a.body, a.body_html, a.body_text, a.pages`

// Article returns the one article the filter selects, with everything
// (Full is implied), or content.ErrNotFound.
func (db *DB) Article(ctx context.Context, f content.ArticleFilter) (*content.Article, error) {
	f.Full = true
	f.Limit = 1
	as, err := db.Articles(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, content.ErrNotFound
	}
	return as[0], nil
}

// Articles returns the articles the filter selects, in the filter's order,
// at most f.Limit (default content.DefaultLimit) of them, with tags, authors,
// photos and related links loaded.
func (db *DB) Articles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, error) {
	return db.articles(ctx, db.pool, f)
}

func (db *DB) articles(ctx context.Context, q querier, f content.ArticleFilter) ([]*content.Article, error) {
	if f.Query != "" {
		return db.search(ctx, q, f)
	}
	cols := summaryColumns
	if f.Full {
		cols += fullColumns
	}
	query, args := selectArticles(f, cols)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query articles: %w", mapErr(err))
	}
	defer rows.Close()
	var as []*content.Article
	for rows.Next() {
		a, err := scanArticle(rows, f.Full)
		if err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query articles: %w", mapErr(err))
	}
	rows.Close()
	if err := loadRelations(ctx, q, as, f.Full); err != nil {
		return nil, err
	}
	return as, nil
}

// params collects a query's bound arguments and numbers their
// placeholders.
type params []any

// add binds v and returns its placeholder.
func (p *params) add(v any) string {
	*p = append(*p, v)
	return fmt.Sprintf("$%d", len(*p))
}

// selectArticles builds the SELECT of cols, expressions over articles a,
// for f from fixed fragments; every value is a bound parameter.
func selectArticles(f content.ArticleFilter, cols string) (string, []any) {
	if f.Sort == "" {
		f.Sort = content.SortUpdated
		if f.Published() {
			f.Sort = content.SortPublished
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	var p params
	cond := articleConditions(f, &p)
	sortCol := "a.published_at"
	if f.Sort == content.SortUpdated {
		sortCol = "a.updated_at"
	} else {
		cond = append(cond, "a.published_at IS NOT NULL")
	}
	if len(f.Tags) > 0 {
		cond = append(cond, "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags tg ON tg.id = at.tag_id WHERE tg.slug = ANY("+p.add(f.Tags)+"))")
	}
	if f.After != nil {
		cond = append(cond, "("+sortCol+", a.id) < ("+p.add(f.After.Time)+", "+p.add(f.After.ID)+")")
	}
	query := "SELECT " + cols + " FROM articles a"
	if len(cond) > 0 {
		query += " WHERE " + strings.Join(cond, " AND ")
	}
	query += " ORDER BY " + sortCol + " DESC, a.id DESC LIMIT " + p.add(limit)
	return query, p
}

// articleConditions returns the WHERE terms on articles a for every filter
// field but tags, sort and cursor.
func articleConditions(f content.ArticleFilter, p *params) []string {
	var cond []string
	if f.ID != nil {
		cond = append(cond, "a.id = "+p.add(*f.ID))
	}
	if len(f.IDs) > 0 {
		cond = append(cond, "a.id = ANY("+p.add(f.IDs)+")")
	}
	if f.Slug != nil {
		cond = append(cond, "a.slug = "+p.add(*f.Slug))
	}
	switch {
	case f.Published() && !f.Deleted:
		cond = append(cond, public("a"))
	case f.Published():
		cond = append(cond, "a.status = 'published'")
	case len(f.Statuses) > 0:
		sts := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			sts[i] = string(st)
		}
		cond = append(cond, "a.status = ANY("+p.add(sts)+")")
	}
	if f.Author != "" {
		cond = append(cond, "a.id IN (SELECT aa.article_id FROM article_authors aa JOIN users u ON u.id = aa.user_id WHERE u.slug = "+p.add(f.Author)+")")
	}
	if f.Featured != nil {
		cond = append(cond, "a.featured = "+p.add(*f.Featured))
	}
	if f.Since != nil {
		cond = append(cond, "a.published_at >= "+p.add(f.Since.UTC()))
	}
	if f.Until != nil {
		cond = append(cond, "a.published_at < "+p.add(f.Until.UTC()))
	}
	if f.HeadlineContains != "" {
		cond = append(cond, `a.headline ILIKE `+p.add("%"+likeEscaper.Replace(f.HeadlineContains)+"%")+` ESCAPE '\'`)
	}
	// Soft-deleted articles vanish from every read that does not ask for
	// them (public has said so already for published-only reads).
	switch {
	case f.Deleted:
		cond = append(cond, "a.deleted_at IS NOT NULL")
	case !f.Published():
		cond = append(cond, "a.deleted_at IS NULL")
	}
	return cond
}

// likeEscaper escapes the LIKE wildcards of user text (ESCAPE '\').
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// scanArticle scans the columns selectArticles selects, then extra.
func scanArticle(s pgx.Row, full bool, extra ...any) (*content.Article, error) {
	var a content.Article
	var status string
	dest := []any{&a.ID, &a.Slug, &a.Headline, &a.Standfirst, &a.Dateline.Place, &a.Dateline.TimeZone,
		&a.Byline, &a.SEO.MetaTitle, &a.SEO.MetaDescription, &a.SEO.CanonicalURL, &a.Featured, &status, &a.Version,
		&a.PublishAt, &a.UnpublishAt, &a.PublishedAt, &a.UpdatedAt, &a.CreatedAt,
		&a.WordCount, &a.ReadingMinutes, &a.PageCount, &a.CreatedBy}
	if full {
		dest = append(dest, &a.Body, &a.HTML, &a.Text, &a.Pages)
	}
	if err := s.Scan(append(dest, extra...)...); err != nil {
		return nil, fmt.Errorf("scan article: %w", mapErr(err))
	}
	a.Status = content.Status(status)
	if full && a.Pages == nil {
		a.Pages = []string{}
	}
	return &a, nil
}

// loadRelations fills tags, authors, photos, related links and (for full
// loads) corrections of as with one query per relation.
func loadRelations(ctx context.Context, q querier, as []*content.Article, full bool) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[string]*content.Article, len(as))
	ids := make([]string, len(as))
	for i, a := range as {
		byID[a.ID] = a
		ids[i] = a.ID
		a.Edit.Tags = []string{}
		a.Tags = []content.Tag{}
		a.Authors = []content.Author{}
		a.AuthorIDs = []string{}
		a.Photos = []content.Photo{}
		a.Links = []content.RelatedLink{}
		a.Corrections = []content.Correction{}
	}
	each := func(what, query string, scan func(rows pgx.Rows) error) error {
		rows, err := q.Query(ctx, query, ids)
		if err != nil {
			return fmt.Errorf("load article %s: %w", what, mapErr(err))
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("load article %s: %w", what, err)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("load article %s: %w", what, mapErr(err))
		}
		return nil
	}
	err := each("tags", `SELECT at.article_id, t.id, t.slug, t.name, t.description
		FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id = ANY($1) ORDER BY at.article_id, at.position`, func(rows pgx.Rows) error {
		var id string
		var t content.Tag
		if err := rows.Scan(&id, &t.ID, &t.Slug, &t.Name, &t.Description); err != nil {
			return err
		}
		a := byID[id]
		a.Tags = append(a.Tags, t)
		a.Edit.Tags = append(a.Edit.Tags, t.Name)
		return nil
	})
	if err != nil {
		return err
	}
	err = each("authors", `SELECT aa.article_id, u.id, u.slug, u.name, u.bio
		FROM article_authors aa JOIN users u ON u.id = aa.user_id
		WHERE aa.article_id = ANY($1) ORDER BY aa.article_id, aa.position`, func(rows pgx.Rows) error {
		var id string
		var au content.Author
		if err := rows.Scan(&id, &au.ID, &au.Slug, &au.Name, &au.Bio); err != nil {
			return err
		}
		a := byID[id]
		a.Authors = append(a.Authors, au)
		a.AuthorIDs = append(a.AuthorIDs, au.ID)
		return nil
	})
	if err != nil {
		return err
	}
	// An uploaded photo (by media id, or by its /media/ URL) takes its
	// dimensions, byte size and focal point from the media library, which
	// read them from the stored file, and its renditions from there too;
	// any other keeps the dimensions it was saved with.
	type mediaPhoto struct {
		a   *content.Article
		i   int
		mid string
	}
	var uploaded []mediaPhoto
	err = each("photos", `SELECT p.article_id, p.media_id, p.url, p.caption, p.credit, p.alt,
		COALESCE(m.width, u.width, p.width), COALESCE(m.height, u.height, p.height), COALESCE(m.size, u.size, 0),
		COALESCE(m.id, u.id, ''), COALESCE(m.focus_x, u.focus_x, 0.5), COALESCE(m.focus_y, u.focus_y, 0.5)
		FROM article_photos p
		LEFT JOIN media m ON p.media_id <> '' AND m.id = p.media_id
		LEFT JOIN media u ON p.media_id = '' AND p.url LIKE '/media/%' AND u.file_name = substr(p.url, 8)
		WHERE p.article_id = ANY($1) ORDER BY p.article_id, p.position`, func(rows pgx.Rows) error {
		var id, mid string
		var p content.Photo
		var f content.Focus
		var size int64
		if err := rows.Scan(&id, &p.MediaID, &p.URL, &p.Caption, &p.Credit, &p.Alt, &p.Width, &p.Height, &size,
			&mid, &f.X, &f.Y); err != nil {
			return err
		}
		p.Size = size
		a := byID[id]
		p.Thumbnail = p.URL
		if mid != "" {
			p.Focus = &f
			uploaded = append(uploaded, mediaPhoto{a, len(a.Photos), mid})
		}
		a.Photos = append(a.Photos, p)
		return nil
	})
	if err != nil {
		return err
	}
	if len(uploaded) > 0 {
		ids := make([]string, 0, len(uploaded))
		for _, u := range uploaded {
			ids = append(ids, u.mid)
		}
		slices.Sort(ids)
		rs, err := renditionsOf(ctx, q, slices.Compact(ids))
		if err != nil {
			return err
		}
		for _, u := range uploaded {
			p := &u.a.Photos[u.i]
			p.Renditions = rs[u.mid]
			p.Thumbnail = content.Thumbnail(p.Renditions, p.URL)
		}
	}
	err = each("related links", `SELECT article_id, kind, title, url, target_article_id
		FROM article_links WHERE article_id = ANY($1) ORDER BY article_id, position`, func(rows pgx.Rows) error {
		var id, kind string
		var l content.RelatedLink
		if err := rows.Scan(&id, &kind, &l.Title, &l.URL, &l.ArticleID); err != nil {
			return err
		}
		l.Kind = content.LinkKind(kind)
		a := byID[id]
		a.Links = append(a.Links, l)
		return nil
	})
	if err != nil || !full {
		return err
	}
	return each("corrections", `SELECT article_id, text, created_at
		FROM corrections WHERE article_id = ANY($1) ORDER BY article_id, id`, func(rows pgx.Rows) error {
		var id string
		var c content.Correction
		if err := rows.Scan(&id, &c.Text, &c.At); err != nil {
			return err
		}
		a := byID[id]
		a.Corrections = append(a.Corrections, c)
		return nil
	})
}

// RedirectSlug returns the current slug of the published article that once
// had oldSlug, or content.ErrNotFound.
func (db *DB) RedirectSlug(ctx context.Context, oldSlug string) (string, error) {
	var slug string
	err := db.pool.QueryRow(ctx, `SELECT a.slug FROM slug_redirects r JOIN articles a ON a.id = r.article_id
		WHERE r.slug = $1 AND `+public("a"), oldSlug).Scan(&slug)
	if noRows(err) {
		return "", content.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("look up slug redirect %q: %w", oldSlug, mapErr(err))
	}
	return slug, nil
}
