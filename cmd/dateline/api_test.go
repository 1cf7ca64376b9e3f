package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
	"dateline/content/postgres"
	"dateline/content/postgres/pgtest"
	"dateline/content/sqlite"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	// The PostgreSQL tests (postgres_test.go) share one throwaway cluster
	// per test binary, stopped when the tests end.
	os.Exit(pgtest.Main(m))
}

// newTestApp returns an app on a real, migrated SQLite file in a temporary
// data directory, and the production router around it.
func newTestApp(tb testing.TB) (*app, http.Handler) {
	tb.Helper()
	return newTestAppClock(tb, time.Now)
}

// newTestAppClock is newTestApp with the database on the clock now.
func newTestAppClock(tb testing.TB, now func() time.Time) (*app, http.Handler) {
	tb.Helper()
	return newTestAppOn(tb, onSQLite, now)
}

// newTestAppOn is newTestAppClock on the store named: a real, migrated
// SQLite file, or a fresh PostgreSQL database (postgres_test.go; the test
// skips without PostgreSQL as pgtest does), with the options serve gives
// it.
func newTestAppOn(tb testing.TB, store testStore, now func() time.Time) (*app, http.Handler) {
	tb.Helper()
	dir := tb.TempDir()
	cfg := defaultConfig()
	cfg.DataDir = dir
	cfg.BaseURL = "https://news.example.org"
	cfg.TimeZone = "Europe/Moscow"
	var db Store
	var err error
	if store == onPostgres {
		cfg.Database = pgtest.Open(tb)
		opt := cfg.postgresOptions()
		opt.Now = now
		db, err = postgres.Open(context.Background(), cfg.Database, opt)
	} else {
		opt := cfg.storeOptions()
		opt.Now = now
		db, err = sqlite.Open(context.Background(), filepath.Join(dir, "dateline.db"), opt)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	a := &app{cfg: cfg, db: db, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return a, newRouter(a)
}

type fixture struct {
	published, draft, review, scheduled, withdrawn *content.Article
}

// seed stores one story in every status; the published one has two tags,
// a credited photo, an internal link to the withdrawn story (which must not
// show) and links of the other kinds.
func seed(tb testing.TB, a *app) fixture {
	tb.Helper()
	ctx := context.Background()
	mk := func(headline string, tags ...string) *content.Article {
		e := content.Edit{
			Headline: headline, Standfirst: "Lead of " + headline,
			Dateline: content.Dateline{Place: "MOSCOW"},
			Body:     "Page one.\n\n" + content.PageBreak + "\n\nPage two.",
			Photos:   []content.Photo{{URL: "/media/a.png", Caption: "Cap", Credit: "© Ann Lee/Agency", Alt: "A street"}},
			Tags:     tags,
		}
		art, err := a.db.CreateArticle(ctx, e, "")
		if err != nil {
			tb.Fatal(err)
		}
		return art
	}
	change := func(art *content.Article, from content.Status, to content.Status, publishAt *time.Time) *content.Article {
		out, err := a.db.ChangeStatus(ctx, art.ID, content.StatusChange{From: []content.Status{from}, To: to, PublishAt: publishAt})
		if err != nil {
			tb.Fatal(err)
		}
		return out
	}
	var f fixture
	f.withdrawn = mk("Withdrawn story", "politics")
	f.withdrawn = change(change(f.withdrawn, content.StatusDraft, content.StatusPublished, nil), content.StatusPublished, content.StatusUnpublished, nil)
	f.draft = mk("Embargoed draft", "politics", "secret")
	f.review = mk("Story in review", "politics")
	f.review = change(f.review, content.StatusDraft, content.StatusInReview, nil)
	later := time.Now().Add(time.Hour)
	f.scheduled = mk("Scheduled story", "politics")
	f.scheduled = change(f.scheduled, content.StatusDraft, content.StatusScheduled, &later)

	pub := mk("Published story", "Politics", "Weather")
	e := pub.Edit
	e.Links = []content.RelatedLink{
		{Kind: content.LinkRelated, Title: "Gone", ArticleID: f.withdrawn.ID},
		{Kind: content.LinkOtherMedia, Title: "Elsewhere", URL: "https://other.example.com/x"},
		{Kind: content.LinkPartner, Title: "Partner", URL: "https://partner.example.net/y"},
	}
	pub, err := a.db.UpdateArticle(ctx, pub.ID, content.Save{Update: true, Version: pub.Version, Edit: e})
	if err != nil {
		tb.Fatal(err)
	}
	f.published = change(pub, content.StatusDraft, content.StatusPublished, nil)
	return f
}

// credit credits a writer ("Inês Vaz") on the published story and a second
// user ("Hidden Writer") on every other story, and appends a correction to
// the published story and to the withdrawn one; it returns f with the new
// states. The hidden writer and the withdrawn correction must never show.
func credit(tb testing.TB, a *app, f fixture) fixture {
	tb.Helper()
	ctx := context.Background()
	user := func(email, name string) auth.User {
		u, err := a.db.CreateUser(ctx, auth.User{Email: email, Name: name, Bio: "Bio of " + name + ".", Role: auth.RoleAuthor})
		if err != nil {
			tb.Fatal(err)
		}
		return u
	}
	writer, hidden := user("ines@example.org", "Inês Vaz"), user("hidden@example.org", "Hidden Writer")
	save := func(art *content.Article, by auth.User, correction string) *content.Article {
		e := art.Edit
		e.AuthorIDs = []string{by.ID}
		out, err := a.db.UpdateArticle(ctx, art.ID, content.Save{Update: true, Version: art.Version, Edit: e, Correction: correction})
		if err != nil {
			tb.Fatal(err)
		}
		return out
	}
	f.published = save(f.published, writer, "Published correction: the vote was on Tuesday.")
	f.withdrawn = save(f.withdrawn, hidden, "Withdrawn correction: never to be shown.")
	f.draft = save(f.draft, hidden, "")
	f.review = save(f.review, hidden, "")
	f.scheduled = save(f.scheduled, hidden, "")
	return f
}

func get(tb testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode(tb testing.TB, rec *httptest.ResponseRecorder, v any) {
	tb.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		tb.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
}

func TestDeliveryEndpoints(t *testing.T) { onEachStore(t, testDeliveryEndpoints) }

func testDeliveryEndpoints(t *testing.T, store testStore) {
	a, h := newTestAppOn(t, store, time.Now)
	f := credit(t, a, seed(t, a))
	hiddenPeople := []string{"Hidden Writer", "hidden-writer", "@example.org", `"email"`, `"role"`}
	tests := []struct {
		name        string
		target      string
		status      int
		contentType string
		contains    []string
		excludes    []string
	}{
		{"the list shows only the published story", "/api/v1/articles", 200, "application/json",
			[]string{`"slug":"published-story"`, `"next_cursor"`[:0], `"credit":"© Ann Lee/Agency"`, `"url":"https://news.example.org/media/a.png"`},
			[]string{"Embargoed", "Withdrawn", "Scheduled story", "Story in review", `"body_html"`, `"status"`, `"version"`}},
		{"a tag filter lists published stories with the tag", "/api/v1/articles?tag=weather", 200, "application/json",
			[]string{`"published-story"`}, nil},
		{"several tags match any of them", "/api/v1/articles?tag=secret,weather&tag=nothing", 200, "application/json",
			[]string{`"published-story"`}, []string{"Embargoed"}},
		{"a tag only drafts carry lists nothing", "/api/v1/articles?tag=secret", 200, "application/json",
			[]string{`"articles":[]`}, []string{"Embargoed"}},
		{"the whole story has body, pages, photos and links", "/api/v1/articles/published-story", 200, "application/json",
			[]string{`"body_html":"`, `"page_count":2`, `"number":2`, `"kind":"other_media"`, `"kind":"partner"`, `"published_at_local":"`, `+03:00"`, `"place":"MOSCOW"`},
			[]string{`"kind":"related"`, "withdrawn-story", `"status"`}},
		{"a draft's slug is not found", "/api/v1/articles/embargoed-draft", 404, "application/problem+json",
			[]string{`"code":"not_found"`, `"status":404`}, []string{"Embargoed draft"}},
		{"a scheduled story's slug is not found", "/api/v1/articles/scheduled-story", 404, "application/problem+json", nil, nil},
		{"a story in review is not found", "/api/v1/articles/story-in-review", 404, "application/problem+json", nil, nil},
		{"a withdrawn story is not found", "/api/v1/articles/withdrawn-story", 404, "application/problem+json", nil, nil},
		{"a malformed slug is not found", "/api/v1/articles/Not%20A%20Slug", 404, "application/problem+json", nil, nil},
		{"limit above the maximum is refused", "/api/v1/articles?limit=101", 400, "application/problem+json",
			[]string{`"field":"limit"`, `"code":"invalid"`}, nil},
		{"limit zero is refused", "/api/v1/articles?limit=0", 400, "application/problem+json", []string{`"field":"limit"`}, nil},
		{"a non-numeric limit is refused", "/api/v1/articles?limit=ten", 400, "application/problem+json", []string{`"field":"limit"`}, nil},
		{"a forged cursor is refused", "/api/v1/articles?cursor=bm9wZQ", 400, "application/problem+json", []string{`"field":"cursor"`}, nil},
		{"an unknown parameter is refused by name", "/api/v1/articles?status=draft", 400, "application/problem+json",
			[]string{`"field":"status"`}, []string{"Embargoed"}},
		{"a bad since is refused", "/api/v1/articles?since=yesterday", 400, "application/problem+json", []string{`"field":"since"`}, nil},
		{"a bad tag slug is refused", "/api/v1/articles?tag=Not%20ok", 400, "application/problem+json", []string{`"field":"tag"`}, nil},
		{"tags list only topics with published stories", "/api/v1/tags", 200, "application/json",
			[]string{`"slug":"politics"`, `"slug":"weather"`, `"article_count":1`}, []string{"secret"}},
		{"one tag", "/api/v1/tags/weather", 200, "application/json", []string{`"name":"Weather"`}, nil},
		{"a tag only drafts carry is not found", "/api/v1/tags/secret", 404, "application/problem+json", nil, nil},
		{"authors list only writers of published stories", "/api/v1/authors", 200, "application/json",
			[]string{`{"slug":"ines-vaz","name":"Inês Vaz","bio":"Bio of Inês Vaz.","article_count":1}`}, hiddenPeople},
		{"an author of a published story", "/api/v1/authors/ines-vaz", 200, "application/json",
			[]string{`"article_count":1`}, hiddenPeople},
		{"an author of drafts, scheduled, in-review and withdrawn stories is not found", "/api/v1/authors/hidden-writer", 404, "application/problem+json",
			[]string{`"code":"not_found"`}, hiddenPeople},
		{"an author list with a parameter is refused", "/api/v1/authors?role=author", 400, "application/problem+json",
			[]string{`"field":"role"`}, hiddenPeople[:3]},
		{"the corrections log lists only corrections of published stories", "/api/v1/corrections", 200, "application/json",
			[]string{`"text":"Published correction: the vote was on Tuesday.","article_slug":"published-story","headline":"Published story"`},
			[]string{"Withdrawn", "withdrawn-story", "Embargoed", "Scheduled story", "Story in review"}},
		{"the corrections log refuses a bad limit", "/api/v1/corrections?limit=0", 400, "application/problem+json", []string{`"field":"limit"`}, nil},
		{"the corrections log refuses a forged cursor", "/api/v1/corrections?cursor=bm9wZQ", 400, "application/problem+json", []string{`"field":"cursor"`}, nil},
		{"the corrections log refuses an unknown parameter", "/api/v1/corrections?status=unpublished", 400, "application/problem+json",
			[]string{`"field":"status"`}, []string{"Withdrawn"}},
		{"an unknown endpoint is a problem", "/api/v1/nothing", 404, "application/problem+json", []string{`"code":"not_found"`}, nil},
		{"health", "/healthz", 200, "application/json", []string{`"status":"ok"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("content type = %q, want %q", ct, tt.contentType)
			}
			body := rec.Body.String()
			for _, s := range tt.contains {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %s:\n%s", s, body)
				}
			}
			for _, s := range tt.excludes {
				if strings.Contains(body, s) {
					t.Errorf("body has %s:\n%s", s, body)
				}
			}
		})
	}
	_ = f
}

func TestOldSlugRedirectsToTheNewOne(t *testing.T) {
	a, h := newTestApp(t)
	f := seed(t, a)
	e := f.published.Edit
	e.Slug = "renamed-story"
	if _, err := a.db.UpdateArticle(context.Background(), f.published.ID, content.Save{Update: true, Version: f.published.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	rec := get(t, h, "/api/v1/articles/published-story")
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/api/v1/articles/renamed-story" {
		t.Fatalf("old slug: %d Location %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := get(t, h, "/api/v1/articles/renamed-story"); rec.Code != 200 {
		t.Fatalf("new slug: %d", rec.Code)
	}
	// A withdrawn story's old slug must not redirect either.
	if _, err := a.db.ChangeStatus(context.Background(), f.published.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if rec := get(t, h, "/api/v1/articles/published-story"); rec.Code != http.StatusNotFound {
		t.Fatalf("old slug of a withdrawn story: %d", rec.Code)
	}
}

func TestListPagingWithCursorNeverLeaksOrRepeats(t *testing.T) {
	onEachStore(t, testListPagingWithCursorNeverLeaksOrRepeats)
}

func testListPagingWithCursorNeverLeaksOrRepeats(t *testing.T, store testStore) {
	a, h := newTestAppOn(t, store, time.Now)
	ctx := context.Background()
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var items []content.Import
	for i := range 45 {
		st := content.StatusPublished
		if i%5 == 0 {
			st = content.StatusDraft
		}
		it := content.Import{Edit: content.Edit{Headline: fmt.Sprintf("Story %02d", i), Tags: []string{"city"}}, Status: st}
		if st == content.StatusPublished {
			t := at.Add(time.Duration(i/10) * time.Minute) // ten at each instant
			it.PublishedAt = &t
		}
		items = append(items, it)
	}
	if _, err := a.db.Import(ctx, items, ""); err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{"/api/v1/articles?limit=4", "/api/v1/articles?tag=city&limit=4"} {
		seen := map[string]bool{}
		target := base
		for range 20 {
			var out struct {
				Articles []struct{ Slug, Headline string }
				Meta     struct {
					NextCursor string `json:"next_cursor"`
				}
			}
			rec := get(t, h, target)
			if rec.Code != 200 {
				t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
			}
			decode(t, rec, &out)
			for _, art := range out.Articles {
				if seen[art.Slug] {
					t.Fatalf("%s repeats %s", base, art.Slug)
				}
				seen[art.Slug] = true
			}
			if out.Meta.NextCursor == "" {
				break
			}
			target = base + "&cursor=" + out.Meta.NextCursor
		}
		if len(seen) != 36 {
			t.Errorf("%s: paged through %d stories, want 36", base, len(seen))
		}
	}
}

func TestMediaIsServedWithNosniffAndNoListing(t *testing.T) {
	a, h := newTestApp(t)
	if err := writeFile(filepath.Join(a.cfg.DataDir, "media", "x.png"), []byte("\x89PNG\r\n\x1a\n")); err != nil {
		t.Fatal(err)
	}
	rec := get(t, h, "/media/x.png")
	if rec.Code != 200 || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("media: %d %v", rec.Code, rec.Header())
	}
	if rec := get(t, h, "/media/"); rec.Code != 404 {
		t.Errorf("media listing: %d", rec.Code)
	}
	if rec := get(t, h, "/media/../dateline.db"); rec.Code == 200 && bytes.Contains(rec.Body.Bytes(), []byte("SQLite")) {
		t.Errorf("path traversal served the database")
	}
}
