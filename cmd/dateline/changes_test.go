package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/content"
)

func TestChangesFeed(t *testing.T) { onEachStore(t, testChangesFeed) }

func testChangesFeed(t *testing.T, store testStore) {
	a, h := newTestAppOn(t, store, time.Now)
	f := seed(t, a) // one story published then withdrawn, one published; drafts never show
	e := f.published.Edit
	e.Slug = "renamed-story"
	if _, err := a.db.UpdateArticle(context.Background(), f.published.ID, content.Save{Update: true, Version: f.published.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	type feed struct {
		Changes []struct {
			Type, ID, Slug string
			PreviousSlug   string `json:"previous_slug"`
		}
		Meta struct {
			Limit      int
			NextCursor string `json:"next_cursor"`
		}
	}
	page := func(target string) feed {
		t.Helper()
		rec := get(t, h, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		var out feed
		decode(t, rec, &out)
		return out
	}

	t.Run("the feed lists public changes in order with tombstones and no drafts", func(t *testing.T) {
		rec := get(t, h, "/api/v1/changes")
		for _, leak := range []string{"Embargoed", "embargoed-draft", "scheduled-story", "story-in-review", "body"} {
			if strings.Contains(rec.Body.String(), leak) {
				t.Errorf("feed shows %q: %s", leak, rec.Body)
			}
		}
		out := page("/api/v1/changes")
		var got []string
		for _, c := range out.Changes {
			got = append(got, c.Type+" "+c.Slug)
		}
		want := []string{"article.published withdrawn-story", "article.unpublished withdrawn-story", "article.published published-story", "article.updated renamed-story"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("changes %v, want %v", got, want)
		}
		if out.Changes[3].PreviousSlug != "published-story" || out.Meta.Limit != 100 || out.Meta.NextCursor == "" {
			t.Errorf("feed = %+v", out)
		}
	})
	t.Run("paging with the cursor neither skips nor repeats", func(t *testing.T) {
		var slugs []string
		target := "/api/v1/changes?limit=3"
		for range 3 {
			out := page(target)
			for _, c := range out.Changes {
				slugs = append(slugs, c.Type+" "+c.Slug)
			}
			target = "/api/v1/changes?limit=3&cursor=" + out.Meta.NextCursor
		}
		if len(slugs) != 4 {
			t.Errorf("paged through %v", slugs)
		}
	})
	t.Run("polling from the end returns nothing and the same cursor", func(t *testing.T) {
		end := page("/api/v1/changes").Meta.NextCursor
		out := page("/api/v1/changes?cursor=" + end)
		if len(out.Changes) != 0 || out.Meta.NextCursor != end {
			t.Errorf("from the end: %+v", out)
		}
	})
	bad := []struct{ name, target, field string }{
		{"an unknown parameter is refused", "/api/v1/changes?since=1", "since"},
		{"a limit above 1000 is refused", "/api/v1/changes?limit=1001", "limit"},
		{"a limit of zero is refused", "/api/v1/changes?limit=0", "limit"},
		{"a forged cursor is refused", "/api/v1/changes?cursor=bm9wZQ", "cursor"},
		{"an article list cursor is refused", "/api/v1/changes?cursor=" + content.Cursor{ID: "x"}.Encode(), "cursor"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.target)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"field":"`+tt.field+`"`) ||
				rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%d %s", rec.Code, rec.Body)
			}
		})
	}
}
