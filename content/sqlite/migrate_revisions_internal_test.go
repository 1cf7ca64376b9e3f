package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"dateline/content"
)

// TestMigration0012SealsTheRevisionsReadersSaw writes a story's history,
// takes the database back to before 0012 and applies it again: the
// revisions the outbox shows readers saw are sealed, the draft after them
// is not.
func TestMigration0012SealsTheRevisionsReadersSaw(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	db, err := Open(ctx, filepath.Join(t.TempDir(), "d.db"), Options{Now: func() time.Time { now = now.Add(time.Second); return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := content.Edit{Headline: "Ferry quay", Body: "Text.", Dateline: content.Dateline{Place: "PORT ELLIS"}}
	a, err := db.CreateArticle(ctx, e, "") // v1, then published
	if err != nil {
		t.Fatal(err)
	}
	all := []content.Status{content.StatusDraft, content.StatusPublished, content.StatusUnpublished}
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: all, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	for v := 1; v <= 2; v++ { // v2 and v3: published edits
		if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: v, Edit: e, Update: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: all, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: 3, Edit: e}); err != nil { // v4: withdrawn, unseen
		t.Fatal(err)
	}

	for _, q := range []string{
		"ALTER TABLE revisions DROP COLUMN autosave", "ALTER TABLE revisions DROP COLUMN started_at",
		"ALTER TABLE revisions DROP COLUMN sealed", "ALTER TABLE revisions DROP COLUMN held_until",
		"DELETE FROM schema_migrations WHERE version = 12",
	} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := db.r.QueryContext(ctx, "SELECT version, sealed FROM revisions WHERE article_id = ? ORDER BY version", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[int]bool{}
	for rows.Next() {
		var v int
		var sealed bool
		if err := rows.Scan(&v, &sealed); err != nil {
			t.Fatal(err)
		}
		got[v] = sealed
	}
	want := map[int]bool{1: true, 2: true, 3: true, 4: false}
	for v, w := range want {
		if got[v] != w {
			t.Errorf("revision %d sealed = %v, want %v (all: %v)", v, got[v], w, got)
		}
	}
}
