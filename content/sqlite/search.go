package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"html"
	"strings"

	"github.com/mattn/go-sqlite3"

	"dateline/content"
)

// driverName is the database/sql driver Open uses: mattn/go-sqlite3 with
// the functions Dateline's SQL calls registered on every new connection.
const driverName = "sqlite3_dateline"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			return c.RegisterFunc("dateline_rank", searchRank, true)
		},
	})
}

// Search ranking: FTS4 has no bm25, so dateline_rank(matchinfo(t, 'pcx'))
// scores a hit from the hit counts of each phrase in each column of the row
// alone: column weight × hits, with hits capped per column. Global
// statistics are left out on purpose: a story's rank then depends only on
// its own text and the query, so the keyset (rank, published_at, id) is a
// fixed order and search pages never repeat or skip a story while others
// are published. The weights make any headline hit of a phrase outrank any
// hits of it elsewhere (60 > 3×12 + 10×2).
var (
	rankWeights = [3]int64{60, 12, 2} // headline, standfirst, body
	rankCaps    = [3]int64{2, 3, 10}
)

// searchRank is the SQL function dateline_rank. matchinfo's 'pcy' blob is
// native-endian uint32s: phrase count, column count, then per phrase and
// column the hits in this row ('y' leaves out the whole-table statistics
// that 'x' computes and the rank does not use).
func searchRank(mi []byte) int64 {
	if len(mi) < 8 {
		return 0
	}
	at := func(i int) int64 { return int64(binary.NativeEndian.Uint32(mi[4*i:])) }
	phrases, cols := int(at(0)), int(at(1))
	if len(mi) < 4*(2+phrases*cols) {
		return 0
	}
	var score int64
	for p := range phrases {
		for c := 0; c < cols && c < len(rankWeights); c++ {
			score += rankWeights[c] * min(at(2+c+p*cols), rankCaps[c])
		}
	}
	return score
}

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
		SELECT id FROM articles WHERE id = ? AND status = 'published' AND deleted_at IS NULL`, id); err != nil {
		return fmt.Errorf("index article %s: %w", id, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE article_search_docs
		SET published_at = (SELECT published_at FROM articles WHERE id = ?) WHERE article_id = ?`, id, id); err != nil {
		return fmt.Errorf("index article %s: %w", id, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_search (docid, headline, standfirst, body)
		SELECT d.docid, `+markerFree("a.headline")+`, `+markerFree("a.standfirst")+`, `+markerFree("a.body_text")+`
		FROM articles a JOIN article_search_docs d ON d.article_id = a.id
		WHERE a.id = ? AND a.status = 'published' AND a.deleted_at IS NULL`, id); err != nil {
		return fmt.Errorf("index article %s: %w", id, mapErr(err))
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

// search runs a full-text query (f.Query) over published stories: most
// relevant first, then newest first, keyset-paged on (rank, published_at,
// id). Each article carries its Match.
//
// It runs in two steps. The hits are ranked and paged on the index tables
// alone (article_search_docs keeps each hit's published_at), joining the
// stories only when a filter needs their columns; then the page's stories
// are loaded like any list, which checks again that each is published and
// not deleted, so a row the index holds by mistake never leaks.
func (db *DB) search(ctx context.Context, q querier, f content.ArticleFilter) ([]*content.Article, error) {
	phrases, err := content.ParseQuery(f.Query)
	if err != nil {
		return nil, err
	}
	match := ftsExpression(phrases)
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	if f.After != nil && f.After.Rank == nil {
		return nil, &content.Error{Code: content.EINVALID, Message: "invalid cursor",
			Fields: []content.FieldError{{Field: "cursor", Message: "belongs to a list that is not a search"}}}
	}
	query, args := searchQuery(f, match, limit)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	type hit struct {
		id    string
		rank  int64
		docid int64
	}
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.id, &h.rank, &h.docid); err != nil {
			rows.Close()
			return nil, fmt.Errorf("search articles: %w", mapErr(err))
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	if len(hits) == 0 {
		return []*content.Article{}, nil
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
	byDoc := map[int64]*content.Article{}
	var docids []any
	for _, h := range hits {
		a, ok := byID[h.id]
		if !ok {
			continue
		}
		a.Match = &content.Match{Rank: h.rank}
		as = append(as, a)
		byDoc[h.docid] = a
		docids = append(docids, h.docid)
	}
	if len(as) == 0 {
		return as, nil
	}
	if err := snippets(ctx, q, match, docids, byDoc); err != nil {
		return nil, err
	}
	return as, nil
}

// searchQuery builds the ranking and paging statement of a search: it
// yields (article id, rank, docid) of one page of hits in order.
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
		SELECT d.article_id, m.rank, m.docid
		FROM m JOIN article_search_docs d ON d.docid = m.docid ` + join + `
		WHERE ` + strings.Join(cond, " AND ") + `
		ORDER BY m.rank DESC, d.published_at DESC, d.article_id DESC LIMIT ?`
	return query, append(args, limit)
}

// snippets fills Match.Snippet of the hits. The docid filter is written
// +docid so that FTS evaluates the MATCH (which snippet needs) rather than
// a docid lookup.
func snippets(ctx context.Context, q querier, match string, docids []any, byDoc map[int64]*content.Article) error {
	rows, err := q.QueryContext(ctx, `SELECT docid, snippet(article_search, char(2), char(3), '…', -1, 24)
		FROM article_search WHERE article_search MATCH ? AND +docid IN (`+placeholders(len(docids))+`)`,
		append([]any{match}, docids...)...)
	if err != nil {
		return fmt.Errorf("search snippets: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var docid int64
		var s string
		if err := rows.Scan(&docid, &s); err != nil {
			return fmt.Errorf("search snippets: %w", mapErr(err))
		}
		if a := byDoc[docid]; a != nil {
			a.Match.Snippet = snippetHTML(s)
		}
	}
	return rows.Err()
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
