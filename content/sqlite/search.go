package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unsafe"

	"dateline/content"
	"dateline/content/textsearch"
)

// How a search ranks (searchPage): it reads the matches newest first, from
// doclists kept in docid order where docid follows publication time
// (search_index.go), and ranks the newest searchCandidates of them by
// relevance (dateline_rank, rank.go: headline hits above standfirst hits
// above body hits), then recency. Matches older than those candidates
// follow them newest first. So a search costs about the same for a word in
// every story as for a word in fifty, and one page never reads every
// match: the index stops after the candidates, phrases and prefixes
// included.
//
// The window of candidates is fixed by the first page: a hit's Rank is its
// relevance in the bits above docidBits and the docid of the oldest
// candidate in the bits below (0 when every match is a candidate), and the
// older matches rank as that docid alone. A cursor carries its Rank, so
// every page of one search is cut from the same window, in one fixed order
// (Rank, then docid: publication time, and the order of indexing within a
// second): stories published meanwhile join the window without moving the
// others, and pages never repeat or skip a story. Only the page's hits are
// mapped to stories.
const (
	searchCandidates = 200
	snippetWords     = 24
)

const docidMask = 1<<docidBits - 1

// ftsExpression turns analyzed phrases into an FTS4 MATCH expression: every
// phrase in double quotes (terms are letters and digits only, so nothing
// inside can be syntax), implicitly ANDed.
func ftsExpression(phrases []textsearch.Phrase) string {
	var b strings.Builder
	for i, p := range phrases {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.Join(p.Terms, " "))
		if p.Prefix {
			b.WriteByte('*')
		}
		b.WriteByte('"')
	}
	return b.String()
}

// match is a match of the index, ranked: its docid and rank. A first page
// sorts a few hundred of them, so they are kept small.
type match struct{ docid, rank int64 }

// before reports whether m comes before o in search order: rank, then
// docid (publication time), higher first.
func (m match) before(o match) bool {
	if m.rank != o.rank {
		return m.rank > o.rank
	}
	return m.docid > o.docid
}

// searchOrder compares matches in search order, for slices.SortFunc.
func searchOrder(m, o match) int {
	if c := cmp.Compare(o.rank, m.rank); c != 0 {
		return c
	}
	return cmp.Compare(o.docid, m.docid)
}

// searchHit is one hit of a search page: its match, and the story id,
// published_at, whether readers see the story and its snippet (pageHits).
type searchHit struct {
	match
	id          string
	publishedAt string
	snippet     string
	shown       bool
}

// searchQuery is a parsed and analyzed full-text query.
type searchQuery struct {
	analyzer *textsearch.Analyzer
	phrases  []textsearch.Phrase
	match    string
}

// analyzeQuery parses f.Query (content.ParseQuery: a bad query is a
// validation error) and analyzes it with the index's analyzer. ok is false
// when no word of it can be indexed (marks alone): nothing matches.
func (db *DB) analyzeQuery(ctx context.Context, q querier, text string) (searchQuery, bool, error) {
	parsed, err := content.ParseQuery(text)
	if err != nil {
		return searchQuery{}, false, err
	}
	a := db.analyzer
	if a == nil { // opened without migrating: read what the index was built with
		if a, err = indexAnalyzer(ctx, q); err != nil {
			return searchQuery{}, false, err
		}
	}
	sq := searchQuery{analyzer: a}
	for _, p := range parsed {
		ph, ok := a.Phrase(p.Words, p.Prefix)
		if !ok {
			return searchQuery{}, false, nil
		}
		sq.phrases = append(sq.phrases, ph)
	}
	sq.match = ftsExpression(sq.phrases)
	return sq, true, nil
}

// searchPage returns one page of the hits of the full-text query f.Query
// among published stories, in search order (see the top of this file),
// each with its snippet. It finds the hits in the index tables alone,
// joining the stories only when a filter needs their columns, and then
// reads the page's stories for their snippets (pageHits); callers load the
// page's stories in a second step, which checks again that each is
// published and not deleted, so a row the index holds by mistake never
// leaks.
func (db *DB) searchPage(ctx context.Context, q querier, f content.ArticleFilter) ([]searchHit, error) {
	if f.After != nil && f.After.Rank == nil {
		return nil, &content.Error{Code: content.EINVALID, Message: "invalid cursor",
			Fields: []content.FieldError{{Field: "cursor", Message: "belongs to a list that is not a search"}}}
	}
	sq, ok, err := db.analyzeQuery(ctx, q, f.Query)
	if err != nil || !ok {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	var after *searchHit
	floor, inWindow := int64(0), true
	if f.After != nil {
		if after, err = cursorHit(ctx, q, *f.After); err != nil {
			return nil, err
		}
		floor, inWindow = after.rank&docidMask, after.rank>>docidBits > 0
	}
	var hits []searchHit
	if inWindow {
		n := 0 // the first page reads the newest candidates; later ones the window the first fixed
		if after == nil {
			n = searchCandidates
		}
		cands, err := searchMatches(ctx, q, f, matchScan{match: sq.match, from: floor, limit: n, rank: true})
		if err != nil {
			return nil, err
		}
		if after == nil && len(cands) == searchCandidates {
			floor = cands[len(cands)-1].docid
		}
		for i := range cands {
			cands[i].rank = max(1, cands[i].rank)<<docidBits | floor
		}
		slices.SortFunc(cands, searchOrder)
		for _, m := range cands {
			if after == nil || after.before(m) {
				if hits = append(hits, searchHit{match: m}); len(hits) == limit {
					break
				}
			}
		}
	}
	if len(hits) < limit && floor > 0 {
		// Past the window: the older matches, newest first, each ranking
		// as the window's floor.
		below := floor
		if after != nil && !inWindow {
			below = after.docid
		}
		tail, err := searchMatches(ctx, q, f, matchScan{match: sq.match, below: below, limit: limit - len(hits)})
		if err != nil {
			return nil, err
		}
		for _, m := range tail {
			m.rank = floor
			hits = append(hits, searchHit{match: m})
		}
	}
	return pageHits(ctx, q, sq, hits)
}

// cursorHit returns the hit a search cursor stands for: its rank, and the
// docid of its story (one past the docids of its second when the story has
// left the index since).
func cursorHit(ctx context.Context, q querier, c content.Cursor) (*searchHit, error) {
	h := &searchHit{match: match{rank: *c.Rank}, id: c.ID, publishedAt: timeText(c.Time)}
	err := q.QueryRowContext(ctx, `SELECT docid FROM article_search_docs WHERE article_id = ?`, c.ID).Scan(&h.docid)
	if errors.Is(err, sql.ErrNoRows) {
		h.docid = docidBase(c.Time) + docidSlots
		return h, nil
	}
	if err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	return h, nil
}

// pageHits sets the story id, published_at and snippet of each hit, in
// one read of the index's story map joined to the stories, leaving out a
// hit whose story the index no longer maps. A hit whose story is missing,
// not published or deleted stays, with shown false: callers decide what
// such a row of the index means for them.
//
// A snippet is textsearch's Snippet over the story's headline, standfirst
// and plain body text: only the page is read and cut, and a body is
// decoded only when the headline and standfirst do not show every phrase.
// The body comes in the same row as the lead, so a page costs one
// statement and one lookup of each story.
func pageHits(ctx context.Context, q querier, sq searchQuery, hits []searchHit) ([]searchHit, error) {
	if len(hits) == 0 {
		return hits, nil
	}
	args := make([]any, len(hits))
	for i, h := range hits {
		args[i] = h.docid
	}
	rows, err := q.QueryContext(ctx, `SELECT d.docid, d.article_id, d.published_at,
		coalesce(a.headline, ''), coalesce(a.standfirst, ''), coalesce(`+public("a")+`, 0), a.body_text
		FROM article_search_docs d LEFT JOIN articles a ON a.id = d.article_id
		WHERE d.docid IN (`+placeholders(len(args))+`) AND d.published_at IS NOT NULL`, args...)
	if err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	defer rows.Close()
	docs := make(map[int64]searchHit, len(hits))
	var (
		fields               = make([]string, 3)
		buf                  []byte // the bodies are decoded into one buffer, each in turn
		headline, standfirst string
		body                 sql.RawBytes
	)
	for rows.Next() {
		var h searchHit
		if err := rows.Scan(&h.docid, &h.id, &h.publishedAt, &headline, &standfirst, &h.shown, &body); err != nil {
			return nil, fmt.Errorf("search articles: %w", mapErr(err))
		}
		snip, all := sq.analyzer.SnippetOf([]string{headline, standfirst}, sq.phrases, snippetWords)
		if !all && len(body) > 0 {
			text, err := unpackInto(buf[:0], body)
			if err != nil {
				return nil, fmt.Errorf("search articles: article %s: body_text: %w", h.id, err)
			}
			if body[0] == s2Magic && cap(text) > cap(buf) {
				buf = text // decoded into memory of its own, not the driver's
			}
			// A snippet keeps nothing of the text it is cut from, so the
			// body is lent to it without a copy; buf is not written again
			// before Snippet returns.
			fields[0], fields[1], fields[2] = headline, standfirst, unsafe.String(unsafe.SliceData(text), len(text))
			snip = sq.analyzer.Snippet(fields, sq.phrases, snippetWords)
			fields[2] = ""
		}
		h.snippet = snip
		docs[h.docid] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	out := hits[:0]
	for _, h := range hits {
		if d, ok := docs[h.docid]; ok {
			d.rank = h.rank
			out = append(out, d)
		}
	}
	return out, nil
}

// matchScan says which matches searchMatches reads.
type matchScan struct {
	match string
	from  int64 // docid at least this
	below int64 // docid below this; 0: no bound
	limit int   // at most this many; 0: no bound
	rank  bool  // rank each match (dateline_rank); else rank 0
}

// searchMatches reads the matches of s.match that pass f's filters, newest (highest docid) first, from the full-text
// index alone, joining the index's story map and the stories only for
// filters that need their columns.
func searchMatches(ctx context.Context, q querier, f content.ArticleFilter, s matchScan) ([]match, error) {
	rank := "0"
	if s.rank {
		rank = "dateline_rank(matchinfo(article_search, 'pcy'))"
	}
	args := []any{s.match}
	cond := []string{"article_search MATCH ?"}
	if s.from > 0 {
		cond, args = append(cond, "s.docid >= ?"), append(args, s.from)
	}
	if s.below > 0 {
		cond, args = append(cond, "s.docid < ?"), append(args, s.below)
	}
	join := ""
	if f.Since != nil || f.Until != nil || f.Author != "" || f.Featured != nil || len(f.Tags) > 0 {
		join = "JOIN article_search_docs d ON d.docid = s.docid"
	}
	if f.Since != nil {
		cond = append(cond, "s.docid >= ?", "d.published_at >= ?")
		args = append(args, docidBase(*f.Since), timeText(*f.Since))
	}
	if f.Until != nil {
		cond = append(cond, "s.docid < ?", "d.published_at < ?")
		args = append(args, docidBase(*f.Until)+docidSlots, timeText(*f.Until))
	}
	if f.Author != "" || f.Featured != nil || len(f.Tags) > 0 {
		join += " JOIN articles a INDEXED BY articles_summary ON a.id = d.article_id"
		c, a := articleConditions(content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Author: f.Author, Featured: f.Featured})
		cond, args = append(cond, c...), append(args, a...)
		if len(f.Tags) > 0 {
			c, a := tagCondition(f.Tags)
			cond, args = append(cond, c), append(args, a...)
		}
	}
	query := `SELECT s.docid, ` + rank + ` FROM article_search s ` + join + `
		WHERE ` + strings.Join(cond, " AND ") + ` ORDER BY s.docid DESC`
	if s.limit > 0 {
		query += " LIMIT ?"
		args = append(args, s.limit)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	defer rows.Close()
	hits := make([]match, 0, s.limit)
	for rows.Next() {
		var h match
		if err := rows.Scan(&h.docid, &h.rank); err != nil {
			return nil, fmt.Errorf("search articles: %w", mapErr(err))
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	return hits, nil
}

// search runs a full-text query (f.Query) over published stories in search
// order (see the top of this file). Each article carries its Match.
func (db *DB) search(ctx context.Context, q querier, f content.ArticleFilter) ([]*content.Article, error) {
	hits, err := db.searchPage(ctx, q, f)
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
	for _, h := range hits {
		if a, ok := byID[h.id]; ok {
			a.Match = &content.Match{Rank: h.rank, Snippet: h.snippet}
			as = append(as, a)
		}
	}
	return as, nil
}

// SearchHits is ListKeys for a full-text search (f.Query): the keys of
// one page of hits, in search order, each with its Match (no JSON: their
// stored list items are ListItems'). ok is false, with no error, when the
// stored JSON cannot answer: no renderer, no query, a filter that is not
// published-only, or a hit that is not a published story. The caller then
// searches with Articles.
func (db *DB) SearchHits(ctx context.Context, f content.ArticleFilter) ([]content.Blob, bool, error) {
	if db.render == nil || f.Query == "" || !f.Published() || f.Full {
		return nil, false, nil
	}
	hits, err := db.searchPage(ctx, db.r, f)
	if err != nil || len(hits) == 0 {
		return []content.Blob{}, err == nil, err
	}
	// The hits are checked against the stories, as Articles checks them.
	for _, h := range hits {
		if !h.shown {
			return nil, false, nil
		}
	}
	bs := make([]content.Blob, len(hits))
	for i, h := range hits {
		at, err := parseTime(h.publishedAt)
		if err != nil {
			return nil, false, err
		}
		bs[i] = content.Blob{ID: h.id, PublishedAt: at,
			Match: &content.Match{Rank: h.rank, Snippet: h.snippet}}
	}
	return bs, true, nil
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
