package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"dateline/content"
)

// Snapshot is a consistent, read-only view of a Dateline database file,
// for moving a newsroom to another store (content/storecopy): the rows of
// every table as they stand at one instant, with the values this package
// packs (packed.go, packed_story.go) given back as they were before
// packing. It never writes the file, nor migrates it.
//
// A Snapshot is one read transaction on one connection: its methods are
// not for concurrent use, and writers that commit meanwhile (none should:
// stop the server first) are not seen.
type Snapshot struct {
	d      *sql.DB
	tx     *sql.Tx
	path   string
	tables []string
}

// OpenSnapshot opens the Dateline database at path read-only and starts
// the read transaction its reads share. The database must be at this
// binary's schema version: an older one is refused with EINVALID saying
// to migrate it first, a newer one as BackupFile refuses it, a missing
// file with ENOTFOUND.
func OpenSnapshot(ctx context.Context, path string) (*Snapshot, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, content.Errorf(content.ENOTFOUND, "%s does not exist", path)
	}
	if err := checkMagic(path); err != nil {
		return nil, err
	}
	d, err := openReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := checkDatelineSchema(ctx, d, path); err != nil {
		d.Close()
		return nil, err
	}
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("read %s: %w", path, mapErr(err))
	}
	s := &Snapshot{d: d, tx: tx, path: path}
	var v int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: read schema version: %w", path, mapErr(err))
	}
	if latest := LatestSchema(); v < latest {
		s.Close()
		return nil, content.Errorf(content.EINVALID, "%s has schema version %d, older than this Dateline's %d: run \"dateline migrate\" on it first", path, v, latest)
	}
	rows, err := tx.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: list tables: %w", path, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			s.Close()
			return nil, fmt.Errorf("%s: list tables: %w", path, err)
		}
		s.tables = append(s.tables, name)
	}
	if err := rows.Err(); err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: list tables: %w", path, mapErr(err))
	}
	return s, nil
}

// Close ends the read transaction and closes the file.
func (s *Snapshot) Close() error {
	s.tx.Rollback()
	return s.d.Close()
}

// Path is the database file's path.
func (s *Snapshot) Path() string { return s.path }

// Tables returns the names of every table of the database (virtual tables
// and their shadow tables included), sorted.
func (s *Snapshot) Tables() []string { return slices.Clone(s.tables) }

// Rows calls fn with every row of table, in no particular order: cols
// are the table's column names and vals the row's values as database/sql
// gives them (nil, int64, float64, string, []byte), except
// for the columns this package stores packed, which are given as written
// before packing: a story's body, body_html and body_text as strings, its
// pages as a JSON array of the pages' HTML (a string), revisions' and
// working copies' states as JSON strings, the stored public JSON of a
// story and of its list item, and a preview's document, as bytes. fn must
// not keep vals beyond its call. table must be one Tables returns.
func (s *Snapshot) Rows(ctx context.Context, table string, fn func(cols []string, vals []any) error) error {
	if !slices.Contains(s.tables, table) {
		return content.Errorf(content.EINVALID, "%s has no table %q", s.path, table)
	}
	rows, err := s.tx.QueryContext(ctx, `SELECT * FROM "`+table+`"`) // a name the database gave, checked above
	if err != nil {
		return fmt.Errorf("read table %s: %w", table, mapErr(err))
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("read table %s: %w", table, err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read table %s: %w", table, err)
		}
		if err := unpackRow(table, cols, vals); err != nil {
			return fmt.Errorf("read table %s: %w", table, err)
		}
		if err := fn(cols, vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read table %s: %w", table, mapErr(err))
	}
	return nil
}

// Sequence returns the largest id SQLite has handed out for the
// AUTOINCREMENT key of table (the outbox's events: ids are never reused,
// also after the rows are gone), or 0.
func (s *Snapshot) Sequence(ctx context.Context, table string) (int64, error) {
	var n int64
	err := s.tx.QueryRowContext(ctx, "SELECT seq FROM sqlite_sequence WHERE name = ?", table).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the sequence of %s: %w", table, mapErr(err))
	}
	return n, nil
}

// unpackRow replaces, in place, the packed values of a row of table by
// what they were before packing (see Rows).
func unpackRow(table string, cols []string, vals []any) error {
	at := func(name string) int { return slices.Index(cols, name) }
	switch table {
	case "articles":
		for _, c := range []string{"body", "body_html", "body_text"} {
			if i := at(c); i >= 0 {
				s, err := unpackText(vals[i])
				if err != nil {
					return fmt.Errorf("%s: %w", c, err)
				}
				vals[i] = s
			}
		}
		if p, h := at("pages"), at("body_html"); p >= 0 && h >= 0 {
			stored, _ := vals[p].(string)
			if b, ok := vals[p].([]byte); ok {
				stored = string(b)
			}
			pages, err := decodePages(vals[h].(string), stored)
			if err != nil {
				return err
			}
			if pages == nil {
				pages = []string{}
			}
			b, err := json.Marshal(pages)
			if err != nil {
				return fmt.Errorf("pages: %w", err)
			}
			vals[p] = string(b)
		}
	case "revisions", "working_copies":
		if i := at("state"); i >= 0 {
			b, err := unpack(bytesOf(vals[i]))
			if err != nil {
				return fmt.Errorf("state: %w", err)
			}
			vals[i] = string(b)
		}
	case "article_public":
		if i := at("public_json"); i >= 0 {
			b, err := unpackStory(bytesOf(vals[i]))
			if err != nil {
				return fmt.Errorf("public_json: %w", err)
			}
			vals[i] = b
		}
	case "article_public_items":
		if i := at("summary_json"); i >= 0 {
			b, err := unpack(bytesOf(vals[i]))
			if err != nil {
				return fmt.Errorf("summary_json: %w", err)
			}
			vals[i] = b
		}
	case "preview_grants":
		if i := at("document"); i >= 0 {
			b, err := unpack(bytesOf(vals[i]))
			if err != nil {
				return fmt.Errorf("document: %w", err)
			}
			vals[i] = b
		}
	}
	return nil
}

// bytesOf is a TEXT or BLOB value as bytes (nil for NULL).
func bytesOf(v any) []byte {
	switch v := v.(type) {
	case string:
		return []byte(v)
	case []byte:
		return v
	}
	return nil
}

// Columns returns the column names of table, in their order. table must
// be one Tables returns.
func (s *Snapshot) Columns(ctx context.Context, table string) ([]string, error) {
	if !slices.Contains(s.tables, table) {
		return nil, content.Errorf(content.EINVALID, "%s has no table %q", s.path, table)
	}
	rows, err := s.tx.QueryContext(ctx, `SELECT * FROM "`+table+`" LIMIT 0`) // a name the database gave, checked above
	if err != nil {
		return nil, fmt.Errorf("read table %s: %w", table, mapErr(err))
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("read table %s: %w", table, err)
	}
	return cols, nil
}
