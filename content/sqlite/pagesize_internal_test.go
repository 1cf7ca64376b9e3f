package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestANewDatabaseHasLargePagesAndAnOldOneKeepsItsOwn checks the page size
// of the files Open creates (pageSize), and that Open leaves an existing
// file's page size as it is.
func TestANewDatabaseHasLargePagesAndAnOldOneKeepsItsOwn(t *testing.T) {
	ctx := context.Background()
	size := func(db *DB) int {
		var n int
		if err := db.r.QueryRowContext(ctx, "PRAGMA page_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := size(db); got != pageSize {
		t.Errorf("a new database has pages of %d bytes, want %d", got, pageSize)
	}
	var mode string
	if err := db.r.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q, %v", mode, err)
	}
	db.Close()

	old := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open(driverName, "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if db, err = Open(ctx, old, Options{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := size(db); got != 4096 {
		t.Errorf("an existing database has pages of %d bytes after Open, want its own 4096", got)
	}
}
