package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"dateline/content"
)

// checkForeign refuses, before Open changes anything (not even the journal
// mode), a file at path that exists but is not a Dateline database: a file
// that is not SQLite, or an SQLite database that holds tables but no
// Dateline schema_migrations table (version, name, applied_at). A missing
// or empty file, and an SQLite database without tables, are new databases.
// Errors are EINVALID with one-line messages.
func checkForeign(ctx context.Context, path string) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return content.Errorf(content.EINVALID, "%s is not a file", path)
	}
	if st.Size() == 0 {
		return nil
	}
	if err := checkMagic(path); err != nil {
		return err
	}
	driver, err := DriverName()
	if err != nil {
		return err
	}
	d, err := sql.Open(driver, "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	var tables int
	err = d.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Scan(&tables)
	if err != nil {
		return fmt.Errorf("%s: %w", path, notADatabase(err))
	}
	if tables == 0 {
		return nil
	}
	var cols int
	err = d.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info('schema_migrations')
		WHERE name IN ('version', 'name', 'applied_at')`).Scan(&cols)
	if err != nil {
		return fmt.Errorf("%s: %w", path, notADatabase(err))
	}
	if cols != 3 {
		return content.Errorf(content.EINVALID,
			"%s is not a Dateline database: it holds %d tables of another application and was left as it was; use another data directory",
			path, tables)
	}
	return nil
}
