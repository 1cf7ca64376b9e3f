package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"dateline/content/textsearch"
)

// The search index (migrations 0017 and 0025): article_search indexes, per
// published story, the terms textsearch makes of its headline, standfirst
// and plain body text; article_search_docs maps its docids to stories and
// keeps each one's published_at and whether its terms are in the index;
// search_index names the analyzer the terms are made with and whether the
// index is built. The index keeps no copy of the terms: it reads them, to
// remove a story, from the view article_search_terms, which makes them
// again with dateline_terms (searchTerms); triggers on articles remove a
// story before a write changes what the view would make of it.
//
// A story's docid follows its publication time: the seconds since 1900 of
// its published_at times docidSlots, plus a slot within that second. The
// index keeps doclists newest first, so a search reading them in docid
// order reads the newest matches first (searchPage stops when it has
// enough), and a range of docids is a range of time.
const (
	docidSlots   = 1024
	docidEpoch   = 2208988800 // seconds from 1900 to 1970
	docidBits    = 43         // docids stay below 1 << docidBits until about 2200
	searchSchema = `CREATE VIRTUAL TABLE article_search USING fts4 (headline, standfirst, body,
		content="article_search_terms", tokenize=simple, order=DESC)`
)

// docidBase is the first docid of the second of t.
func docidBase(t time.Time) int64 {
	return max(0, t.Unix()+docidEpoch) * docidSlots
}

// analyzers keeps one Analyzer per ID: an analyzer is a pure function of its
// language (its stem memo only makes it faster), and keeping it keeps the
// memo warm across transactions.
var analyzers sync.Map

// analyzerFor returns the analyzer whose ID is id ("" and unknown IDs give
// the default language's).
func analyzerFor(id string) *textsearch.Analyzer {
	if a, ok := analyzers.Load(id); ok {
		return a.(*textsearch.Analyzer)
	}
	lang, _, _ := strings.Cut(id, ".")
	a, _ := analyzers.LoadOrStore(id, textsearch.New(lang))
	return a.(*textsearch.Analyzer)
}

// searchTerms is the SQL function dateline_terms(analyzer, text): the
// terms the analyzer with that ID makes of text (TEXT, or a packed BLOB:
// packed.go), as the index holds them. Every connection has it
// (registerFunctions).
func searchTerms(analyzer string, text any) (string, error) {
	t, err := unpackText(text)
	if err != nil {
		return "", err
	}
	return string(analyzerFor(analyzer).AppendTerms(nil, t)), nil
}

// indexAnalyzer returns the analyzer the index in q is built with.
func indexAnalyzer(ctx context.Context, q querier) (*textsearch.Analyzer, error) {
	var id string
	if err := q.QueryRowContext(ctx, `SELECT analyzer FROM search_index WHERE id = 1`).Scan(&id); err != nil {
		return nil, fmt.Errorf("read search analyzer: %w", mapErr(err))
	}
	return analyzerFor(id), nil
}

// syncSearch makes the search index agree with article id as tx sees it:
// a published, not deleted story is indexed with its current text, any
// other is not. Every write transaction that changes a story's text,
// status or deletion calls it (after the change: the triggers of migration
// 0025 have taken the story's old terms out of the index by then). A story
// that stays published keeps its docid while its published_at stays in
// the same second, so that its place among a search's candidates does not
// move.
func syncSearch(ctx context.Context, tx *sql.Tx, id string) error {
	var (
		old                  int64
		indexed              bool
		publishedAt          string
		headline, standfirst string
		body                 any
	)
	err := tx.QueryRowContext(ctx, `SELECT docid, indexed FROM article_search_docs WHERE article_id = ?`, id).Scan(&old, &indexed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		old = -1
	case err != nil:
		return fmt.Errorf("unindex article %s: %w", id, mapErr(err))
	case indexed:
		// The view makes the terms the story was indexed with: its text
		// has not changed since (the triggers would have taken them out).
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_search WHERE docid = ?`, old); err != nil {
			return fmt.Errorf("unindex article %s: %w", id, mapErr(err))
		}
	}
	err = tx.QueryRowContext(ctx, `SELECT a.published_at, a.headline, a.standfirst, a.body_text
		FROM articles a WHERE a.id = ? AND a.published_at IS NOT NULL AND `+public("a"), id).Scan(&publishedAt, &headline, &standfirst, &body)
	if errors.Is(err, sql.ErrNoRows) {
		if old >= 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM article_search_docs WHERE docid = ?`, old); err != nil {
				return fmt.Errorf("unindex article %s: %w", id, mapErr(err))
			}
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("index article %s: %w", id, mapErr(err))
	}
	at, err := parseTime(publishedAt)
	if err != nil {
		return err
	}
	docid := old
	if old < 0 || old/docidSlots != docidBase(at)/docidSlots {
		if old >= 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM article_search_docs WHERE docid = ?`, old); err != nil {
				return fmt.Errorf("unindex article %s: %w", id, mapErr(err))
			}
		}
		if docid, err = freeDocid(ctx, tx, at); err != nil {
			return fmt.Errorf("index article %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_search_docs (docid, article_id, published_at) VALUES (?, ?, ?)`,
			docid, id, publishedAt); err != nil {
			return fmt.Errorf("index article %s: %w", id, mapErr(err))
		}
	} else if _, err := tx.ExecContext(ctx, `UPDATE article_search_docs SET published_at = ?, indexed = 1 WHERE docid = ?`, publishedAt, docid); err != nil {
		return fmt.Errorf("index article %s: %w", id, mapErr(err))
	}
	a, err := indexAnalyzer(ctx, tx)
	if err != nil {
		return err
	}
	text, err := unpackText(body)
	if err != nil {
		return fmt.Errorf("index article %s: body_text: %w", id, err)
	}
	var buf indexBuffer
	if err := buf.insert(ctx, tx, a, docid, headline, standfirst, text); err != nil {
		return fmt.Errorf("index article %s: %w", id, err)
	}
	return nil
}

// freeDocid returns an unused docid in the second of t, or past every
// docid when all of that second's slots are taken.
func freeDocid(ctx context.Context, tx *sql.Tx, t time.Time) (int64, error) {
	base := docidBase(t)
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(docid) FROM article_search_docs WHERE docid BETWEEN ? AND ?`,
		base, base+docidSlots-1).Scan(&last); err != nil {
		return 0, mapErr(err)
	}
	switch {
	case !last.Valid:
		return base, nil
	case last.Int64 < base+docidSlots-1:
		return last.Int64 + 1, nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT max(docid) + 1 FROM article_search_docs`).Scan(&last); err != nil {
		return 0, mapErr(err)
	}
	return last.Int64, nil
}

// indexBuffer holds the term text of one story while it is inserted; a
// rebuild reuses one for every story.
type indexBuffer struct{ h, s, b []byte }

func (ib *indexBuffer) insert(ctx context.Context, tx *sql.Tx, a *textsearch.Analyzer, docid int64, headline, standfirst, body string) error {
	ib.h = a.AppendTerms(ib.h[:0], headline)
	ib.s = a.AppendTerms(ib.s[:0], standfirst)
	ib.b = a.AppendTerms(ib.b[:0], body)
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_search (docid, headline, standfirst, body) VALUES (?, ?, ?, ?)`,
		docid, string(ib.h), string(ib.s), string(ib.b)); err != nil {
		return mapErr(err)
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

// rebuildBatch is how many stories one transaction of a rebuild indexes.
const rebuildBatch = 1000

// ensureSearch rebuilds the search index when it was built with another
// analyzer than language's (or not at all: migrations 0017 and 0025 leave
// it unbuilt): the index is emptied and its analyzer recorded, every
// published story indexed again in transactions of rebuildBatch stories,
// oldest first, the index merged into one segment, and marked built last,
// so that a rebuild cut short starts again at the next Open. It reports
// whether it rebuilt. Searches analyze queries with db.analyzer from then
// on.
func (db *DB) ensureSearch(ctx context.Context, language string) (bool, error) {
	want := textsearch.New(language)
	var (
		have  string
		built bool
	)
	if err := db.w.QueryRowContext(ctx, `SELECT analyzer, built FROM search_index WHERE id = 1`).Scan(&have, &built); err != nil {
		return false, fmt.Errorf("read search analyzer: %w", mapErr(err))
	}
	a := analyzerFor(want.ID())
	db.analyzer = a
	if have == want.ID() && built {
		return false, nil
	}
	// The rebuild runs in Open, before this process serves; its writes
	// append no event (readers' stories do not change). The analyzer is
	// recorded first: the view the index reads terms from makes them with
	// it (migration 0025).
	err := db.withTx(ctx, func(tx *wtx) error {
		for _, q := range []string{`DROP TABLE article_search`, `DELETE FROM article_search_docs`, searchSchema,
			`INSERT INTO article_search (article_search) VALUES ('automerge=2')`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("empty search index: %w", mapErr(err))
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE search_index SET analyzer = ?, built = 0 WHERE id = 1`, want.ID()); err != nil {
			return fmt.Errorf("record search analyzer: %w", mapErr(err))
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	var afterAt, afterID string
	for {
		n := 0
		err := db.withTx(ctx, func(tx *wtx) error {
			rows, err := tx.QueryContext(ctx, `SELECT a.id, a.published_at, a.headline, a.standfirst, a.body_text
				FROM articles a WHERE `+public("a")+` AND a.published_at IS NOT NULL AND (a.published_at, a.id) > (?, ?)
				ORDER BY a.published_at, a.id LIMIT ?`, afterAt, afterID, rebuildBatch)
			if err != nil {
				return fmt.Errorf("rebuild search index: %w", mapErr(err))
			}
			type story struct{ id, at, h, s, b string }
			var batch []story
			for rows.Next() {
				var (
					s    story
					body any
				)
				if err := rows.Scan(&s.id, &s.at, &s.h, &s.s, &body); err != nil {
					rows.Close()
					return fmt.Errorf("rebuild search index: %w", err)
				}
				if s.b, err = unpackText(body); err != nil {
					rows.Close()
					return fmt.Errorf("rebuild search index: article %s: body_text: %w", s.id, err)
				}
				batch = append(batch, s)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("rebuild search index: %w", mapErr(err))
			}
			var buf indexBuffer
			for _, s := range batch {
				at, err := parseTime(s.at)
				if err != nil {
					return err
				}
				docid, err := freeDocid(ctx, tx.Tx, at)
				if err != nil {
					return fmt.Errorf("rebuild search index: %w", err)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO article_search_docs (docid, article_id, published_at) VALUES (?, ?, ?)`,
					docid, s.id, s.at); err != nil {
					return fmt.Errorf("rebuild search index: %w", mapErr(err))
				}
				if err := buf.insert(ctx, tx.Tx, a, docid, s.h, s.s, s.b); err != nil {
					return fmt.Errorf("rebuild search index: %w", err)
				}
			}
			if n = len(batch); n > 0 {
				afterAt, afterID = batch[n-1].at, batch[n-1].id
			}
			return nil
		})
		if err != nil {
			return false, err
		}
		if n < rebuildBatch {
			break
		}
	}
	err = db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_search (article_search) VALUES ('optimize')`); err != nil {
			return fmt.Errorf("merge search index: %w", mapErr(err))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE search_index SET built = 1 WHERE id = 1`); err != nil {
			return fmt.Errorf("record search analyzer: %w", mapErr(err))
		}
		return nil
	})
	return err == nil, err
}
