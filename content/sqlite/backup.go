package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/mattn/go-sqlite3"

	"dateline/content"
)

// Backup writes a consistent copy of the database to the new file dest
// while the server goes on reading and writing, then checks the copy with
// PRAGMA integrity_check. The copy is a snapshot of the last committed
// transaction when the copy started (SQLite's online backup API, all pages
// in one step under one read transaction; in WAL mode writers are not
// blocked meanwhile). dest must not exist; on any error it is removed.
// The copy uses a rollback journal, so the one file is the whole database.
func (db *DB) Backup(ctx context.Context, dest string) (err error) {
	f, err := os.OpenFile(dest, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(dest)
			os.Remove(dest + "-journal")
		}
	}()
	if err := db.copyTo(ctx, dest); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if _, err := Verify(ctx, dest); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return nil
}

// copyTo runs the online backup from a read connection into dest.
func (db *DB) copyTo(ctx context.Context, dest string) error {
	return copyDB(ctx, db.r, dest)
}

// copyDB runs the online backup from a connection of src into dest.
func copyDB(ctx context.Context, src *sql.DB, dest string) error {
	driver, err := DriverName()
	if err != nil {
		return err
	}
	d, err := sql.Open(driver, "file:"+dest+"?mode=rw&_busy_timeout=5000")
	if err != nil {
		return err
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	dc, err := d.Conn(ctx)
	if err != nil {
		return err
	}
	defer dc.Close()
	sc, err := src.Conn(ctx)
	if err != nil {
		return mapErr(err)
	}
	defer sc.Close()
	err = dc.Raw(func(dst any) error {
		return sc.Raw(func(src any) error {
			to, ok1 := dst.(*sqlite3.SQLiteConn)
			from, ok2 := src.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("not a go-sqlite3 connection")
			}
			bk, err := to.Backup("main", from, "main")
			if err != nil {
				return err
			}
			done, err := bk.Step(-1)
			if ferr := bk.Finish(); err == nil {
				err = ferr
			}
			if err == nil && !done {
				err = errors.New("backup ended before the last page")
			}
			return err
		})
	})
	if err != nil {
		return mapErr(err)
	}
	// The pages carry the source's WAL flag; make the copy one
	// self-contained file.
	var mode string
	if err := dc.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil {
		return err
	}
	return nil
}

// sqliteMagic starts every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Verify checks the database file at path without changing it: it exists,
// is an SQLite database, passes PRAGMA integrity_check, holds a Dateline
// schema, and that schema is not newer than this binary. It returns the
// schema version. Errors are content errors (ENOTFOUND for a missing file,
// EINVALID for the rest) with one-line messages.
func Verify(ctx context.Context, path string) (int, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, content.Errorf(content.ENOTFOUND, "%s does not exist", path)
	}
	if err != nil {
		return 0, err
	}
	if !st.Mode().IsRegular() {
		return 0, content.Errorf(content.EINVALID, "%s is not a file", path)
	}
	if err := checkMagic(path); err != nil {
		return 0, err
	}
	// The integrity check reads the search index's terms through the
	// schema's SQL functions.
	driver, err := DriverName()
	if err != nil {
		return 0, err
	}
	d, err := sql.Open(driver, "file:"+path+"?mode=rw&_busy_timeout=5000")
	if err != nil {
		return 0, err
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	if err := integrityCheck(ctx, d); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	var n int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'articles')").Scan(&n); err != nil {
		return 0, fmt.Errorf("%s: %w", path, notADatabase(err))
	}
	if n != 2 {
		return 0, content.Errorf(content.EINVALID, "%s is not a Dateline database", path)
	}
	var v int
	if err := d.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("%s: read schema version: %w", path, err)
	}
	if err := checkNotNewer(v, LatestSchema()); err != nil {
		return 0, err
	}
	return v, nil
}

// IntegrityCheck runs PRAGMA integrity_check on the open database and
// returns an EINVALID error with SQLite's first complaint if it fails.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	return integrityCheck(ctx, db.r)
}

func integrityCheck(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) error {
	rows, err := q.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return notADatabase(err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return notADatabase(err)
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return notADatabase(err)
	}
	if len(msgs) != 1 || msgs[0] != "ok" {
		first := "no result"
		if len(msgs) > 0 {
			first = msgs[0]
		}
		return content.Errorf(content.EINVALID, "integrity check failed: %s (%d problems)", strings.ReplaceAll(first, "\n", " "), len(msgs))
	}
	return nil
}

// checkMagic refuses a file that does not start like an SQLite database.
func checkMagic(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteMagic) {
		return content.Errorf(content.EINVALID, "%s is not a Dateline database (not an SQLite file)", path)
	}
	return nil
}

// notADatabase turns SQLite's "file is not a database" and corruption
// errors into EINVALID; other errors pass through mapErr.
func notADatabase(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt) {
		return fmt.Errorf("%w: %w", content.Errorf(content.EINVALID, "not a Dateline database or damaged"), err)
	}
	return mapErr(err)
}

// Stats returns the connection pool statistics of the writer (one
// connection) and the read pool, for metrics.
func (db *DB) Stats() (writer, reader sql.DBStats) {
	return db.w.Stats(), db.r.Stats()
}

// Pools returns the statistics of the store's connection pools, for
// metrics: the writer (one connection) and the read pool.
func (db *DB) Pools() []content.PoolStats {
	w, r := db.Stats()
	pool := func(name string, s sql.DBStats) content.PoolStats {
		return content.PoolStats{Name: name, Open: s.OpenConnections, InUse: s.InUse, Idle: s.Idle,
			MaxOpen: s.MaxOpenConnections, Waits: s.WaitCount, Waited: s.WaitDuration}
	}
	return []content.PoolStats{pool("writer", w), pool("reader", r)}
}
