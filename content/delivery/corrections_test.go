package delivery_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"dateline/content/delivery"
)

type correctionPage struct {
	Corrections []struct {
		At          string `json:"at"`
		Text        string `json:"text"`
		ArticleSlug string `json:"article_slug"`
		Headline    string `json:"headline"`
	} `json:"corrections"`
	Meta struct {
		Limit      int    `json:"limit"`
		NextCursor string `json:"next_cursor"`
	} `json:"meta"`
}

func TestCorrectionsLogListsPublishedStoriesOnly(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	people := env.seedCredits(t, s)

	t.Run("the log lists the corrections of published stories, newest first, with each story", func(t *testing.T) {
		rec := env.get(t, "/api/v1/corrections")
		if rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		var page correctionPage
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, c := range page.Corrections {
			texts = append(texts, c.Text)
		}
		if !slices.Equal(texts, people.published) {
			t.Fatalf("corrections %q, want %q", texts, people.published)
		}
		first := page.Corrections[0]
		if first.At != "2026-03-10T12:04:00Z" || first.ArticleSlug != s.old || first.Headline != "Old harbour news" {
			t.Errorf("first entry %+v", first)
		}
		if page.Meta.Limit != 20 || page.Meta.NextCursor != "" {
			t.Errorf("meta %+v", page.Meta)
		}
		for _, leak := range append([]string{people.withdrawn, s.withdrawn, `"id"`, `"status"`}, s.hiddenHeadlines...) {
			if strings.Contains(rec.Body.String(), leak) {
				t.Errorf("the log shows %q: %s", leak, rec.Body)
			}
		}
	})
	t.Run("pages of one follow the cursor through each correction exactly once, in order", func(t *testing.T) {
		var texts []string
		target := "/api/v1/corrections?limit=1"
		for range 10 {
			rec := env.get(t, target)
			if rec.Code != 200 {
				t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
			}
			var page correctionPage
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
				t.Fatal(err)
			}
			for _, c := range page.Corrections {
				texts = append(texts, c.Text)
			}
			if page.Meta.NextCursor == "" {
				break
			}
			target = "/api/v1/corrections?limit=1&cursor=" + page.Meta.NextCursor
		}
		if !slices.Equal(texts, people.published) {
			t.Fatalf("paged %q, want %q", texts, people.published)
		}
	})

	var articleCursor struct {
		Meta struct {
			NextCursor string `json:"next_cursor"`
		}
	}
	if err := json.Unmarshal(env.get(t, "/api/v1/articles?limit=1").Body.Bytes(), &articleCursor); err != nil || articleCursor.Meta.NextCursor == "" {
		t.Fatalf("no article list cursor: %v", err)
	}
	for _, tt := range []struct {
		name, target string
		fields       []string
	}{
		{"a limit of zero is refused", "/api/v1/corrections?limit=0", []string{"limit"}},
		{"a limit above the maximum is refused", "/api/v1/corrections?limit=101", []string{"limit"}},
		{"a limit that is not a number is refused", "/api/v1/corrections?limit=ten", []string{"limit"}},
		{"a forged cursor is refused", "/api/v1/corrections?cursor=bm9wZQ", []string{"cursor"}},
		{"a cursor that is not base64 is refused", "/api/v1/corrections?cursor=%25%25", []string{"cursor"}},
		{"a cursor of the article list is refused", "/api/v1/corrections?cursor=" + articleCursor.Meta.NextCursor, []string{"cursor"}},
		{"unknown parameters are refused by name", "/api/v1/corrections?tag=harbour&status=unpublished", []string{"status", "tag"}},
		{"every bad parameter is named at once", "/api/v1/corrections?limit=-1&cursor=x&q=fog", []string{"q", "limit", "cursor"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.get(t, tt.target)
			if rec.Code != 400 || rec.Header().Get("Content-Type") != "application/problem+json" || rec.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("%d %v %s", rec.Code, rec.Header(), rec.Body)
			}
			var p delivery.Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
			}
			if p.Code != "invalid" || p.Status != 400 || !slices.Equal(fields, tt.fields) {
				t.Errorf("problem %+v, want fields %q", p, tt.fields)
			}
		})
	}
}
