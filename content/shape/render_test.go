package shape_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/shape"
)

// story returns a published story as a full read loads it.
func story(body string) *content.Article {
	at := time.Date(2026, 9, 8, 5, 43, 0, 0, time.UTC)
	a := &content.Article{ID: "a1", Rendered: content.Render(body)}
	a.Slug, a.Headline = "harbour-reopens", "Harbour reopens"
	a.Dateline.Place, a.Dateline.TimeZone = "Tallinn", "Europe/Tallinn"
	a.PublishedAt, a.UpdatedAt = &at, at
	a.PageCount = len(a.Pages)
	a.Tags = []content.Tag{{Slug: "ports", Name: "Ports"}}
	a.Authors = []content.Author{{Slug: "mari", Name: "Mari"}}
	a.Photos = []content.Photo{{URL: "/media/quay.jpg", Alt: "The quay"}}
	a.Links = []content.RelatedLink{{Kind: content.LinkRelated, Title: "Earlier", ArticleID: "a0"},
		{Kind: content.LinkRelated, Title: "Gone", ArticleID: "a9"}}
	return a
}

func TestRenderMakesTheStoredShapes(t *testing.T) {
	r := shape.New(shape.Options{BaseURL: "https://news.example.org/", Zone: time.UTC})
	got, err := r.Render(story("The quay is open."), map[string]string{"a0": "harbour-closes"})
	if err != nil {
		t.Fatal(err)
	}
	var full map[string]any
	if err := json.Unmarshal(got.Full, &full); err != nil {
		t.Fatalf("full story is not JSON: %v\n%s", err, got.Full)
	}
	t.Run("the full story ends in a newline and the list item does not", func(t *testing.T) {
		if !strings.HasSuffix(string(got.Full), "}\n") || strings.HasSuffix(string(got.Summary), "\n") {
			t.Fatalf("full %q…, summary …%q", got.Full[len(got.Full)-3:], got.Summary[len(got.Summary)-3:])
		}
	})
	t.Run("media and internal links are absolute URLs on the base URL", func(t *testing.T) {
		if !strings.Contains(string(got.Full), `"url":"https://news.example.org/media/quay.jpg"`) ||
			!strings.Contains(string(got.Full), `"url":"https://news.example.org/api/v1/articles/harbour-closes"`) {
			t.Fatalf("missing absolute URLs:\n%s", got.Full)
		}
	})
	t.Run("links to stories that are not published are left out", func(t *testing.T) {
		if links := full["related_links"].([]any); len(links) != 1 {
			t.Fatalf("related_links = %v", links)
		}
	})
	t.Run("local times are in the dateline's zone", func(t *testing.T) {
		if full["published_at_local"] != "2026-09-08T08:43:00+03:00" {
			t.Fatalf("published_at_local = %v", full["published_at_local"])
		}
	})
	t.Run("the surrogate keys name the story, its slug, tags and authors", func(t *testing.T) {
		if got.Keys != "article:a1 slug:harbour-reopens tag:ports author:mari" {
			t.Fatalf("keys = %q", got.Keys)
		}
	})
	t.Run("HTML in bodies is not escaped", func(t *testing.T) {
		if !strings.Contains(string(got.Full), `"body_html":"<p>The quay is open.</p>`) {
			t.Fatalf("body_html escaped or missing:\n%s", got.Full)
		}
	})
}

func TestTheRenderKeyChangesWithWhatTheJSONDependsOn(t *testing.T) {
	tallinn, err := time.LoadLocation("Europe/Tallinn")
	if err != nil {
		t.Fatal(err)
	}
	base := shape.New(shape.Options{BaseURL: "https://a.example"}).Key()
	for name, o := range map[string]shape.Options{
		"another base URL": {BaseURL: "https://b.example"},
		"another zone":     {BaseURL: "https://a.example", Zone: tallinn},
	} {
		t.Run(name+" gives another key", func(t *testing.T) {
			if k := shape.New(o).Key(); k == base {
				t.Fatalf("key %q did not change", k)
			}
		})
	}
	t.Run("a trailing slash on the base URL gives the same key", func(t *testing.T) {
		if k := shape.New(shape.Options{BaseURL: "https://a.example/", Zone: time.UTC}).Key(); k != base {
			t.Fatalf("key %q, want %q", k, base)
		}
	})
	t.Run("the key names the shape version", func(t *testing.T) {
		if !strings.Contains(base, "shape="+shape.Version+" ") {
			t.Fatalf("key %q", base)
		}
	})
}
