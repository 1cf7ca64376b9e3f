package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
	"dateline/content/delivery"
	"dateline/content/sqlite"
	"dateline/content/sqlite/sqlitetest"
)

// failingStore answers the delivery reads the test makes with one error.
// The embedded interface keeps it a delivery.Store as the interface grows;
// methods not overridden here are not called.
type failingStore struct {
	delivery.Store
	err error
}

func (s failingStore) Articles(context.Context, content.ArticleFilter) ([]*content.Article, error) {
	return nil, s.err
}
func (s failingStore) Article(context.Context, content.ArticleFilter) (*content.Article, error) {
	return nil, s.err
}
func (s failingStore) RedirectSlug(context.Context, string) (string, error) { return "", s.err }
func (s failingStore) Tags(context.Context, content.TagFilter) ([]content.Tag, error) {
	return nil, s.err
}
func (s failingStore) Tag(context.Context, content.TagFilter) (content.Tag, error) {
	return content.Tag{}, s.err
}
func (s failingStore) Authors(context.Context, content.AuthorFilter) ([]content.Author, error) {
	return nil, s.err
}
func (s failingStore) Author(context.Context, content.AuthorFilter) (content.Author, error) {
	return content.Author{}, s.err
}
func (s failingStore) Corrections(context.Context, content.CorrectionFilter) ([]content.CorrectionEntry, error) {
	return nil, s.err
}
func (s failingStore) Generation() uint64 { return 0 }
func (s failingStore) Events(context.Context, content.EventFilter) ([]content.Event, error) {
	return nil, s.err
}
func (s failingStore) ListKeys(context.Context, content.ArticleFilter) ([]content.Blob, bool, error) {
	return nil, false, s.err
}
func (s failingStore) SearchHits(context.Context, content.ArticleFilter) ([]content.Blob, bool, error) {
	return nil, false, s.err
}
func (s failingStore) ListItems(context.Context, []string, string) ([][]byte, bool, error) {
	return nil, false, s.err
}
func (s failingStore) PublicBlob(context.Context, string, string, []byte) (content.Blob, bool, error) {
	return content.Blob{}, false, s.err
}
func (s failingStore) TagRedirects(context.Context, []string) (map[string]string, error) {
	return nil, s.err
}

// busyError returns the error the store gives for a write while another
// connection holds the database's write lock.
func busyError(t *testing.T) error {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{BusyTimeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer sqlitetest.HoldWriteLock(t, path)()
	_, err = db.CreateArticle(ctx, content.Edit{Headline: "Blocked"}, "")
	if err == nil {
		t.Fatal("a write under another connection's exclusive lock succeeded")
	}
	return err
}

func TestABusyDatabaseAnswers503WithRetryAfterAndNoSQL(t *testing.T) {
	err := busyError(t)
	r := gin.New()
	delivery.Mount(r, delivery.New(failingStore{err: err}, "https://news.example.org", nil, slog.New(slog.NewTextHandler(io.Discard, nil))))
	for _, target := range []string{"/api/v1/articles", "/api/v1/articles/some-story", "/api/v1/tags",
		"/api/v1/authors", "/api/v1/authors/some-writer", "/api/v1/corrections"} {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		body := rec.Body.String()
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: %d Retry-After %q, want 503 with Retry-After", target, rec.Code, rec.Header().Get("Retry-After"))
		}
		if !strings.Contains(body, `"code":"unavailable"`) || !strings.Contains(body, "busy") {
			t.Errorf("%s: body %s", target, body)
		}
		for _, leak := range []string{"locked", "SQL", "sqlite", "INSERT", "BEGIN"} {
			if strings.Contains(body, leak) {
				t.Errorf("%s: the body shows %q: %s", target, leak, body)
			}
		}
	}
}
