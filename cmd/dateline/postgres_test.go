package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/content/postgres"
)

// testStore names the store a test app runs on (newTestAppOn).
type testStore int

const (
	onSQLite testStore = iota
	onPostgres
)

func (s testStore) String() string {
	if s == onPostgres {
		return "on PostgreSQL"
	}
	return "on SQLite"
}

// onEachStore runs test through the production router on SQLite and on
// PostgreSQL, as subtests named after the store. The PostgreSQL run skips
// without a server as pgtest does (and fails under CI=true).
func onEachStore(t *testing.T, test func(t *testing.T, store testStore)) {
	t.Helper()
	for _, s := range []testStore{onSQLite, onPostgres} {
		t.Run(s.String(), func(t *testing.T) { test(t, s) })
	}
}

// The commands that open the database work on PostgreSQL: migrate says
// the schema version and names the server, export writes the newsroom,
// and /healthz answers through the database.
func TestMigrateExportAndHealthOnPostgres(t *testing.T) {
	a, h := newTestAppOn(t, onPostgres, time.Now)
	seed(t, a)
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"migrate", "--data", t.TempDir(), "--database", a.cfg.Database}, envOf(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("database %s is at schema version %d\n", a.db.Path(), postgres.LatestSchema())
	if out.String() != want || !strings.HasPrefix(out.String(), "database postgres://") {
		t.Errorf("migrate printed %q, want %q", out.String(), want)
	}

	dest := filepath.Join(t.TempDir(), "newsroom.ndjson")
	var errOut bytes.Buffer
	if err := run(ctx, []string{"export", "--data", t.TempDir(), "--database", a.cfg.Database, dest}, envOf(nil), &errOut, &errOut); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "exported 5 stories") || !strings.Contains(string(b), `"Published story"`) {
		t.Errorf("export: %s\n%s", errOut.String(), b)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ok"`) {
		t.Errorf("/healthz: %d %s", rec.Code, rec.Body)
	}
	a.db.Close()
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != 503 {
		t.Errorf("/healthz with the pool closed: %d %s", rec.Code, rec.Body)
	}
}
