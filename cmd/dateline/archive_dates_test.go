package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/content"
)

// element returns the first <tag>…</tag> (or {…} object for JSON) chunk
// of body that contains needle, or "".
func element(body, open, closing, needle string) string {
	for rest := body; ; {
		i := strings.Index(rest, open)
		if i < 0 {
			return ""
		}
		j := strings.Index(rest[i:], closing)
		if j < 0 {
			return ""
		}
		chunk := rest[i : i+j+len(closing)]
		if strings.Contains(chunk, needle) {
			return chunk
		}
		rest = rest[i+j+len(closing):]
	}
}

func TestArchivedStoriesKeepTheirDatesInFeedsAndSitemaps(t *testing.T) {
	ctx := context.Background()
	a, h := newTestApp(t)
	pub, upd := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC), time.Date(2016, 9, 9, 9, 0, 0, 0, time.UTC)
	archive := &content.ImportedStory{SourceID: "101", Import: content.Import{Status: content.StatusPublished, PublishedAt: &pub, UpdatedAt: &upd,
		CreatedAt: &pub, Edit: content.Edit{Slug: "harbour-reopens-2016", Headline: "Harbour reopens", Body: "From the archive.", Tags: []string{"Harbour"}}}}
	if rs, err := a.db.ImportStories(ctx, []*content.ImportedStory{archive}, content.ImportOptions{Source: "wxr:https://old.example.org"}); err != nil || rs[0].Err != nil {
		t.Fatalf("import: %+v %v", rs, err)
	}
	asOf := time.Date(2015, 3, 1, 12, 0, 0, 0, time.UTC)
	agency, err := a.db.CreateArticle(ctx, content.Edit{Slug: "agency-copy-2015", Headline: "Agency copy", Body: "Filed in 2015.", Tags: []string{"Harbour"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.ChangeStatus(ctx, agency.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished, PublishedAt: &asOf}); err != nil {
		t.Fatal(err)
	}
	fresh, err := a.db.CreateArticle(ctx, content.Edit{Slug: "todays-news", Headline: "Today's news", Body: "New.", Tags: []string{"Harbour"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.ChangeStatus(ctx, fresh.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	body := func(path string) string {
		t.Helper()
		w := get(t, h, path)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body.String())
		}
		return w.Body.String()
	}
	cases := []struct {
		name, path, open, closing, needle, want string
	}{
		{"the sitemap's lastmod of an imported story is its own update", "/sitemap.xml", "<url>", "</url>", "harbour-reopens-2016", "<lastmod>2016-09-09T09:00:00Z</lastmod>"},
		{"the sitemap's lastmod of a backdated story is its publication", "/sitemap.xml", "<url>", "</url>", "agency-copy-2015", "<lastmod>2015-03-01T12:00:00Z</lastmod>"},
		{"Atom's updated of an imported story is its own update", "/api/v1/feeds/atom.xml", "<entry>", "</entry>", "harbour-reopens-2016", "<updated>2016-09-09T09:00:00Z</updated>"},
		{"Atom's published of an imported story is its publication", "/api/v1/feeds/atom.xml", "<entry>", "</entry>", "harbour-reopens-2016", "<published>2016-09-08T05:43:00Z</published>"},
		{"JSON Feed's date_modified of an imported story is its own update", "/api/v1/feeds/feed.json", "{\"id\"", "}", "harbour-reopens-2016", `"date_modified":"2016-09-09T09:00:00Z"`},
		{"ninjs's versioncreated of an imported story is its own update", "/api/v1/articles/harbour-reopens-2016?format=ninjs", "{", "}", "", `"versioncreated":"2016-09-09T09:00:00Z"`},
		{"the story's updated_at is its own update", "/api/v1/articles/harbour-reopens-2016", "{", "}", "", `"updated_at":"2016-09-09T09:00:00Z"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := body(tc.path)
			chunk := b
			if tc.needle != "" {
				chunk = element(b, tc.open, tc.closing, tc.needle)
			}
			if !strings.Contains(chunk, tc.want) {
				t.Errorf("%s lacks %s for the story:\n%s", tc.path, tc.want, chunk)
			}
		})
	}
	t.Run("a 2016 story is not news today; today's story is", func(t *testing.T) {
		b := body("/news-sitemap.xml")
		if strings.Contains(b, "harbour-reopens-2016") || strings.Contains(b, "agency-copy-2015") {
			t.Errorf("the news sitemap lists an archived story:\n%s", b)
		}
		if !strings.Contains(b, "todays-news") {
			t.Errorf("the news sitemap lacks today's story:\n%s", b)
		}
	})
}
