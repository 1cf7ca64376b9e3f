package postgres

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"dateline/content"
	"dateline/content/textsearch"
)

// Search on PostgreSQL: every write that changes a story's text or whether
// readers see it sets articles.search in its own transaction (syncSearch):
// the weighted tsvector of headline (A), standfirst (B) and body text (C)
// while the story is public, NULL otherwise, so the GIN index holds public
// stories only. A query (content.ParseQuery) becomes a tsquery of its
// phrases (words joined by <->, a trailing * a :* prefix), all of which
// must match; hits rank by ts_rank_cd, then newest first, and carry a
// snippet with the matched words in <mark>, made in Go for the page's hits
// as content/sqlite makes them (snippets).
//
// The text search configuration follows the newsroom's language
// (Options.Language: "en" english, "ru" russian, and so on), or simple
// where the server has none for it (textConfig).

const snippetWords = 24

// rankScale turns ts_rank_cd's float into the integer content.Match.Rank
// carries (and a search cursor with it).
const rankScale = 1_000_000

// languageConfigs maps BCP 47 primary language subtags to the text search
// configurations PostgreSQL ships.
var languageConfigs = map[string]string{
	"ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
	"es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
	"hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
	"ne": "nepali", "nl": "dutch", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese",
	"ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}

// textConfig returns the text search configuration for language (default
// English) that the server has, or "simple".
func (db *DB) textConfig(ctx context.Context, language string) (string, error) {
	tag := strings.ToLower(language)
	if tag == "" {
		tag = "en"
	}
	primary, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	want, ok := languageConfigs[primary]
	if !ok {
		return "simple", nil
	}
	var exists bool
	if err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = $1)", want).Scan(&exists); err != nil {
		return "", fmt.Errorf("read text search configurations: %w", mapErr(err))
	}
	if !exists {
		return "simple", nil
	}
	return want, nil
}

// ensureSearch makes the search documents follow db.tsConfig: when they
// were built with another configuration (the newsroom's language
// changed), it rebuilds every public story's in one transaction, under
// the migration lock, so instances starting at once rebuild once.
func (db *DB) ensureSearch(ctx context.Context) error {
	return db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return fmt.Errorf("lock the search index: %w", mapErr(err))
		}
		var built string
		if err := tx.QueryRow(ctx, "SELECT config FROM search_config WHERE id = 1").Scan(&built); err != nil {
			return fmt.Errorf("read the search configuration: %w", mapErr(err))
		}
		if built == db.tsConfig {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE articles a SET search = `+searchDocument+` WHERE `+public("a"), db.tsConfig); err != nil {
			return fmt.Errorf("rebuild the search index for %s: %w", db.tsConfig, mapErr(err))
		}
		if _, err := tx.Exec(ctx, "UPDATE search_config SET config = $1 WHERE id = 1", db.tsConfig); err != nil {
			return fmt.Errorf("record the search configuration: %w", mapErr(err))
		}
		return nil
	})
}

// searchDocument is the search document of story a under the text search
// configuration $1.
var searchDocument = `setweight(to_tsvector($1::regconfig, ` + untagged("a.headline") + `), 'A') ||
	setweight(to_tsvector($1::regconfig, ` + untagged("a.standfirst") + `), 'B') ||
	setweight(to_tsvector($1::regconfig, ` + untagged("a.body_text") + `), 'C')`

// untagged is the SQL of text expr as the text search parser is to read
// it: every "<" followed by chr(1), so that the parser, which takes
// "<b>" for an HTML tag and drops it, reads the words of text such as a
// story quoting code ("<script>") as words, as content/sqlite's index
// does; chr(1) separates to the parser. (Snippets are made from the stored
// text itself.)
func untagged(expr string) string { return "replace(" + expr + ", '<', '<' || chr(1))" }

// syncSearch sets the search document of story id as the story stands in
// tx: its weighted text while readers see it, NULL otherwise.
func (db *DB) syncSearch(ctx context.Context, tx *wtx, id string) error {
	if _, err := tx.Exec(ctx, `UPDATE articles a SET search = CASE WHEN `+public("a")+` THEN `+searchDocument+` END
		WHERE a.id = $2`, db.tsConfig, id); err != nil {
		return fmt.Errorf("index article %s for search: %w", id, mapErr(err))
	}
	return nil
}

// tsQuery returns the to_tsquery text of phrases: words are letters and
// digits only (content.ParseQuery), each quoted, so nothing in them is
// syntax.
func tsQuery(phrases []content.Phrase) string {
	parts := make([]string, 0, len(phrases))
	for _, p := range phrases {
		words := make([]string, len(p.Words))
		for i, w := range p.Words {
			words[i] = "'" + strings.ReplaceAll(w, "'", "") + "'"
		}
		if p.Prefix {
			words[len(words)-1] += ":*"
		}
		parts = append(parts, "("+strings.Join(words, " <-> ")+")")
	}
	return strings.Join(parts, " & ")
}

// Search order, as on SQLite, scales with the page rather than with the
// matches: ranking a hit reads its whole search document, which for a
// common word would be thousands of documents a query. So relevance is
// computed over a window: the newest db.searchWindow matches and the
// other matches of the second the last of them was published in, ranked
// by ts_rank_cd, then published_at and id; after them come the older
// matches, newest first. A hit's rank (content.Match.Rank, which a search
// cursor carries) holds its relevance (at least 1 in the window, 0 past
// it) above the second the window starts at (floorBits), so that every
// page of one search uses the window its first page fixed, and pages
// never repeat or skip a story while stories are published meanwhile.
//
// The window is read once per page, ranked as it is read (windowHits),
// and ordered in Go; only the matches past it are ordered by PostgreSQL.
const (
	floorBits    = 34 // Unix seconds of the window's start; enough until 2514
	floorMask    = 1<<floorBits - 1
	maxRelevance = 1<<(63-floorBits) - 1
)

// searchHit is one hit of a search page: the story, its publication time
// and its rank as a cursor carries it.
type searchHit struct {
	id          string
	publishedAt time.Time
	rank        int64
}

// before reports whether h comes before o in the window's order:
// relevance, then publication time and id, higher first.
func (h searchHit) before(o searchHit) bool {
	if h.rank != o.rank {
		return h.rank > o.rank
	}
	if !h.publishedAt.Equal(o.publishedAt) {
		return h.publishedAt.After(o.publishedAt)
	}
	return h.id > o.id
}

// searchQuery is the SQL of one search's matches: the conditions on
// articles a, their parameters, and whether the query holds a phrase.
type searchQuery struct {
	cond   []string
	p      *params
	tq     string // the tsquery's placeholder expression
	phrase bool
}

// matches returns the conditions of every match of phrases among the
// stories f selects.
func (db *DB) matches(f content.ArticleFilter, phrases []content.Phrase) searchQuery {
	p := &params{}
	tq := "to_tsquery(" + p.add(db.tsConfig) + "::regconfig, " + p.add(tsQuery(phrases)) + ")"
	cond := append(articleConditions(f, p), "a.search @@ "+tq)
	if len(f.Tags) > 0 {
		cond = append(cond, "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags tg ON tg.id = at.tag_id WHERE tg.slug = ANY("+p.add(f.Tags)+"))")
	}
	return searchQuery{cond: cond, p: p, tq: tq, phrase: hasPhrase(phrases)}
}

// relevance is the SQL of a match's relevance, as a window's hits carry
// it: ts_rank_cd scaled to an integer from 1 to maxRelevance.
func (sq searchQuery) relevance() string {
	return "LEAST(GREATEST(1, (ts_rank_cd(a.search, " + sq.tq + ") * " + fmt.Sprint(rankScale) + ")::bigint), " + fmt.Sprint(maxRelevance) + ")"
}

// narrowed returns sq with one more condition: cond, a fixed fragment
// whose %s are the placeholders of vs, bound in turn. sq is left as it was.
func (sq searchQuery) narrowed(cond string, vs ...any) searchQuery {
	p := append(params{}, *sq.p...)
	phs := make([]any, len(vs))
	for i, v := range vs {
		phs[i] = p.add(v)
	}
	sq.cond = append(append([]string{}, sq.cond...), fmt.Sprintf(cond, phs...))
	sq.p = &p
	return sq
}

// ranked returns the SQL of the matches, newest first, each with its
// relevance, at most limit of them (0: all). A
// word's matches are read by walking the stories newest first, which
// stops at the limit; a phrase needs each candidate's positions and
// matches few stories, so its matches are collected through the GIN index
// first (a materialized set, planned apart), and only those returned are
// ranked, each read again by its primary key.
func (sq searchQuery) ranked(limit int) (string, []any) {
	p := append(params{}, *sq.p...)
	cond := strings.Join(sq.cond, " AND ")
	lim := ""
	if limit > 0 {
		lim = " LIMIT " + p.add(limit)
	}
	if !sq.phrase {
		return "SELECT a.id, a.published_at, " + sq.relevance() + " FROM articles a WHERE " + cond +
			" ORDER BY a.published_at DESC, a.id DESC" + lim, p
	}
	return "WITH m AS MATERIALIZED (SELECT a.id, a.published_at FROM articles a WHERE " + cond + ") " +
		"SELECT w.id, w.published_at, x.relevance FROM (SELECT id, published_at FROM m ORDER BY published_at DESC, id DESC" + lim + ") w " +
		"CROSS JOIN LATERAL (SELECT " + sq.relevance() + " AS relevance FROM articles a WHERE a.id = w.id OFFSET 0) x " +
		"ORDER BY w.published_at DESC, w.id DESC", p
}

// searchPage returns the page of hits of f.Query (and f's other fields)
// among published stories, in search order, at most f.Limit (default
// content.DefaultLimit), and the query's phrases. A cursor must carry the
// rank of the hit it follows.
func (db *DB) searchPage(ctx context.Context, q querier, f content.ArticleFilter) ([]searchHit, []content.Phrase, error) {
	if f.After != nil && f.After.Rank == nil {
		return nil, nil, &content.Error{Code: content.EINVALID, Message: "invalid cursor",
			Fields: []content.FieldError{{Field: "cursor", Message: "belongs to a list that is not a search"}}}
	}
	phrases, err := content.ParseQuery(f.Query)
	if err != nil {
		return nil, nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	after := f.After
	f.Statuses = []content.Status{content.StatusPublished}
	f.Deleted = false
	f.After = nil
	sq := db.matches(f, phrases)

	var floor int64 // Unix seconds; 0: every match is in the window
	inWindow := true
	if after != nil {
		floor, inWindow = *after.Rank&floorMask, *after.Rank>>floorBits > 0
	}
	var hits []searchHit
	if inWindow {
		window, start, err := db.windowHits(ctx, q, sq, floor, after == nil)
		if err != nil {
			return nil, nil, err
		}
		floor = start
		var last *searchHit
		if after != nil {
			last = &searchHit{id: after.ID, publishedAt: after.Time.UTC(), rank: *after.Rank >> floorBits}
		}
		sort.Slice(window, func(i, j int) bool { return window[i].before(window[j]) })
		for _, h := range window {
			if last == nil || last.before(h) {
				h.rank = h.rank<<floorBits | floor
				if hits = append(hits, h); len(hits) == limit {
					break
				}
			}
		}
	}
	if len(hits) < limit && floor > 0 {
		older := sq.narrowed("a.published_at < %s", time.Unix(floor, 0).UTC())
		if after != nil && !inWindow {
			older = older.narrowed("(a.published_at, a.id) < (%s, %s)", after.Time.UTC(), after.ID)
		}
		p := older.p
		tail, err := scanHits(ctx, q, "SELECT a.id, a.published_at, 0 FROM articles a WHERE "+strings.Join(older.cond, " AND ")+
			" ORDER BY a.published_at DESC, a.id DESC LIMIT "+p.add(limit-len(hits)), *p)
		if err != nil {
			return nil, nil, err
		}
		for _, h := range tail {
			h.rank = floor
			hits = append(hits, h)
		}
	}
	return hits, phrases, nil
}

// windowHits returns the matches of sq in the window that starts at the
// Unix second floor (0: every match), each with its relevance as its
// rank, unordered. For a search's first page (first) it fixes the window
// instead and returns its start: the newest db.searchWindow matches and
// the others of the second the last of them was published in, or every
// match (start 0) when there are no more than that, or when the window
// would start before 1970 (an archive: a cursor carries the start as
// positive Unix seconds).
func (db *DB) windowHits(ctx context.Context, q querier, sq searchQuery, floor int64, first bool) ([]searchHit, int64, error) {
	if !first {
		if floor > 0 {
			sq = sq.narrowed("a.published_at >= %s", time.Unix(floor, 0).UTC())
		}
		query, args := sq.ranked(0)
		hits, err := scanHits(ctx, q, query, args)
		return hits, floor, err
	}
	n := db.searchWindow
	query, args := sq.ranked(n + 1)
	hits, err := scanHits(ctx, q, query, args)
	if err != nil || len(hits) <= n {
		return hits, 0, err
	}
	start := hits[n-1].publishedAt.Truncate(time.Second)
	if start.Unix() <= 0 {
		query, args := sq.ranked(0)
		hits, err := scanHits(ctx, q, query, args)
		return hits, 0, err
	}
	next := hits[n]
	hits = hits[:n]
	if !next.publishedAt.Before(start) {
		// The match after the newest n is of the window's first second:
		// so may be others, all read again with it.
		query, args := sq.narrowed("a.published_at >= %s AND a.published_at < %s", start, start.Add(time.Second)).ranked(0)
		ties, err := scanHits(ctx, q, query, args)
		if err != nil {
			return nil, 0, err
		}
		seen := make(map[string]bool, len(hits))
		for _, h := range hits {
			seen[h.id] = true
		}
		for _, h := range ties {
			if !seen[h.id] {
				hits = append(hits, h)
			}
		}
	}
	return hits, start.Unix(), nil
}

// planned returns the arguments of a search query with the mode that has
// PostgreSQL plan it for these values each time (an unnamed statement).
// pgx otherwise prepares a statement once per connection, and after five
// runs PostgreSQL may keep a generic plan, made without the values: for a
// search that plan guesses a word's matches (50, where a common word has
// thousands) and a window's start, and it read and sorted every match of a
// common word through the GIN index, 10 to 20 ms, where the plan for the
// values walks the newest stories and stops at the window's end, 1 ms.
func planned(args []any) []any {
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// hasPhrase reports whether a query holds a phrase of several words.
func hasPhrase(phrases []content.Phrase) bool {
	for _, p := range phrases {
		if len(p.Words) > 1 {
			return true
		}
	}
	return false
}

// scanHits runs a query of (id, published_at, relevance) rows and returns
// them as hits whose rank is the relevance.
func scanHits(ctx context.Context, q querier, query string, args []any) ([]searchHit, error) {
	rows, err := q.Query(ctx, query, planned(args)...)
	if err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	defer rows.Close()
	var hits []searchHit
	for rows.Next() {
		var h searchHit
		if err := rows.Scan(&h.id, &h.publishedAt, &h.rank); err != nil {
			return nil, fmt.Errorf("search articles: %w", mapErr(err))
		}
		h.publishedAt = h.publishedAt.UTC()
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	return hits, nil
}

// search returns the published stories matching f.Query (and f's other
// fields), in search order (searchPage), each with its rank and snippet.
func (db *DB) search(ctx context.Context, q querier, f content.ArticleFilter) ([]*content.Article, error) {
	hits, phrases, err := db.searchPage(ctx, q, f)
	if err != nil || len(hits) == 0 {
		return []*content.Article{}, err
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	loaded, err := db.articles(ctx, q, content.ArticleFilter{IDs: ids, Statuses: []content.Status{content.StatusPublished}, Full: f.Full, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*content.Article, len(loaded))
	for _, a := range loaded {
		byID[a.ID] = a
	}
	snips, err := db.snippets(ctx, q, phrases, ids)
	if err != nil {
		return nil, err
	}
	as := make([]*content.Article, 0, len(hits))
	for _, h := range hits {
		if a := byID[h.id]; a != nil { // withdrawn between the two reads: left out
			a.Match = &content.Match{Rank: h.rank, Snippet: snips[h.id]}
			as = append(as, a)
		}
	}
	return as, nil
}

// searchHits is search for the delivery API's pages: each hit's id,
// publication time, rank and snippet, and nothing else of the story.
func (db *DB) searchHits(ctx context.Context, q querier, f content.ArticleFilter) ([]content.Blob, error) {
	hits, phrases, err := db.searchPage(ctx, q, f)
	if err != nil || len(hits) == 0 {
		return []content.Blob{}, err
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	snips, err := db.snippets(ctx, q, phrases, ids)
	if err != nil {
		return nil, err
	}
	out := make([]content.Blob, len(hits))
	for i, h := range hits {
		out[i] = content.Blob{ID: h.id, PublishedAt: h.publishedAt, Match: &content.Match{Rank: h.rank, Snippet: snips[h.id]}}
	}
	return out, nil
}

// snippets returns the snippet of each story of ids for the query phrases,
// made as content/sqlite makes them (textsearch.Analyzer.Snippet, with the
// newsroom language's stemmer): the passage of the headline, standfirst or
// body that shows the most phrases, the matched words in <mark>. The
// headline and standfirst are tried first; a story's body is read only
// when they do not show every phrase. (PostgreSQL's ts_headline parses the
// whole text of every hit and took most of a search's time.)
func (db *DB) snippets(ctx context.Context, q querier, parsed []content.Phrase, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var phrases []textsearch.Phrase
	for _, p := range parsed {
		if ph, ok := db.analyzer.Phrase(p.Words, p.Prefix); ok {
			phrases = append(phrases, ph)
		}
	}
	rows, err := q.Query(ctx, "SELECT id, headline, standfirst FROM articles WHERE id = ANY($1)", ids)
	if err != nil {
		return nil, fmt.Errorf("search snippets: %w", mapErr(err))
	}
	type lead struct{ headline, standfirst string }
	leads := map[string]lead{}
	var bodies []string
	for rows.Next() {
		var id string
		var l lead
		if err := rows.Scan(&id, &l.headline, &l.standfirst); err != nil {
			rows.Close()
			return nil, fmt.Errorf("search snippets: %w", mapErr(err))
		}
		snip, all := db.analyzer.SnippetOf([]string{l.headline, l.standfirst}, phrases, snippetWords)
		out[id] = snip
		if !all {
			leads[id] = l
			bodies = append(bodies, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search snippets: %w", mapErr(err))
	}
	if len(bodies) == 0 {
		return out, nil
	}
	rows, err = q.Query(ctx, "SELECT id, body_text FROM articles WHERE id = ANY($1)", bodies)
	if err != nil {
		return nil, fmt.Errorf("search snippets: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id, body string
		if err := rows.Scan(&id, &body); err != nil {
			return nil, fmt.Errorf("search snippets: %w", mapErr(err))
		}
		l := leads[id]
		out[id] = db.analyzer.Snippet([]string{l.headline, l.standfirst, body}, phrases, snippetWords)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search snippets: %w", mapErr(err))
	}
	return out, nil
}
