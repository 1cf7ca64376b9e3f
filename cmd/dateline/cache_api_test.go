package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/content"
)

func getWith(tb testing.TB, h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestReadsCarryCachingAndCORSHeaders(t *testing.T) {
	a, h := newTestApp(t)
	f := credit(t, a, seed(t, a))
	for _, tt := range []struct {
		name, target string
		keys         []string
	}{
		{"a list names itself and its filters", "/api/v1/articles?tag=weather", []string{"articles", "tag:weather"}},
		{"a search names itself", "/api/v1/articles?q=published", []string{"articles", "search"}},
		{"a story names itself, its slug and its tags", "/api/v1/articles/published-story", []string{"article:" + f.published.ID, "slug:published-story", "tag:politics", "tag:weather"}},
		{"the tag list", "/api/v1/tags", []string{"tags"}},
		{"a tag", "/api/v1/tags/weather", []string{"tags", "tag:weather"}},
		{"the author list", "/api/v1/authors", []string{"authors"}},
		{"an author", "/api/v1/authors/ines-vaz", []string{"authors", "author:ines-vaz"}},
		{"the corrections log", "/api/v1/corrections?limit=5", []string{"corrections"}},
		{"the RSS feed", "/api/v1/feeds/rss.xml", []string{"articles", "feeds"}},
		{"the JSON feed", "/api/v1/feeds/feed.json", []string{"articles", "feeds"}},
		{"a tag's Atom feed names the tag", "/api/v1/tags/weather/atom.xml", []string{"articles", "feeds", "tag:weather"}},
		{"the sitemap", "/sitemap.xml", []string{"articles", "sitemaps"}},
		{"the news sitemap", "/news-sitemap.xml", []string{"articles", "sitemaps"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.target)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			hd := rec.Header()
			if et := hd.Get("ETag"); !strings.HasPrefix(et, `"`) || len(et) < 10 {
				t.Errorf("ETag = %q, want a strong tag", et)
			}
			if cc := hd.Get("Cache-Control"); cc != "public, max-age=30, stale-while-revalidate=60" {
				t.Errorf("Cache-Control = %q", cc)
			}
			if hd.Get("Access-Control-Allow-Origin") != "*" || hd.Get("Access-Control-Expose-Headers") != "ETag" {
				t.Errorf("CORS: %v", hd)
			}
			got := " " + hd.Get("Surrogate-Key") + " "
			for _, k := range tt.keys {
				if !strings.Contains(got, " "+k+" ") {
					t.Errorf("Surrogate-Key %q lacks %s", got, k)
				}
			}
		})
	}
	t.Run("a problem is not stored", func(t *testing.T) {
		rec := get(t, h, "/api/v1/articles/embargoed-draft")
		if rec.Code != 404 || rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("ETag") != "" {
			t.Errorf("%d %v", rec.Code, rec.Header())
		}
	})
	t.Run("a preflight for a read is answered", func(t *testing.T) {
		rec := getWith(t, h, http.MethodOptions, "/api/v1/articles?tag=x", map[string]string{
			"Origin": "https://site.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"})
		if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "If-None-Match") ||
			!strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("%d %v", rec.Code, rec.Header())
		}
	})
	t.Run("a preflight outside the API is not", func(t *testing.T) {
		if rec := getWith(t, h, http.MethodOptions, "/healthz", nil); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%d", rec.Code)
		}
	})
}

func TestConditionalReadsAnswer304UntilTheContentChanges(t *testing.T) {
	onEachStore(t, testConditionalReadsAnswer304UntilTheContentChanges)
}

func testConditionalReadsAnswer304UntilTheContentChanges(t *testing.T, store testStore) {
	a, h := newTestAppOn(t, store, time.Now)
	f := seed(t, a)
	ctx := context.Background()
	targets := []string{"/api/v1/articles", "/api/v1/articles?tag=politics", "/api/v1/articles/published-story", "/api/v1/articles?q=story",
		"/api/v1/feeds/rss.xml", "/api/v1/feeds/feed.json", "/api/v1/tags/politics/atom.xml", "/news-sitemap.xml"}
	etags := map[string]string{}
	revalidate := func(t *testing.T, wantChanged bool) {
		t.Helper()
		for _, target := range targets {
			old := etags[target]
			rec := getWith(t, h, http.MethodGet, target, map[string]string{"If-None-Match": old})
			switch {
			case old == "":
				if rec.Code != 200 {
					t.Fatalf("%s: %d", target, rec.Code)
				}
			case wantChanged && rec.Code != 200:
				t.Errorf("%s: %d after a change, want 200 with a new ETag", target, rec.Code)
			case !wantChanged && rec.Code != http.StatusNotModified:
				t.Errorf("%s: %d, want 304", target, rec.Code)
			}
			if rec.Code == http.StatusNotModified {
				if rec.Body.Len() != 0 || rec.Header().Get("ETag") != old {
					t.Errorf("%s: 304 with body %q or ETag %q", target, rec.Body, rec.Header().Get("ETag"))
				}
				continue
			}
			if rec.Code == 200 {
				if et := rec.Header().Get("ETag"); et == old {
					t.Errorf("%s: ETag unchanged after a change", target)
				} else {
					etags[target] = et
				}
			}
		}
	}
	t.Run("the first reads are 200", func(t *testing.T) { revalidate(t, true) })
	t.Run("repeated reads revalidate with 304, also from the cache", func(t *testing.T) {
		revalidate(t, false)
		revalidate(t, false)
		rec := getWith(t, h, http.MethodGet, "/api/v1/articles", map[string]string{"If-None-Match": `"other", W/` + etags["/api/v1/articles"]})
		if rec.Code != http.StatusNotModified {
			t.Errorf("a list of ETags with a weak match: %d", rec.Code)
		}
	})
	var fresh *content.Article
	t.Run("an edit of the published story changes every ETag at once", func(t *testing.T) {
		e := f.published.Edit
		e.Headline = "Published story, corrected"
		var err error
		fresh, err = a.db.UpdateArticle(ctx, f.published.ID, content.Save{Update: true, Version: f.published.Version, Edit: e})
		if err != nil {
			t.Fatal(err)
		}
		revalidate(t, true)
		if rec := get(t, h, "/api/v1/articles/published-story"); !strings.Contains(rec.Body.String(), "corrected") {
			t.Errorf("the story is stale: %s", rec.Body)
		}
	})
	t.Run("a response the edit did not change keeps its ETag", func(t *testing.T) {
		first := get(t, h, "/api/v1/tags")
		if _, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Draft with a tag", Tags: []string{"politics"}}, ""); err != nil {
			t.Fatal(err)
		}
		rec := getWith(t, h, http.MethodGet, "/api/v1/tags", map[string]string{"If-None-Match": first.Header().Get("ETag")})
		if rec.Code != http.StatusNotModified {
			t.Errorf("tags after a draft save: %d", rec.Code)
		}
	})
	t.Run("an unrelated draft save leaves ETags valid", func(t *testing.T) {
		if _, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Another draft"}, ""); err != nil {
			t.Fatal(err)
		}
		revalidate(t, false)
	})
	t.Run("a publish shows at once", func(t *testing.T) {
		// The sitemap's lastmod has whole seconds, so an edit within the
		// second may leave it as it was; a new story never does.
		sitemap := get(t, h, "/sitemap.xml")
		defer func() {
			rec := getWith(t, h, http.MethodGet, "/sitemap.xml", map[string]string{"If-None-Match": sitemap.Header().Get("ETag")})
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), "story-in-review") {
				t.Errorf("the sitemap after a publish: %d %s", rec.Code, rec.Body)
			}
		}()
		if _, err := a.db.ChangeStatus(ctx, f.review.ID, content.StatusChange{From: []content.Status{content.StatusInReview}, To: content.StatusPublished}); err != nil {
			t.Fatal(err)
		}
		targets = targets[:2]
		revalidate(t, true)
		if rec := get(t, h, "/api/v1/articles"); !strings.Contains(rec.Body.String(), "story-in-review") {
			t.Errorf("the published story is missing: %s", rec.Body)
		}
		if rec := get(t, h, "/api/v1/articles/story-in-review"); rec.Code != 200 {
			t.Errorf("the published story: %d", rec.Code)
		}
	})
	t.Run("a withdrawal shows at once", func(t *testing.T) {
		if rec := get(t, h, "/api/v1/articles/published-story"); rec.Code != 200 {
			t.Fatalf("before: %d", rec.Code)
		}
		if _, err := a.db.ChangeStatus(ctx, fresh.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
			t.Fatal(err)
		}
		revalidate(t, true)
		if rec := get(t, h, "/api/v1/articles/published-story"); rec.Code != 404 {
			t.Errorf("the withdrawn story: %d", rec.Code)
		}
		if rec := get(t, h, "/api/v1/articles?q=corrected"); strings.Contains(rec.Body.String(), "published-story") {
			t.Errorf("search finds the withdrawn story: %s", rec.Body)
		}
	})
}

func TestAHeadRequestGetsTheHeadersOfItsGetWithoutTheBody(t *testing.T) {
	a, h := newTestApp(t)
	seed(t, a)
	for _, target := range []string{"/api/v1/articles?tag=politics", "/api/v1/articles/published-story", "/api/v1/feeds/rss.xml", "/sitemap.xml"} {
		t.Run(target, func(t *testing.T) {
			for round := range 2 { // the second HEAD comes from the response cache
				got := getWith(t, h, http.MethodHead, target, nil)
				want := get(t, h, target)
				if got.Code != 200 || got.Body.Len() != 0 {
					t.Fatalf("round %d: HEAD %d with %d bytes of body", round, got.Code, got.Body.Len())
				}
				for _, k := range []string{"ETag", "Content-Type", "Content-Length", "Cache-Control", "Surrogate-Key"} {
					if got.Header().Get(k) != want.Header().Get(k) {
						t.Errorf("round %d: %s %q on HEAD, %q on GET", round, k, got.Header().Get(k), want.Header().Get(k))
					}
				}
			}
			if rec := getWith(t, h, http.MethodHead, target, map[string]string{"If-None-Match": get(t, h, target).Header().Get("ETag")}); rec.Code != http.StatusNotModified {
				t.Errorf("conditional HEAD: %d", rec.Code)
			}
		})
	}
}

// TestReadsUnderConcurrentEditsNeverServeAnOldHeadline edits a published
// story again and again while other goroutines read the lists, the search
// and the story through both caches; after each edit returns, the next read
// of each must show it.
func TestReadsUnderConcurrentEditsNeverServeAnOldHeadline(t *testing.T) {
	a, h := newTestApp(t)
	f := seed(t, a)
	ctx := context.Background()
	targets := []string{"/api/v1/articles?tag=politics", "/api/v1/articles", "/api/v1/articles/published-story", "/api/v1/articles?q=edition"}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for i := range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for n := i; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if rec := get(t, h, targets[n%len(targets)]); rec.Code != 200 {
					t.Errorf("%s: %d", targets[n%len(targets)], rec.Code)
					return
				}
			}
		}()
	}
	cur := f.published
	for i := range 40 {
		e := cur.Edit
		e.Headline = fmt.Sprintf("Published story, edition %d", i)
		var err error
		if cur, err = a.db.UpdateArticle(ctx, cur.ID, content.Save{Update: true, Version: cur.Version, Edit: e}); err != nil {
			t.Fatal(err)
		}
		for _, target := range targets {
			if body := get(t, h, target).Body.String(); !strings.Contains(body, e.Headline+`"`) {
				t.Fatalf("after edit %d, %s still shows an older headline: %.300s", i, target, body)
			}
		}
	}
	close(stop)
	readers.Wait()
}

// TestTheConfiguredCachePolicyReachesTheAPI serves with cache_max_age and
// cache_stale_while_revalidate other than the defaults.
func TestTheConfiguredCachePolicyReachesTheAPI(t *testing.T) {
	a, _ := newTestApp(t)
	seed(t, a)
	a.cfg.CacheMaxAge, a.cfg.CacheStaleWhileRevalidate = 7, 11
	rec := get(t, newRouter(a), "/api/v1/articles")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=7, stale-while-revalidate=11" {
		t.Errorf("Cache-Control = %q, want the configured policy", cc)
	}
}
