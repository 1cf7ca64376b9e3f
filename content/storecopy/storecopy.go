// Package storecopy moves a newsroom from its SQLite database to an empty
// PostgreSQL database (`dateline copy`), table by table: every row keeps
// its ids, times, password hashes, secrets and versions, so users log in
// with their passwords, sessions and API keys go on working, the outbox
// keeps its event ids (the public changes feed's cursors stay valid and
// new events follow the last one copied) and scheduled stories stay
// scheduled. What PostgreSQL derives (search documents, the stored
// public JSON, identity sequences) is made from the copied rows; what
// SQLite alone keeps (its full-text index, its packed encodings) is left
// behind or unpacked.
//
// The copy checks itself before it commits, in the same transaction:
// every table's row count and a checksum of its rows on both sides, and
// the public JSON of every published story, rendered by PostgreSQL from
// the copied rows, byte for byte against the JSON SQLite stored. Anything
// that differs rolls the copy back.
package storecopy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"dateline/content/postgres"
	"dateline/content/sqlite"
)

// copied are the tables copied, in an order that satisfies their foreign
// keys. Each exists in both schemas.
var copied = []string{
	"users", "api_keys", "refresh_tokens", "one_time_tokens", "login_throttle",
	"media", "media_renditions", "rendition_jobs",
	"tags", "tag_redirects",
	"articles", "slug_redirects", "article_tags", "article_authors", "article_photos", "article_links",
	"corrections", "revisions", "working_copies", "review_notes", "preview_grants", "edit_locks",
	"import_sources",
	"events", "outbox_cursors", "webhooks", "webhook_deliveries",
}

// sourceOnly are the SQLite tables not copied, and why.
var sourceOnly = map[string]string{
	"schema_migrations":       "each store records its own migrations",
	"sqlite_sequence":         "read for the next event id",
	"content_version":         "superseded by the outbox head (SQLite migration 0018)",
	"search_index":            "SQLite's full-text index; PostgreSQL indexes the stories itself",
	"article_search_docs":     "SQLite's full-text index",
	"article_search":          "SQLite's full-text index",
	"article_search_segments": "SQLite's full-text index",
	"article_search_segdir":   "SQLite's full-text index",
	"article_search_docsize":  "SQLite's full-text index",
	"article_search_stat":     "SQLite's full-text index",
	"article_public":          "rendered again on PostgreSQL and compared",
	"article_public_items":    "rendered again on PostgreSQL and compared",
	"sqlite_stat1":            "SQLite's query planner statistics",
	"sqlite_stat4":            "SQLite's query planner statistics",
}

// targetOnly are the PostgreSQL tables not copied into, and why.
var targetOnly = map[string]string{
	"schema_migrations":    "each store records its own migrations",
	"search_config":        "set from the newsroom language when the database opens",
	"article_public":       "rendered from the copied stories",
	"article_public_items": "rendered from the copied stories",
}

// dropped are the SQLite columns of copied tables that PostgreSQL has no
// column for, and why nothing is lost; derived the PostgreSQL columns that
// are made rather than copied.
var (
	dropped = map[string]string{
		"revisions.id": "a row number; PostgreSQL keys revisions by story and version",
	}
	derived = map[string]string{
		"articles.search": "the search document, made from the copied story",
	}
)

// Tables returns the names of the tables a copy copies, in the order it
// copies them.
func Tables() []string { return slices.Clone(copied) }

// ErrNotEmpty is the error of a copy into a database that holds a
// newsroom already; ErrDiffers of a copy whose check found a difference.
var (
	ErrNotEmpty = errors.New("the PostgreSQL database is not empty")
	ErrDiffers  = errors.New("the copy differs from the source")
)

// batch is how many rows one COPY sends.
const batch = 500

// Copy copies the newsroom of src into dst, which must hold none (every
// copied table empty, as a freshly migrated database is), checks the
// copy, and commits it only if the check found nothing different. The
// report says what was copied and checked, also when err is ErrDiffers;
// with ErrNotEmpty it lists what dst holds. src is only read.
func Copy(ctx context.Context, src *sqlite.Snapshot, dst *postgres.DB) (Report, error) {
	var rep Report
	err := dst.Load(ctx, func(l *postgres.Loader) error {
		rep = Report{}
		plan, err := planTables(ctx, src, l)
		if err != nil {
			return err
		}
		if err := checkEmpty(ctx, l); err != nil {
			return err
		}
		for _, t := range plan {
			tr, err := copyTable(ctx, src, l, t)
			if err != nil {
				return err
			}
			rep.Tables = append(rep.Tables, tr)
		}
		seq, err := src.Sequence(ctx, "events")
		if err != nil {
			return err
		}
		if err := l.Derive(ctx, map[string]int64{"events": seq}); err != nil {
			return err
		}
		if rep.Events, err = checkEvents(ctx, src, l, seq); err != nil {
			return err
		}
		if rep.Public, err = checkPublic(ctx, src, l); err != nil {
			return err
		}
		if !rep.OK() {
			return ErrDiffers
		}
		return nil
	})
	return rep, err
}

// table is a table to copy: the columns both sides have, with their
// PostgreSQL types.
type table struct {
	name string
	cols []postgres.Column
}

// planTables checks that every table and column of both sides is copied
// or deliberately left out, and returns the tables to copy.
func planTables(ctx context.Context, src *sqlite.Snapshot, l *postgres.Loader) ([]table, error) {
	srcTables := src.Tables()
	dstTables, err := l.Tables(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range srcTables {
		if _, skip := sourceOnly[t]; !skip && !slices.Contains(copied, t) {
			return nil, fmt.Errorf("the SQLite table %s is neither copied nor known to be left out (content/storecopy)", t)
		}
	}
	for _, t := range dstTables {
		if _, skip := targetOnly[t]; !skip && !slices.Contains(copied, t) {
			return nil, fmt.Errorf("the PostgreSQL table %s is neither copied into nor known to be left out (content/storecopy)", t)
		}
	}
	var plan []table
	for _, name := range copied {
		if !slices.Contains(srcTables, name) {
			return nil, fmt.Errorf("the SQLite database has no table %s", name)
		}
		cols, err := l.Columns(ctx, name)
		if err != nil {
			return nil, err
		}
		srcCols, err := src.Columns(ctx, name)
		if err != nil {
			return nil, err
		}
		t := table{name: name}
		for _, c := range cols {
			switch {
			case slices.Contains(srcCols, c.Name):
				t.cols = append(t.cols, c)
			case derived[name+"."+c.Name] != "":
			default:
				return nil, fmt.Errorf("the PostgreSQL column %s.%s has no SQLite column to copy from", name, c.Name)
			}
		}
		for _, c := range srcCols {
			if dropped[name+"."+c] == "" && !slices.ContainsFunc(cols, func(p postgres.Column) bool { return p.Name == c }) {
				return nil, fmt.Errorf("the SQLite column %s.%s has no PostgreSQL column to copy into", name, c)
			}
		}
		plan = append(plan, t)
	}
	return plan, nil
}

// checkEmpty refuses a target that holds rows in any copied table.
func checkEmpty(ctx context.Context, l *postgres.Loader) error {
	var held []string
	for _, t := range copied {
		n, err := l.Count(ctx, t)
		if err != nil {
			return err
		}
		if n > 0 {
			held = append(held, fmt.Sprintf("%s (%d)", t, n))
		}
	}
	if len(held) > 0 {
		return fmt.Errorf("%w: it holds rows in %s; dateline copy fills an empty database only", ErrNotEmpty, strings.Join(held, ", "))
	}
	return nil
}

// copyTable copies the rows of t and checks them: the rows read back from
// PostgreSQL must be those sent, by count and checksum.
func copyTable(ctx context.Context, src *sqlite.Snapshot, l *postgres.Loader, t table) (TableReport, error) {
	tr := TableReport{Name: t.name}
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.Name
	}
	var sum checksum
	var rows [][]any
	flush := func() error {
		err := l.Insert(ctx, t.name, names, rows)
		rows = rows[:0]
		return err
	}
	err := src.Rows(ctx, t.name, func(cols []string, vals []any) error {
		row := make([]any, len(t.cols))
		for i, c := range t.cols {
			j := slices.Index(cols, c.Name)
			v, err := convert(vals[j], c.Type)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", t.name, c.Name, err)
			}
			row[i] = v
		}
		sum.add(row, t.cols)
		tr.Source++
		if rows = append(rows, row); len(rows) == batch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return tr, err
	}
	if err := flush(); err != nil {
		return tr, err
	}
	var back checksum
	if err := l.Rows(ctx, t.name, t.cols, func(vals []any) error {
		back.add(vals, t.cols)
		tr.Target++
		return nil
	}); err != nil {
		return tr, err
	}
	tr.SourceSum, tr.TargetSum = sum.String(), back.String()
	return tr, nil
}
