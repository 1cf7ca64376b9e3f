package sqlitetest_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
	"dateline/content/sqlite/sqlitetest"
)

func openStore(t *testing.T, path string, opt sqlite.Options) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestHoldWriteLockMakesWritesWaitAndReleaseLetsThemThrough(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	db := openStore(t, path, sqlite.Options{BusyTimeout: 50 * time.Millisecond})
	release := sqlitetest.HoldWriteLock(t, path)
	if _, err := db.CreateArticle(ctx, content.Edit{Headline: "Blocked"}, ""); content.ErrorCode(err) != content.EUNAVAILABLE {
		t.Fatalf("a write under the lock: %v, want %s", err, content.EUNAVAILABLE)
	}
	if _, err := db.Articles(ctx, content.ArticleFilter{}); err != nil {
		t.Errorf("a read under the lock: %v", err)
	}
	release()
	release()
	if _, err := db.CreateArticle(ctx, content.Edit{Headline: "Through"}, ""); err != nil {
		t.Errorf("a write after release: %v", err)
	}
}

func TestClaimNewerSchemaMakesTheStoreRefuseTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dateline.db")
	openStore(t, path, sqlite.Options{}).Close()
	sqlitetest.ClaimNewerSchema(t, path, 9999)
	_, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err == nil || !strings.Contains(err.Error(), "9999") {
		t.Fatalf("open a newer database: %v, want a refusal naming version 9999", err)
	}
}

func TestWriteForeignDatabaseMakesAFileTheStoreLeavesAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	sqlitetest.WriteForeignDatabase(t, path)
	_, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err == nil || !strings.Contains(err.Error(), "is not a Dateline database") {
		t.Fatalf("open another application's file: %v", err)
	}
}

func TestEraseCreditsEmptiesTheCreditsOfOneStory(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	db := openStore(t, path, sqlite.Options{})
	photo := []content.Photo{{URL: "https://img.example.org/a.jpg", Alt: "A", Credit: "C"}}
	a, err := db.CreateArticle(ctx, content.Edit{Headline: "Erased", Photos: photo}, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CreateArticle(ctx, content.Edit{Headline: "Kept", Photos: photo}, "")
	if err != nil {
		t.Fatal(err)
	}
	sqlitetest.EraseCredits(t, path, a.ID)
	for id, want := range map[string]string{a.ID: "", b.ID: "C"} {
		got, err := db.Article(ctx, content.ArticleFilter{ID: &id})
		if err != nil {
			t.Fatal(err)
		}
		if got.Photos[0].Credit != want {
			t.Errorf("%s: credit %q, want %q", got.Headline, got.Photos[0].Credit, want)
		}
	}
}

func TestReplacePreviewDocumentChangesWhatTheStoreServes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	db := openStore(t, path, sqlite.Options{})
	a, err := db.CreateArticle(ctx, content.Edit{Headline: "Previewed"}, "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := db.CreatePreviewGrant(ctx, content.PreviewGrant{ArticleID: a.ID, Version: a.Version, ExpiresAt: time.Now().Add(time.Hour)}, []byte(`{"v":1}`))
	if err != nil {
		t.Fatal(err)
	}
	sqlitetest.ReplacePreviewDocument(t, path, g.ID, []byte(`{"v":2}`))
	if _, doc, err := db.StandingPreview(ctx, g.ID); err != nil || !bytes.Equal(doc, []byte(`{"v":2}`)) {
		t.Errorf("stored document %s (%v), want the replaced one", doc, err)
	}
}
