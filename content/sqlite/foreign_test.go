package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

func TestOpenLeavesFilesOfOtherApplicationsAlone(t *testing.T) {
	ctx := context.Background()
	sqliteWith := func(stmts ...string) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			d, err := sql.Open("sqlite3", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for _, q := range stmts {
				if _, err := d.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"another application's tables", sqliteWith("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
			"INSERT INTO customers (name) VALUES ('Ann')"), "holds 1 tables of another application"},
		{"another tool's schema_migrations table", sqliteWith("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, dirty INTEGER)",
			"CREATE TABLE posts (id INTEGER PRIMARY KEY)"), "holds 2 tables of another application"},
		{"a file that is not SQLite", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("name,email\nAnn,ann@example.org\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "not an SQLite file"},
	}
	for _, tt := range tests {
		t.Run("a file with "+tt.name+" is refused untouched", func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "app.db")
			tt.make(t, path)
			before := sum(t, path)
			for _, opt := range []sqlite.Options{{}, {NoMigrate: true}} {
				db, err := sqlite.Open(ctx, path, opt)
				if err == nil {
					db.Close()
					t.Fatalf("opened with %+v", opt)
				}
				if content.ErrorCode(err) != content.EINVALID || !strings.Contains(err.Error(), "not a Dateline database") || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("err = %v, want EINVALID saying %q", err, tt.want)
				}
			}
			if sum(t, path) != before {
				t.Error("the file changed")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("%d files in the directory, want the one", len(entries))
			}
		})
	}
	t.Run("an SQLite file without tables becomes a Dateline database", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "empty.db")
		sqliteWith("PRAGMA user_version = 0")(t, path)
		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if v, err := db.SchemaVersion(ctx); err != nil || v != sqlite.LatestSchema() {
			t.Errorf("schema %d, %v", v, err)
		}
	})
	t.Run("a Dateline database opens again", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "dateline.db")
		for range 2 {
			db, err := sqlite.Open(ctx, path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
	})
}

func TestAMissingUserIsSaidOnce(t *testing.T) {
	db, _ := mustOpen(t)
	_, err := db.UserByEmail(context.Background(), "nobody@harbour.example")
	if !errors.Is(err, content.ErrNotFound) || !errors.Is(err, auth.ErrNoUser) || content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("err = %v, want content.ErrNotFound and auth.ErrNoUser", err)
	}
	if err.Error() != "no such user" {
		t.Errorf("message %q, want %q", err.Error(), "no such user")
	}
}

func sum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestBackupFileCopiesADatelineDatabaseOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "dateline.db")
	db, err := sqlite.Open(ctx, src, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := mustCreate(t, db, story("Copied harbour"))
	db.Close()
	before := sum(t, src)
	dest := filepath.Join(t.TempDir(), "copy.db")
	v, err := sqlite.BackupFile(ctx, src, dest)
	if err != nil || v != sqlite.LatestSchema() {
		t.Fatalf("BackupFile = %d, %v", v, err)
	}
	if sum(t, src) != before {
		t.Error("the source changed")
	}
	cp, err := sqlite.Open(ctx, dest, sqlite.Options{NoCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if got, err := cp.Article(ctx, content.ArticleFilter{ID: &a.ID}); err != nil || got.Headline != "Copied harbour" {
		t.Errorf("the copy holds %v, %v", got, err)
	}

	foreign := filepath.Join(dir, "other.db")
	d, err := sql.Open("sqlite3", "file:"+foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec("CREATE TABLE customers (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	dest2 := filepath.Join(t.TempDir(), "copy.db")
	if _, err := sqlite.BackupFile(ctx, foreign, dest2); content.ErrorCode(err) != content.EINVALID || !strings.Contains(err.Error(), "not a Dateline database") {
		t.Errorf("a foreign database: %v", err)
	}
	if _, err := os.Stat(dest2); err == nil {
		t.Error("a refused backup left a file")
	}
}
