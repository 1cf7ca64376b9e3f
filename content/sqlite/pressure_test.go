package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

func TestAWriteWhileAnotherConnectionHoldsTheLockIsUnavailable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	first := mustCreate(t, db, story("Saved before the lock"))

	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=50")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	_, err = db.CreateArticle(ctx, story("Blocked by the lock"), "")
	if content.ErrorCode(err) != content.EUNAVAILABLE {
		t.Fatalf("create under a held lock: %v (code %s), want %s", err, content.ErrorCode(err), content.EUNAVAILABLE)
	}
	if msg := content.ErrorMessage(err); strings.Contains(strings.ToLower(msg), "sql") || strings.Contains(msg, "locked") {
		t.Errorf("the message for people shows internals: %q", msg)
	}
	// Readers are not blocked by a writer in WAL mode.
	if _, err := db.Article(ctx, content.ArticleFilter{ID: &first.ID}); err != nil {
		t.Errorf("read under a held write lock: %v", err)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateArticle(ctx, story("Saved after the lock"), ""); err != nil {
		t.Errorf("create after the lock was released: %v", err)
	}
}

func TestAFullDiskRefusesTheSaveAndKeepsTheLastRevision(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpen(t)
	a := mustCreate(t, db, story("Before the disk filled"))
	if err := db.LimitPagesForTest(ctx); err != nil {
		t.Fatal(err)
	}
	e := a.Edit
	e.Headline = "After the disk filled"
	// Text that does not compress, so that storing it needs new pages.
	r := rand.New(rand.NewPCG(1, 2))
	var body strings.Builder
	for range 40_000 {
		fmt.Fprintf(&body, "w%x ", r.Uint32())
	}
	e.Body = body.String()
	_, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e})
	if content.ErrorCode(err) != content.EUNAVAILABLE || !strings.Contains(content.ErrorMessage(err), "disk is full") {
		t.Fatalf("save on a full disk: %v (code %s), want unavailable: the disk is full", err, content.ErrorCode(err))
	}
	got, err := db.Article(ctx, content.ArticleFilter{ID: &a.ID, Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != a.Version || got.Headline != a.Headline || got.Body != a.Body {
		t.Errorf("the stored story changed: version %d headline %q", got.Version, got.Headline)
	}
	revs, err := db.Revisions(ctx, a.ID)
	if err != nil || len(revs) != 1 {
		t.Errorf("revisions after the failed save: %d, %v", len(revs), err)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}
