package delivery_test

import (
	"strings"
	"testing"
	"time"

	"dateline/content/delivery"
)

// decodeSitemap checks that body is a valid sitemap or sitemap index by
// the published schemas, then decodes it into v.
func decodeSitemap(t *testing.T, body []byte, v any) {
	t.Helper()
	checkSitemapXML(t, body)
	decodeXML(t, body, v)
}

func TestSitemapsAreValidByThePublishedSchemas(t *testing.T) {
	tests := []struct {
		name    string
		seed    func(*testEnv)
		size    int
		targets []string
	}{
		{"a newsroom without published stories still gives valid sitemaps", func(env *testEnv) {}, 0,
			[]string{"/sitemap.xml", "/sitemaps/1.xml", "/news-sitemap.xml"}},
		{"a newsroom whose stories are all older than two days gives a valid news sitemap", func(env *testEnv) {
			env.seedMany(t, 3, "harbour", -10*24*time.Hour)
		}, 0, []string{"/sitemap.xml", "/news-sitemap.xml"}},
		{"a newsroom with published stories gives valid sitemaps", func(env *testEnv) { env.seed(t) }, 0,
			[]string{"/sitemap.xml", "/sitemaps/1.xml", "/news-sitemap.xml"}},
		{"past the per-file limit the index and every file are valid", func(env *testEnv) { env.seed(t) }, 2,
			[]string{"/sitemap.xml", "/sitemaps/1.xml", "/sitemaps/2.xml", "/news-sitemap.xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, delivery.Options{SitemapSize: tt.size})
			tt.seed(env)
			for _, target := range tt.targets {
				rec := env.get(t, target)
				if rec.Code != 200 {
					t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
				}
				checkSitemapXML(t, rec.Body.Bytes())
			}
		})
	}
}

func TestAnEmptySitemapListsTheHomePage(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	for _, target := range []string{"/sitemap.xml", "/news-sitemap.xml"} {
		var set urlSetDoc
		decodeSitemap(t, env.get(t, target).Body.Bytes(), &set)
		if got := set.locs(); len(got) != 1 || got[0] != "https://news.example.org/" || set.URLs[0].News != nil {
			t.Errorf("%s lists %q, want only the home page without news tags", target, got)
		}
	}
}

// The validator must refuse what the schemas refuse, or the checks above
// prove nothing.
func TestTheSitemapValidatorRefusesWhatTheSchemasRefuse(t *testing.T) {
	const (
		head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
		ns   = `xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"`
		news = `xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"`
		item = `<news:news><news:publication><news:name>Gazette</news:name><news:language>%s</news:language></news:publication>` +
			`<news:publication_date>%s</news:publication_date><news:title>T</news:title></news:news>`
	)
	newsURL := func(lang, date string) string {
		return head + `<urlset ` + ns + ` ` + news + `><url><loc>https://news.example.org/a</loc>` +
			strings.Replace(strings.Replace(item, "%s", lang, 1), "%s", date, 1) + `</url></urlset>`
	}
	tests := []struct {
		name, doc string
		valid     bool
	}{
		{"a urlset with one URL is valid", head + `<urlset ` + ns + `><url><loc>https://news.example.org/a</loc><lastmod>2026-03-10T12:00:00Z</lastmod></url></urlset>`, true},
		{"a news URL is valid", newsURL("en", "2026-03-10T12:00:00+03:00"), true},
		{"a news URL in Simplified Chinese is valid", newsURL("zh-cn", "2026-03-10"), true},
		{"an empty urlset is invalid", head + `<urlset ` + ns + `></urlset>`, false},
		{"a loc shorter than twelve characters is invalid", head + `<urlset ` + ns + `><url><loc>http://a.b/</loc></url></urlset>`, false},
		{"a lastmod that is no W3C date is invalid", head + `<urlset ` + ns + `><url><loc>https://news.example.org/a</loc><lastmod>10 March 2026</lastmod></url></urlset>`, false},
		{"lastmod after changefreq is invalid", head + `<urlset ` + ns + `><url><loc>https://news.example.org/a</loc><changefreq>daily</changefreq><lastmod>2026-03-10</lastmod></url></urlset>`, false},
		{"an unknown changefreq is invalid", head + `<urlset ` + ns + `><url><loc>https://news.example.org/a</loc><changefreq>often</changefreq></url></urlset>`, false},
		{"a priority above one is invalid", head + `<urlset ` + ns + `><url><loc>https://news.example.org/a</loc><priority>1.5</priority></url></urlset>`, false},
		{"an element of another namespace no schema declares is invalid", head + `<urlset ` + ns + ` xmlns:x="urn:x"><url><loc>https://news.example.org/a</loc><x:y/></url></urlset>`, false},
		{"a news language that is no ISO 639 code is invalid", newsURL("English", "2026-03-10"), false},
		{"a news publication date without the day is invalid", newsURL("en", "2026-03"), false},
		{"a sitemap index without sitemaps is invalid", head + `<sitemapindex ` + ns + `></sitemapindex>`, false},
		{"a sitemap index with a sitemap is valid", head + `<sitemapindex ` + ns + `><sitemap><loc>https://news.example.org/sitemaps/1.xml</loc></sitemap></sitemapindex>`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := []string{"sitemap.xsd", "sitemap-news.xsd"}
			if strings.Contains(tt.doc, "<sitemapindex") {
				files = []string{"siteindex.xsd"}
			}
			errs := loadXSD(t, files...).validate([]byte(tt.doc))
			if (len(errs) == 0) != tt.valid {
				t.Errorf("valid = %v, want %v: %v", len(errs) == 0, tt.valid, errs)
			}
			if tt.valid {
				xmllint(t, map[bool]string{true: "siteindex.xsd", false: "urlset-with-news.xsd"}[len(files) == 1], []byte(tt.doc))
			}
		})
	}
}
