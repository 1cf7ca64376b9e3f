package sqlite

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"dateline/content"
)

// withEmbedded returns a migration set made of the embedded migrations
// plus extra files.
func withEmbedded(t *testing.T, extra fstest.MapFS) fstest.MapFS {
	t.Helper()
	set := fstest.MapFS{}
	err := fs.WalkDir(embeddedMigrations(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(embeddedMigrations(), p)
		set[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		set[k] = v
	}
	return set
}

func TestAFailedMigrationLeavesThePreviousSchemaIntact(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "d.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	next := LatestSchema() + 1
	broken := withEmbedded(t, fstest.MapFS{
		// The first statement succeeds, the second fails: the whole
		// migration must roll back.
		fmt.Sprintf("%04d_broken.sql", next): {Data: []byte(
			"CREATE TABLE half_done (id INTEGER PRIMARY KEY);\nALTER TABLE articles ADD COLUMN extra TEXT;\nINSERT INTO no_such_table VALUES (1);\n")},
	})
	err = db.migrate(ctx, broken)
	if err == nil || !strings.Contains(err.Error(), "_broken.sql") {
		t.Fatalf("migrate = %v, want an error naming the broken migration", err)
	}
	after, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("schema version moved from %d to %d", before, after)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the failed migration's table exists (n=%d, err=%v)", n, err)
	}
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM pragma_table_info('articles') WHERE name = 'extra'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the failed migration's column exists (n=%d, err=%v)", n, err)
	}
	if _, err := db.CreateArticle(ctx, content.Edit{Headline: "Still saving"}, ""); err != nil {
		t.Errorf("the store no longer works after the failed migration: %v", err)
	}

	fixed := withEmbedded(t, fstest.MapFS{
		fmt.Sprintf("%04d_fixed.sql", next): {Data: []byte("CREATE TABLE half_done (id INTEGER PRIMARY KEY);\n")},
	})
	if err := db.migrate(ctx, fixed); err != nil {
		t.Fatalf("a good migration after the failed one: %v", err)
	}
	if v, _ := db.SchemaVersion(ctx); v != next {
		t.Errorf("schema version %d, want %d", v, next)
	}
}

func TestAMigrationNumberedBelowTheNewestAppliedStillRuns(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "d.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	base := LatestSchema()
	// Version base+2 lands first, base+1 later (two branches merged in the
	// other order): base+1 must still be applied.
	later := withEmbedded(t, fstest.MapFS{
		fmt.Sprintf("%04d_second.sql", base+2): {Data: []byte("CREATE TABLE second (id INTEGER PRIMARY KEY);\n")},
	})
	if err := db.migrate(ctx, later); err != nil {
		t.Fatal(err)
	}
	both := withEmbedded(t, fstest.MapFS{
		fmt.Sprintf("%04d_first.sql", base+1):  {Data: []byte("CREATE TABLE first (id INTEGER PRIMARY KEY);\n")},
		fmt.Sprintf("%04d_second.sql", base+2): {Data: []byte("CREATE TABLE second (id INTEGER PRIMARY KEY);\n")},
	})
	if err := db.migrate(ctx, both); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('first', 'second')").Scan(&n); err != nil || n != 2 {
		t.Errorf("tables after both migrations: %d (%v), want 2", n, err)
	}
	if err := db.migrate(ctx, both); err != nil {
		t.Errorf("migrating again: %v", err)
	}
}
