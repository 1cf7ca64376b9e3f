package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"dateline/content"
)

// seedSearch imports published stories about a harbour (with tags, a
// featured one and different times), plus a draft and a withdrawn story
// that mention the same words.
func seedSearch(tb testing.TB, a *app) {
	tb.Helper()
	at := func(h int) *time.Time { v := time.Date(2026, 3, 1, h, 0, 0, 0, time.UTC); return &v }
	photo := []content.Photo{{URL: "/media/a.png", Caption: "Cap", Credit: "© Staff", Alt: "Quay"}}
	pub := func(headline, body string, h int, featured bool, tags ...string) content.Import {
		return content.Import{Status: content.StatusPublished, PublishedAt: at(h), Edit: content.Edit{
			Headline: headline, Standfirst: "Lead.", Body: body, Photos: photo, Tags: tags, Featured: featured}}
	}
	items := []content.Import{
		pub("Harbour council votes", "A close vote.", 1, false, "harbour"),
		pub("Ferry timetable", "The harbour council approved the summer service.", 2, true, "transport"),
		pub("Harbourmaster retires", "Forty years at the port; the code `<script>x</script>` stays.", 3, false, "harbour", "people"),
		{Status: content.StatusDraft, Edit: content.Edit{Headline: "Embargoed harbour council plan", Body: "Secret harbour plan."}},
		{Status: content.StatusUnpublished, PublishedAt: at(4), Edit: content.Edit{Headline: "Withdrawn harbour council story", Body: "Gone.", Photos: photo}},
	}
	for i := range 30 {
		items = append(items, pub(fmt.Sprintf("Tide report %02d", i), "The tide at the harbour.", 5+i%7, i%2 == 0, "tides"))
	}
	if _, err := a.db.Import(context.Background(), items, ""); err != nil {
		tb.Fatal(err)
	}
}

func TestSearchThroughTheAPI(t *testing.T) { onEachStore(t, testSearchThroughTheAPI) }

func testSearchThroughTheAPI(t *testing.T, store testStore) {
	a, h := newTestAppOn(t, store, time.Now)
	seedSearch(t, a)
	tests := []struct {
		name     string
		query    string
		status   int
		contains []string
		excludes []string
	}{
		{"a headline match comes before a body-only match", "q=harbour+council", 200,
			[]string{`"slug":"harbour-council-votes"`, `"slug":"ferry-timetable"`, `<mark>Harbour</mark> <mark>council</mark>`}, []string{"Embargoed", "Withdrawn"}},
		{"a phrase", `q="council+votes"`, 200, []string{"harbour-council-votes"}, []string{"ferry-timetable"}},
		{"a prefix", "q=harbourm*", 200, []string{"harbourmaster-retires"}, []string{"harbour-council-votes"}},
		{"search with a tag", "q=harb*&tag=people", 200, []string{"harbourmaster-retires"}, []string{"harbour-council-votes", "ferry"}},
		{"search with featured", "q=council&featured=true", 200, []string{"ferry-timetable"}, []string{"harbour-council-votes"}},
		{"search with since and until", "q=harbour&since=2026-03-01T02:00:00Z&until=2026-03-01T03:00:00Z", 200,
			[]string{"ferry-timetable"}, []string{"harbour-council-votes", "harbourmaster"}},
		{"search with an author nobody is", "q=harbour&author=nobody", 200, []string{`"articles":[]`}, nil},
		{"snippets escape the story's text", "q=script", 200, []string{`&lt;<mark>script</mark>&gt;`}, []string{"<script"}},
		{"drafts never match", "q=embargoed", 200, []string{`"articles":[]`}, nil},
		{"withdrawn stories never match", "q=withdrawn", 200, []string{`"articles":[]`}, nil},
		{"search syntax is only words", `q=harbour+OR+NEAR(+"`, 200, []string{`"articles":[]`}, nil},
		{"a query without words is refused naming q", "q=%22%22+*", 400, []string{`"field":"q"`}, nil},
		{"a one-letter prefix is refused naming q", "q=h*", 400, []string{`"field":"q"`}, nil},
		{"a query too long is refused naming q", "q=" + strings.Repeat("x", 201), 400, []string{`"field":"q"`}, nil},
		{"a list cursor is refused for a search", "q=harbour&cursor=" + content.Cursor{ID: "x"}.Encode(), 400, []string{`"field":"cursor"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, "/api/v1/articles?"+tt.query)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
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
	t.Run("a search cursor is refused for a plain list", func(t *testing.T) {
		r := int64(1)
		if rec := get(t, h, "/api/v1/articles?cursor="+content.Cursor{ID: "x", Rank: &r}.Encode()); rec.Code != 400 {
			t.Fatalf("status %d", rec.Code)
		}
	})
	t.Run("the headline match is first", func(t *testing.T) {
		var out struct{ Articles []struct{ Slug string } }
		decode(t, get(t, h, "/api/v1/articles?q=harbour+council"), &out)
		if len(out.Articles) != 2 || out.Articles[0].Slug != "harbour-council-votes" {
			t.Fatalf("order: %+v", out.Articles)
		}
	})
}

func TestSearchPagingWithFiltersNeverRepeatsOrSkips(t *testing.T) {
	onEachStore(t, testSearchPagingWithFiltersNeverRepeatsOrSkips)
}

func testSearchPagingWithFiltersNeverRepeatsOrSkips(t *testing.T, store testStore) {
	a, h := newTestAppOn(t, store, time.Now)
	seedSearch(t, a)
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"q=harbour", 32},
		{"q=tide+harbour&tag=tides", 30},
		{"q=harbour&featured=true", 16},
	} {
		seen := map[string]bool{}
		target := "/api/v1/articles?limit=3&" + tc.query
		for range 30 {
			var out struct {
				Articles []struct{ Slug string }
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
					t.Fatalf("%s repeats %s", tc.query, art.Slug)
				}
				seen[art.Slug] = true
			}
			if out.Meta.NextCursor == "" {
				break
			}
			target = "/api/v1/articles?limit=3&" + tc.query + "&cursor=" + url.QueryEscape(out.Meta.NextCursor)
		}
		if len(seen) != tc.want {
			t.Errorf("%s: paged through %d stories, want %d", tc.query, len(seen), tc.want)
		}
	}
}
