package delivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"dateline/auth"
	"dateline/content"
	"dateline/content/delivery"
)

// loadOpenAPI loads and validates the served document as OpenAPI 3.1 and
// returns it with a router that finds its operations.
func loadOpenAPI(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(delivery.OpenAPI())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// registerFeedDecoders teaches openapi3filter the feed and sitemap media
// types: XML bodies are checked as strings (their structure is tested with
// encoding/xml elsewhere), JSON Feed as JSON.
func registerFeedDecoders() {
	for _, ct := range []string{"application/rss+xml", "application/atom+xml", "application/xml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
	openapi3filter.RegisterBodyDecoder("application/feed+json", openapi3filter.JSONBodyDecoder)
}

// validateAgainst finds the operation of req in the document and checks
// rec against its responses; an undocumented status is an error.
func validateAgainst(t *testing.T, router routers.Router, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s is not in the document: %v", req.URL, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%d response does not match the document: %v\n%s", rec.Code, err, rec.Body)
	}
	if rec.Code == http.StatusMovedPermanently {
		if _, ok := route.Operation.Responses.Map()["301"]; !ok || rec.Header().Get("Location") == "" {
			t.Errorf("undocumented redirect or no Location")
		}
	}
}

func TestResponsesConformToTheOpenAPIDocument(t *testing.T) {
	doc, router := loadOpenAPI(t)
	registerFeedDecoders()
	env := newEnv(t, delivery.Options{SitemapSize: 2})
	s := env.seed(t)
	people := env.seedCredits(t, s)
	ctx := context.Background()
	a, err := env.db.Article(ctx, content.ArticleFilter{Slug: &s.old})
	if err != nil {
		t.Fatal(err)
	}
	renamed := a.Edit
	renamed.Slug = "old-harbour-news-renamed"
	if _, err := env.db.UpdateArticle(ctx, a.ID, content.Save{Update: true, Version: a.Version, Edit: renamed}); err != nil {
		t.Fatal(err)
	}
	lighthouse := "Lighthouses"
	if _, err := env.db.UpdateTag(ctx, "weather", content.TagEdit{Name: &lighthouse}); err != nil {
		t.Fatal(err)
	}
	key, err := auth.NewKey([]byte("a test signing key of enough length"))
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens(auth.TokenOptions{Issuer: "https://news.example.org", Keys: []auth.Key{key}})
	if err != nil {
		t.Fatal(err)
	}
	env.api.Preview = &delivery.PreviewSource{Tokens: tokens, Revisions: env.db, Grants: env.db}
	draft, err := env.db.Article(ctx, content.ArticleFilter{Slug: &s.draft})
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := env.api.RenderPreview(ctx, draft.ID, draft.Version)
	if err != nil {
		t.Fatal(err)
	}
	grant, err := env.db.CreatePreviewGrant(ctx, content.PreviewGrant{ArticleID: draft.ID, Version: draft.Version,
		ExpiresAt: time.Now().Add(time.Hour)}, rendered)
	if err != nil {
		t.Fatal(err)
	}
	preview, err := tokens.IssuePreview(grant.ID, draft.ID, draft.Version, time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	var firstCorrections struct {
		Meta struct {
			NextCursor string `json:"next_cursor"`
		}
	}
	if err := json.Unmarshal(env.get(t, "/api/v1/corrections?limit=1").Body.Bytes(), &firstCorrections); err != nil || firstCorrections.Meta.NextCursor == "" {
		t.Fatalf("no next cursor on the first page of corrections: %v", err)
	}

	tests := []struct {
		name   string
		target string
		status int
	}{
		{"the article list", "/api/v1/articles", 200},
		{"a page of the article list with a next cursor", "/api/v1/articles?limit=1&tag=harbour", 200},
		{"a filtered article list", "/api/v1/articles?featured=false&since=2026-03-01T00:00:00Z&until=2026-03-11T00:00:00%2B03:00", 200},
		{"an article list with a bad limit", "/api/v1/articles?limit=101", 400},
		{"an article list with an unknown parameter", "/api/v1/articles?status=draft", 400},
		{"an article list with a forged cursor", "/api/v1/articles?cursor=bm9wZQ", 400},
		{"a search", "/api/v1/articles?q=harbour&limit=1", 200},
		{"a search with a malformed query", "/api/v1/articles?q=%22", 400},
		{"a whole article", "/api/v1/articles/" + s.nasty, 200},
		{"a whole article as json", "/api/v1/articles/" + s.weather + "?format=json", 200},
		{"a whole article as ninjs", "/api/v1/articles/" + s.nasty + "?format=ninjs", 200},
		{"an article in an unknown format", "/api/v1/articles/" + s.nasty + "?format=xml", 400},
		{"a whole article with its text and pages", "/api/v1/articles/" + s.weather + "?formats=text,pages", 200},
		{"a whole article with an unknown representation", "/api/v1/articles/" + s.weather + "?formats=text,markdown", 400},
		{"an old slug", "/api/v1/articles/" + s.old, 301},
		{"a draft", "/api/v1/articles/" + s.draft, 404},
		{"a scheduled story", "/api/v1/articles/" + s.scheduled + "?format=ninjs", 404},
		{"the tag list", "/api/v1/tags", 200},
		{"the tag list with a parameter", "/api/v1/tags?x=1", 400},
		{"a tag", "/api/v1/tags/harbour", 200},
		{"a tag only drafts carry", "/api/v1/tags/secret", 404},
		{"an old tag slug", "/api/v1/tags/weather", 301},
		{"the author list", "/api/v1/authors", 200},
		{"the author list with a parameter", "/api/v1/authors?x=1", 400},
		{"an author", "/api/v1/authors/" + people.writer.Slug, 200},
		{"an author of unpublished stories only", "/api/v1/authors/" + people.hidden.Slug, 404},
		{"the corrections log", "/api/v1/corrections", 200},
		{"a page of the corrections log after a cursor", "/api/v1/corrections?limit=1&cursor=" + firstCorrections.Meta.NextCursor, 200},
		{"the corrections log with a bad limit", "/api/v1/corrections?limit=101", 400},
		{"the corrections log with a forged cursor", "/api/v1/corrections?cursor=bm9wZQ", 400},
		{"the corrections log with an unknown parameter", "/api/v1/corrections?tag=harbour", 400},
		{"the RSS feed", "/api/v1/feeds/rss.xml", 200},
		{"the Atom feed", "/api/v1/feeds/atom.xml", 200},
		{"the JSON feed", "/api/v1/feeds/feed.json", 200},
		{"a feed with a parameter", "/api/v1/feeds/feed.json?limit=1", 400},
		{"a tag's RSS feed", "/api/v1/tags/lighthouses/rss.xml", 200},
		{"a tag's RSS feed under an old slug", "/api/v1/tags/weather/rss.xml", 301},
		{"a tag's Atom feed", "/api/v1/tags/lighthouses/atom.xml", 200},
		{"a tag's Atom feed under an old slug", "/api/v1/tags/weather/atom.xml", 301},
		{"a tag's JSON feed", "/api/v1/tags/lighthouses/feed.json", 200},
		{"a tag's JSON feed under an old slug", "/api/v1/tags/weather/feed.json", 301},
		{"the JSON feed of a tag only drafts carry", "/api/v1/tags/secret/feed.json", 404},
		{"the changes feed", "/api/v1/changes", 200},
		{"a page of the changes feed", "/api/v1/changes?limit=2&cursor=YzI", 200},
		{"the changes feed with a bad limit", "/api/v1/changes?limit=0", 400},
		{"the changes feed with a forged cursor", "/api/v1/changes?cursor=bm9wZQ", 400},
		{"the OpenAPI document", "/api/v1/openapi.json", 200},
		{"a draft preview", "/api/v1/preview/" + preview, 200},
		{"a preview with a forged token", "/api/v1/preview/not-a-token", 401},
		{"the sitemap index", "/sitemap.xml", 200},
		{"a sitemap file", "/sitemaps/2.xml", 200},
		{"a sitemap file past the end", "/sitemaps/3.xml", 404},
		{"the news sitemap", "/news-sitemap.xml", 200},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tt.target, nil)
			rec := httptest.NewRecorder()
			env.h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			validateAgainst(t, router, req, rec)
			if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/xml") && rec.Code == 200 {
				checkSitemapXML(t, rec.Body.Bytes())
			}
			if route, _, err := router.FindRoute(req); err == nil {
				covered[route.Path] = true
			}
		})
	}

	for _, path := range doc.Paths.InMatchingOrder() {
		if !covered[path] {
			t.Errorf("no test request covers %s", path)
		}
	}
}

func TestOpenAPIDocumentIsServedAsIsAndNamesEveryRoute(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	rec := env.get(t, "/api/v1/openapi.json")
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), delivery.OpenAPI()) {
		t.Fatalf("%d, body differs from the embedded document", rec.Code)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// Every route the package registers is described, with its method; a
	// HEAD route answers as its GET does (the document says so once).
	for _, r := range env.h.Routes() {
		path := r.Path
		for _, p := range []string{"slug", "file", "token"} {
			path = strings.ReplaceAll(path, ":"+p, "{"+p+"}")
		}
		method := strings.ToLower(r.Method)
		if method == "head" {
			method = "get"
		}
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("the document lacks %s %s", r.Method, path)
		}
	}
	for _, planned := range []string{"/api/v1/preview/{token}"} {
		if _, ok := doc.Paths[planned]["get"]; !ok {
			t.Errorf("the document lacks GET %s", planned)
		}
	}
}
