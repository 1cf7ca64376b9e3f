package delivery_test

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/content/delivery"
)

type urlSetDoc struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    *struct {
			Publication struct {
				Name     string `xml:"name"`
				Language string `xml:"language"`
			} `xml:"publication"`
			PublicationDate string `xml:"publication_date"`
			Title           string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"url"`
}

func (d urlSetDoc) locs() []string {
	var out []string
	for _, u := range d.URLs {
		out = append(out, u.Loc)
	}
	return out
}

type sitemapIndexDoc struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

func storyURL(slug string) string { return "https://news.example.org/api/v1/articles/" + slug }

func TestSitemapListsOnlyPublishedStories(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	rec := env.get(t, "/sitemap.xml")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("%d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var set urlSetDoc
	decodeSitemap(t, rec.Body.Bytes(), &set)
	want := []string{storyURL(s.old), storyURL(s.weather), storyURL(s.nasty)} // oldest first
	if got := set.locs(); !slices.Equal(got, want) {
		t.Errorf("sitemap = %q, want %q", got, want)
	}
	for _, u := range set.URLs {
		if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
			t.Errorf("lastmod %q: %v", u.LastMod, err)
		}
	}
	if body := rec.Body.String(); strings.Contains(body, s.draft) || strings.Contains(body, s.scheduled) ||
		strings.Contains(body, s.withdrawn) || strings.Contains(body, s.review) {
		t.Errorf("sitemap shows an unpublished story:\n%s", body)
	}
}

func TestSitemapBecomesAnIndexPastThePerFileLimit(t *testing.T) {
	env := newEnv(t, delivery.Options{SitemapSize: 3})
	env.seedMany(t, 7, "city", -time.Hour)
	var idx sitemapIndexDoc
	decodeSitemap(t, env.get(t, "/sitemap.xml").Body.Bytes(), &idx)
	var files []string
	for _, s := range idx.Sitemaps {
		files = append(files, s.Loc)
	}
	wantFiles := []string{"https://news.example.org/sitemaps/1.xml", "https://news.example.org/sitemaps/2.xml", "https://news.example.org/sitemaps/3.xml"}
	if !slices.Equal(files, wantFiles) {
		t.Fatalf("index = %q, want %q", files, wantFiles)
	}
	tests := []struct {
		name   string
		target string
		want   []string
	}{
		{"the first file holds the oldest stories", "/sitemaps/1.xml", []string{"story-0000", "story-0001", "story-0002"}},
		{"the second file holds the next ones", "/sitemaps/2.xml", []string{"story-0003", "story-0004", "story-0005"}},
		{"the last file holds the rest", "/sitemaps/3.xml", []string{"story-0006"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var set urlSetDoc
			decodeSitemap(t, env.get(t, tt.target).Body.Bytes(), &set)
			var want []string
			for _, slug := range tt.want {
				want = append(want, storyURL(slug))
			}
			if got := set.locs(); !slices.Equal(got, want) {
				t.Errorf("%s = %q, want %q", tt.target, got, want)
			}
		})
	}
	for _, target := range []string{"/sitemaps/4.xml", "/sitemaps/0.xml", "/sitemaps/01.xml", "/sitemaps/x.xml", "/sitemaps/1.txt"} {
		if rec := env.get(t, target); rec.Code != 404 {
			t.Errorf("%s: %d, want 404", target, rec.Code)
		}
	}
}

func TestSitemapStaysAURLSetAtExactlyTheLimit(t *testing.T) {
	env := newEnv(t, delivery.Options{SitemapSize: 3})
	env.seedMany(t, 3, "city", -time.Hour)
	var set urlSetDoc
	decodeSitemap(t, env.get(t, "/sitemap.xml").Body.Bytes(), &set)
	if len(set.URLs) != 3 {
		t.Errorf("%d URLs, want 3", len(set.URLs))
	}
}

func TestNewsSitemapCoversTwoDaysOfPublishedStories(t *testing.T) {
	env := newEnv(t, delivery.Options{Language: "en-GB"})
	s := env.seed(t)
	rec := env.get(t, "/news-sitemap.xml")
	var set urlSetDoc
	decodeSitemap(t, rec.Body.Bytes(), &set)
	// The three-day-old story is out of the window; drafts, scheduled and
	// withdrawn stories never show.
	want := []string{storyURL(s.nasty), storyURL(s.weather)}
	if got := set.locs(); !slices.Equal(got, want) {
		t.Fatalf("news sitemap = %q, want %q", got, want)
	}
	n := set.URLs[1].News
	if n == nil || n.Publication.Name != "The Harbour Gazette" || n.Publication.Language != "en" ||
		n.Title != "Fog over the estuary" || n.PublicationDate != now.Add(-3*time.Hour).Format(time.RFC3339) {
		t.Errorf("news entry = %+v", n)
	}
	if set.URLs[0].News.Title != strings.ReplaceAll(nastyHeadline, "\uFFFE", "") {
		t.Errorf("nasty title = %q", set.URLs[0].News.Title)
	}
}

func TestNewsSitemapWindowEdges(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	env.seedMany(t, 1, "edge-in", -delivery.NewsWindow)              // exactly two days ago
	env.seedMany(t, 1, "edge-out", -delivery.NewsWindow-time.Second) // a second before
	var set urlSetDoc
	decodeSitemap(t, env.get(t, "/news-sitemap.xml").Body.Bytes(), &set)
	if len(set.URLs) != 1 {
		t.Errorf("news sitemap = %q, want only the story published exactly two days ago", set.locs())
	}
}

func TestNewsSitemapStopsAtOneThousandStories(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 1,001 stories")
	}
	env := newEnv(t, delivery.Options{})
	env.seedMany(t, delivery.NewsSitemapURLs+1, "busy-day", -2*time.Hour)
	var set urlSetDoc
	decodeSitemap(t, env.get(t, "/news-sitemap.xml").Body.Bytes(), &set)
	if len(set.URLs) != delivery.NewsSitemapURLs {
		t.Fatalf("%d URLs, want %d", len(set.URLs), delivery.NewsSitemapURLs)
	}
	if newest := storyURL(fmt.Sprintf("story-%04d", delivery.NewsSitemapURLs)); set.URLs[0].Loc != newest {
		t.Errorf("first URL %q, want the newest %q", set.URLs[0].Loc, newest)
	}
}
