package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"strings"

	"dateline/content"
)

// syncSearch makes the search index agree with article id as tx sees it:
// a published, not deleted story is indexed with its current text, any
// other is not. Every write transaction that changes a story's text,
// status or deletion calls it.
func syncSearch(ctx context.Context, tx *sql.Tx, id string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_search
		WHERE docid = (SELECT docid FROM article_search_docs WHERE article_id = ?)`, id); err != nil {
		return fmt.Errorf("unindex article %s: %w", id, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO article_search_docs (article_id)
		SELECT a.id FROM articles a WHERE a.id = ? AND `+public("a"), id); err != nil {
		return fmt.Errorf("index article %s: %w", id, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE article_search_docs
		SET published_at = (SELECT published_at FROM articles WHERE id = ?) WHERE article_id = ?`, id, id); err != nil {
		return fmt.Errorf("index article %s: %w", id, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_search (docid, headline, standfirst, body)
		SELECT d.docid, `+markerFree("a.headline")+`, `+markerFree("a.standfirst")+`, `+markerFree("a.body_text")+`
		FROM articles a JOIN article_search_docs d ON d.article_id = a.id
		WHERE a.id = ? AND `+public("a"), id); err != nil {
		return fmt.Errorf("index article %s: %w", id, mapErr(err))
	}
	return nil
}

// tidySearch does a bounded step of merging in the full-text index: at most
// 16 pages written, on a level holding two segments or more. FTS4 adds a
// segment for every transaction that changes the index and merges on its
// own only in sixteens (its automatic merging, migration 0008, works only
// for large transactions), so an index built story by story would hold
// dozens of segments, and every search term is looked up in each. The
// single-story writes that change the index call it after syncSearch (a
// draft's autosave does not); bulk imports leave it to the automatic
// merging, since a merge in the middle of their transaction would flush
// the terms FTS4 gathers in memory story by story.
func tidySearch(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_search (article_search) VALUES ('merge=16,2')`); err != nil {
		return fmt.Errorf("merge search index: %w", mapErr(err))
	}
	return nil
}

// The snippet markers: control characters no stored text keeps (markerFree
// removes them before indexing), so that snippets are plain text until
// snippetHTML escapes them.
const (
	markOpen  = "\x02"
	markClose = "\x03"
)

func markerFree(col string) string {
	return "replace(replace(" + col + ", char(2), ''), char(3), '')"
}

// ftsExpression turns parsed phrases into an FTS4 MATCH expression: every
// phrase in double quotes (words are letters and digits only, so nothing
// inside can be syntax), implicitly ANDed.
func ftsExpression(phrases []content.Phrase) string {
	var b strings.Builder
	for i, p := range phrases {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.Join(p.Words, " "))
		if p.Prefix {
			b.WriteByte('*')
		}
		b.WriteByte('"')
	}
	return b.String()
}

// searchHit is one ranked hit of a search page.
type searchHit struct {
	id          string
	rank        int64
	docid       int64
	publishedAt string
}

// searchPage ranks the hits of the full-text query f.Query among published
// stories, most relevant first, then newest first, and returns one page of
// them (keyset-paged on rank, published_at, id) with the FTS MATCH
// expression it used. It reads the index tables alone
// (article_search_docs keeps each hit's published_at), joining the stories
// only when a filter needs their columns; callers load the page's stories
// in a second step, which checks again that each is published and not
// deleted, so a row the index holds by mistake never leaks.
func searchPage(ctx context.Context, q querier, f content.ArticleFilter) ([]searchHit, string, error) {
	phrases, err := content.ParseQuery(f.Query)
	if err != nil {
		return nil, "", err
	}
	match := ftsExpression(phrases)
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	if f.After != nil && f.After.Rank == nil {
		return nil, "", &content.Error{Code: content.EINVALID, Message: "invalid cursor",
			Fields: []content.FieldError{{Field: "cursor", Message: "belongs to a list that is not a search"}}}
	}
	query, args := searchQuery(f, match, limit)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("search articles: %w", mapErr(err))
	}
	defer rows.Close()
	var hits []searchHit
	for rows.Next() {
		var h searchHit
		if err := rows.Scan(&h.id, &h.rank, &h.docid, &h.publishedAt); err != nil {
			return nil, "", fmt.Errorf("search articles: %w", mapErr(err))
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("search articles: %w", mapErr(err))
	}
	return hits, match, nil
}

// search runs a full-text query (f.Query) over published stories: most
// relevant first, then newest first, keyset-paged on (rank, published_at,
// id). Each article carries its Match.
func (db *DB) search(ctx context.Context, q querier, f content.ArticleFilter) ([]*content.Article, error) {
	hits, match, err := searchPage(ctx, q, f)
	if err != nil || len(hits) == 0 {
		return []*content.Article{}, err
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	found, err := db.articles(ctx, q, content.ArticleFilter{IDs: ids, Statuses: []content.Status{content.StatusPublished},
		Sort: content.SortPublished, Limit: len(ids), Full: f.Full})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*content.Article, len(found))
	for _, a := range found {
		byID[a.ID] = a
	}
	as := make([]*content.Article, 0, len(hits))
	var shown []searchHit
	for _, h := range hits {
		if a, ok := byID[h.id]; ok {
			a.Match = &content.Match{Rank: h.rank}
			as = append(as, a)
			shown = append(shown, h)
		}
	}
	snips, err := snippets(ctx, q, match, shown)
	if err != nil {
		return nil, err
	}
	for i, a := range as {
		a.Match.Snippet = snips[shown[i].docid]
	}
	return as, nil
}

// SearchBlobs is SummaryBlobs for a full-text search (f.Query): the stored
// list items of one page of hits, in search order, each with its Match.
// ok is false, with no error, when the stored JSON cannot answer: no
// renderer, no query, a filter that is not published-only, or a hit
// without a list item rendered under key. The caller then searches with
// Articles.
func (db *DB) SearchBlobs(ctx context.Context, f content.ArticleFilter, key string) ([]content.Blob, bool, error) {
	if db.render == nil || f.Query == "" || !f.Published() || f.Full {
		return nil, false, nil
	}
	hits, match, err := searchPage(ctx, db.r, f)
	if err != nil || len(hits) == 0 {
		return []content.Blob{}, err == nil, err
	}
	// The hits are checked against the stories, as Articles checks them.
	args := make([]any, len(hits))
	ids := make([]string, len(hits))
	for i, h := range hits {
		args[i], ids[i] = h.id, h.id
	}
	var shown int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM articles a INDEXED BY articles_summary
		WHERE a.id IN (`+placeholders(len(args))+`) AND `+public("a"), args...).Scan(&shown); err != nil {
		return nil, false, fmt.Errorf("check search hits: %w", mapErr(err))
	}
	if shown != len(hits) {
		return nil, false, nil
	}
	items, ok, err := db.listItems(ctx, ids, key)
	if !ok || err != nil {
		return nil, false, err
	}
	snips, err := snippets(ctx, db.r, match, hits)
	if err != nil {
		return nil, false, err
	}
	bs := make([]content.Blob, len(hits))
	for i, h := range hits {
		at, err := parseTime(h.publishedAt)
		if err != nil {
			return nil, false, err
		}
		bs[i] = content.Blob{ID: h.id, PublishedAt: at, JSON: items[i],
			Match: &content.Match{Rank: h.rank, Snippet: snips[h.docid]}}
	}
	return bs, true, nil
}

// searchQuery builds the ranking and paging statement of a search: it
// yields (article id, rank, docid, published_at) of one page of hits in
// order.
func searchQuery(f content.ArticleFilter, match string, limit int) (string, []any) {
	args := []any{match}
	cond := []string{"d.published_at IS NOT NULL"}
	if f.Since != nil {
		cond = append(cond, "d.published_at >= ?")
		args = append(args, timeText(*f.Since))
	}
	if f.Until != nil {
		cond = append(cond, "d.published_at < ?")
		args = append(args, timeText(*f.Until))
	}
	join := ""
	if f.Author != "" || f.Featured != nil || len(f.Tags) > 0 {
		join = "JOIN articles a INDEXED BY articles_summary ON a.id = d.article_id"
		c, a := articleConditions(content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Author: f.Author, Featured: f.Featured})
		cond, args = append(cond, c...), append(args, a...)
		if len(f.Tags) > 0 {
			c, a := tagCondition(f.Tags)
			cond, args = append(cond, c), append(args, a...)
		}
	}
	if f.After != nil {
		cond = append(cond, "(m.rank, d.published_at, d.article_id) < (?, ?, ?)")
		args = append(args, *f.After.Rank, timeText(f.After.Time), f.After.ID)
	}
	query := `WITH m AS MATERIALIZED (
			SELECT docid, dateline_rank(matchinfo(article_search, 'pcy')) AS rank
			FROM article_search WHERE article_search MATCH ?)
		SELECT d.article_id, m.rank, m.docid, d.published_at
		FROM m JOIN article_search_docs d ON d.docid = m.docid ` + join + `
		WHERE ` + strings.Join(cond, " AND ") + `
		ORDER BY m.rank DESC, d.published_at DESC, d.article_id DESC LIMIT ?`
	return query, append(args, limit)
}

// snippets returns the snippet of each hit, by docid. The docid filter is
// written +docid so that FTS evaluates the MATCH (which snippet needs)
// rather than a docid lookup.
func snippets(ctx context.Context, q querier, match string, hits []searchHit) (map[int64]string, error) {
	out := make(map[int64]string, len(hits))
	if len(hits) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(hits)+1)
	args = append(args, match)
	for _, h := range hits {
		args = append(args, h.docid)
	}
	rows, err := q.QueryContext(ctx, `SELECT docid, snippet(article_search, char(2), char(3), '…', -1, 24)
		FROM article_search WHERE article_search MATCH ? AND +docid IN (`+placeholders(len(hits))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("search snippets: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var docid int64
		var s string
		if err := rows.Scan(&docid, &s); err != nil {
			return nil, fmt.Errorf("search snippets: %w", mapErr(err))
		}
		out[docid] = snippetHTML(s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search snippets: %w", mapErr(err))
	}
	return out, nil
}

// snippetHTML escapes a plain-text snippet and only then turns the markers
// into <mark> elements, so the snippet carries no HTML of the story's own.
func snippetHTML(s string) string {
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, markOpen, "<mark>")
	return strings.ReplaceAll(s, markClose, "</mark>")
}

// summaryIndex returns the hint that makes a by-id join of a summary read
// (not Full) use the covering index articles_summary (migration 0005):
// SQLite would otherwise pick the primary key and read the table row, whose
// summary columns sit behind kilobytes of body text on overflow pages.
func summaryIndex(f content.ArticleFilter) string {
	if f.Full {
		return ""
	}
	return "INDEXED BY articles_summary"
}
