package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"dateline/content"
)

// BackupFile writes a consistent copy of the Dateline database at src to
// the new file dest, as DB.Backup does, and returns the copy's schema
// version. It only reads src: it opens it read-only, never migrates or
// writes it, and needs no write access to its directory, so it copies a
// database on a read-only mount or in a directory the backup's user may
// only read. A database in WAL mode needs its -shm file to be read while
// others may write; where that file cannot be made (a read-only directory
// without one), no other process can be writing, and the file is read as
// immutable. src must be a Dateline database not newer than this binary;
// otherwise the error is EINVALID (ENOTFOUND for a missing file) and dest
// is not created.
func BackupFile(ctx context.Context, src, dest string) (int, error) {
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return 0, content.Errorf(content.ENOTFOUND, "%s does not exist", src)
	}
	if err := checkMagic(src); err != nil {
		return 0, err
	}
	d, err := openReadOnly(ctx, src)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	if err := checkDatelineSchema(ctx, d, src); err != nil {
		return 0, err
	}
	f, err := os.OpenFile(dest, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if err := copyDB(ctx, d, dest); err != nil {
		os.Remove(dest)
		os.Remove(dest + "-journal")
		return 0, fmt.Errorf("backup to %s: %w", dest, err)
	}
	v, err := Verify(ctx, dest)
	if err != nil {
		os.Remove(dest)
		return 0, fmt.Errorf("backup to %s: %w", dest, err)
	}
	return v, nil
}

// openReadOnly opens the database at path for reading only (one
// connection) and checks that it can be read. If it cannot (a WAL database
// whose -shm file cannot be created), the directory is not writable and
// there is no -wal file beside it, no writer can be at work (a writer needs
// to create that file), and it opens the file as immutable.
func openReadOnly(ctx context.Context, path string) (*sql.DB, error) {
	open := func(extra url.Values) (*sql.DB, error) {
		q := url.Values{}
		q.Set("mode", "ro")
		q.Set("_query_only", "1")
		q.Set("_busy_timeout", strconv.Itoa(5000))
		for k, v := range extra {
			q[k] = v
		}
		driver, err := DriverName()
		if err != nil {
			return nil, err
		}
		d, err := sql.Open(driver, "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, err
		}
		d.SetMaxOpenConns(1)
		var n int
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master").Scan(&n); err != nil {
			d.Close()
			return nil, err
		}
		return d, nil
	}
	d, err := open(nil)
	if err == nil {
		return d, nil
	}
	if _, werr := os.Stat(path + "-wal"); !errors.Is(werr, fs.ErrNotExist) || dirWritable(filepath.Dir(path)) {
		return nil, fmt.Errorf("open %s read-only: %w", path, notADatabase(err))
	}
	d, ierr := open(url.Values{"immutable": {"1"}})
	if ierr != nil {
		return nil, fmt.Errorf("open %s read-only: %w", path, notADatabase(errors.Join(err, ierr)))
	}
	return d, nil
}

// checkDatelineSchema refuses a database without a Dateline schema or with
// one newer than this binary.
func checkDatelineSchema(ctx context.Context, d *sql.DB, path string) error {
	var n int
	err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'articles')").Scan(&n)
	if err != nil {
		return fmt.Errorf("%s: %w", path, notADatabase(err))
	}
	if n != 2 {
		return content.Errorf(content.EINVALID, "%s is not a Dateline database", path)
	}
	var v int
	if err := d.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return fmt.Errorf("%s: read schema version: %w", path, err)
	}
	return checkNotNewer(v, LatestSchema())
}
