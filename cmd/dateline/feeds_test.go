package main

import (
	"strings"
	"testing"
)

func TestArticleURLConfig(t *testing.T) {
	tests := []struct {
		name, value string
		ok          bool
	}{
		{"empty means the API URL", "", true},
		{"an absolute pattern with {slug} is taken", "https://example.com/news/{slug}", true},
		{"a pattern without {slug} is refused", "https://example.com/news/", false},
		{"a relative pattern is refused", "/news/{slug}", false},
		{"another scheme is refused", "ftp://example.com/{slug}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(commonFlags{}, envOf(map[string]string{"DATELINE_ARTICLE_URL": tt.value, "DATELINE_CONFIG": ""}))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "article_url") {
				t.Errorf("error %q does not name article_url", err)
			}
		})
	}
}

// The production router serves feeds, sitemaps, ninjs and the OpenAPI
// document with the configured site name and article URL pattern.
func TestFeedsAndSitemapsThroughTheRouter(t *testing.T) {
	a, _ := newTestApp(t)
	a.cfg.SiteName = "The Harbour Gazette"
	a.cfg.ArticleURL = "https://gazette.example.com/news/{slug}"
	h := newRouter(a)
	f := seed(t, a)
	tests := []struct {
		name, target, contentType string
		contains                  []string
	}{
		{"the RSS feed links to the frontend", "/api/v1/feeds/rss.xml", "application/rss+xml",
			[]string{"<title>The Harbour Gazette</title>", "<link>https://gazette.example.com/news/published-story</link>"}},
		{"a tag's Atom feed", "/api/v1/tags/weather/atom.xml", "application/atom+xml", []string{"Published story"}},
		{"the JSON feed", "/api/v1/feeds/feed.json", "application/feed+json", []string{`"version":"https://jsonfeed.org/version/1.1"`}},
		{"the sitemap", "/sitemap.xml", "application/xml", []string{"https://gazette.example.com/news/published-story"}},
		{"the news sitemap", "/news-sitemap.xml", "application/xml", []string{"<news:name>The Harbour Gazette</news:name>"}},
		{"a sitemap file", "/sitemaps/1.xml", "application/xml", []string{"published-story"}},
		{"ninjs", "/api/v1/articles/published-story?format=ninjs", "application/json", []string{`"pubstatus":"usable"`, `"located":"MOSCOW"`}},
		{"the OpenAPI document", "/api/v1/openapi.json", "application/json", []string{`"openapi": "3.1.0"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.target)
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), tt.contentType) {
				t.Fatalf("%d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			body := rec.Body.String()
			for _, s := range tt.contains {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %s", s)
				}
			}
			for _, hidden := range []string{f.draft.Slug, f.scheduled.Slug, f.withdrawn.Slug, f.review.Slug} {
				if strings.Contains(body, hidden) {
					t.Errorf("body shows %s", hidden)
				}
			}
		})
	}
}
