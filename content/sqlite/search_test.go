package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

// searchFixture imports published stories whose text the tests search, one
// draft and one withdrawn story that mention the same words.
func searchFixture(t *testing.T) (*sqlite.DB, map[string]string) {
	t.Helper()
	db, _ := mustOpen(t)
	ctx := context.Background()
	at := func(h int) *time.Time { v := time.Date(2026, 2, 1, h, 0, 0, 0, time.UTC); return &v }
	pub := func(headline, standfirst, body string, h int, featured bool, tags ...string) content.Import {
		e := story(headline, tags...)
		e.Standfirst, e.Body, e.Featured = standfirst, body, featured
		return content.Import{Edit: e, Status: content.StatusPublished, PublishedAt: at(h)}
	}
	items := []content.Import{
		pub("Harbour council votes on the quay", "A long night.", "The vote was close.", 1, false, "Harbour"),
		pub("Ferry timetable changes", "Summer service.", "The harbour council approved it on Monday.", 2, true, "Transport"),
		pub("Harbourmaster retires", "After forty years.", "She ran the port.", 3, false, "Harbour", "People"),
		pub("Market report", "Fish prices.", "Nothing about councils here, but the code `<script>alert(1)</script>` & council `<b>talk</b>`.", 4, false, "Business"),
		{Edit: story("Draft about the harbour council", "Harbour"), Status: content.StatusDraft},
		{Edit: story("Withdrawn harbour council story", "Harbour"), Status: content.StatusUnpublished, PublishedAt: at(5)},
	}
	ids, err := db.Import(ctx, items, "")
	if err != nil {
		t.Fatal(err)
	}
	byHeadline := map[string]string{}
	for i, id := range ids {
		byHeadline[items[i].Edit.Headline] = id
	}
	return db, byHeadline
}

func headlines(as []*content.Article) string {
	var hs []string
	for _, a := range as {
		hs = append(hs, a.Headline)
	}
	return strings.Join(hs, " | ")
}

func TestSearchFindsPublishedStoriesByRelevanceThenRecency(t *testing.T) {
	db, _ := searchFixture(t)
	ctx := context.Background()
	yes, no := true, false
	since := time.Date(2026, 2, 1, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		f    content.ArticleFilter
		want string
	}{
		{"a headline match ranks above a body-only match", content.ArticleFilter{Query: "harbour council"},
			"Harbour council votes on the quay | Ferry timetable changes"},
		{"a phrase matches the words in order only", content.ArticleFilter{Query: `"council votes"`},
			"Harbour council votes on the quay"},
		{"a prefix matches longer words", content.ArticleFilter{Query: "harb*"},
			"Harbourmaster retires | Harbour council votes on the quay | Ferry timetable changes"},
		{"search combines with a tag", content.ArticleFilter{Query: "harb*", Tags: []string{"people"}},
			"Harbourmaster retires"},
		{"search combines with featured", content.ArticleFilter{Query: "harbour", Featured: &yes},
			"Ferry timetable changes"},
		{"search combines with not featured", content.ArticleFilter{Query: "harbour", Featured: &no},
			"Harbour council votes on the quay"},
		{"search combines with since", content.ArticleFilter{Query: "harbour", Since: &since},
			"Ferry timetable changes"},
		{"search combines with until", content.ArticleFilter{Query: "harbour", Until: &since},
			"Harbour council votes on the quay"},
		{"words are case- and punctuation-insensitive", content.ArticleFilter{Query: "HARBOUR-Council!"},
			"Harbour council votes on the quay | Ferry timetable changes"},
		{"search syntax typed by a reader is just words", content.ArticleFilter{Query: `council OR NEAR/2 ) ( market`},
			""},
		{"nothing matches a word no published story has", content.ArticleFilter{Query: "embargo"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			f.Statuses = published
			as, err := db.Articles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if got := headlines(as); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			for _, a := range as {
				if a.Match == nil || a.Match.Rank <= 0 {
					t.Errorf("%s: match %+v", a.Headline, a.Match)
				}
			}
		})
	}
}

func TestSearchNeverFindsUnpublishedStories(t *testing.T) {
	db, ids := searchFixture(t)
	ctx := context.Background()
	find := func() string {
		t.Helper()
		as, err := db.Articles(ctx, content.ArticleFilter{Query: "harbour", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return headlines(as)
	}
	if got := find(); strings.Contains(got, "Draft") || strings.Contains(got, "Withdrawn") {
		t.Fatalf("search shows unpublished stories: %s", got)
	}
	// Publishing, editing and withdrawing change the index in the same
	// transaction.
	draft := ids["Draft about the harbour council"]
	mustPublish(t, db, draft)
	if got := find(); !strings.Contains(got, "Draft about the harbour council") {
		t.Fatalf("a published story is not found: %s", got)
	}
	a, err := db.Article(ctx, content.ArticleFilter{ID: &draft})
	if err != nil {
		t.Fatal(err)
	}
	e := a.Edit
	e.Headline = "Renamed story about the quay"
	if _, err := db.UpdateArticle(ctx, draft, content.Save{Version: a.Version, Edit: e, Update: true}); err != nil {
		t.Fatal(err)
	}
	as, err := db.Articles(ctx, content.ArticleFilter{Query: "renamed"})
	if err != nil || len(as) != 1 {
		t.Fatalf("an edited headline is not found: %d %v", len(as), err)
	}
	if _, err := db.ChangeStatus(ctx, draft, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if as, _ := db.Articles(ctx, content.ArticleFilter{Query: "renamed"}); len(as) != 0 {
		t.Fatalf("a withdrawn story is found: %s", headlines(as))
	}
	// A deleted story leaves the index in the same transaction.
	if err := db.DeleteArticle(ctx, ids["Harbour council votes on the quay"], ""); err != nil {
		t.Fatal(err)
	}
	if got := find(); strings.Contains(got, "Harbour council votes") {
		t.Fatalf("a deleted story is found: %s", got)
	}
	// Even a row the index holds by mistake never leaks: reads check the status.
	if err := db.ExecForTest(ctx, "UPDATE articles SET status = 'draft' WHERE id = ?", ids["Harbourmaster retires"]); err != nil {
		t.Fatal(err)
	}
	if got := find(); strings.Contains(got, "Harbourmaster") {
		t.Fatalf("a story no longer published is found: %s", got)
	}
}

func TestSearchSnippetsMarkWordsAndCarryNoRawHTML(t *testing.T) {
	db, _ := searchFixture(t)
	as, err := db.Articles(context.Background(), content.ArticleFilter{Query: "market", Statuses: published, Full: true})
	if err != nil || len(as) != 1 {
		t.Fatalf("%d results, %v", len(as), err)
	}
	if !strings.Contains(as[0].Text, "<script>") {
		t.Fatalf("the fixture's text lacks the HTML the test needs: %q", as[0].Text)
	}
	as, err = db.Articles(context.Background(), content.ArticleFilter{Query: "script alert", Statuses: published})
	if err != nil || len(as) != 1 {
		t.Fatalf("%d results, %v", len(as), err)
	}
	s := as[0].Match.Snippet
	if !strings.Contains(s, "<mark>script</mark>") || !strings.Contains(s, "<mark>alert</mark>") {
		t.Errorf("snippet lacks marks: %q", s)
	}
	if strings.Contains(s, "<script") || strings.Contains(s, "<b>") || !strings.Contains(s, "&lt;b&gt;") {
		t.Errorf("snippet carries raw HTML: %q", s)
	}
	if strings.Count(s, "<") != strings.Count(s, "<mark>")+strings.Count(s, "</mark>") {
		t.Errorf("snippet has tags other than marks: %q", s)
	}
}

func TestSearchPagesNeverRepeatOrSkip(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	var items []content.Import
	for i := range 23 {
		e := story(fmt.Sprintf("Story %02d", i), "city")
		switch i % 3 {
		case 0:
			e.Headline += " about the tide"
		case 1:
			e.Body = "The tide was high. The tide came in."
		default:
			e.Standfirst = "On the tide."
		}
		p := at.Add(time.Duration(i/4) * time.Minute) // several stories per instant
		items = append(items, content.Import{Edit: e, Status: content.StatusPublished, PublishedAt: &p})
	}
	if _, err := db.Import(ctx, items, ""); err != nil {
		t.Fatal(err)
	}
	for _, tags := range [][]string{nil, {"city"}} {
		seen := map[string]bool{}
		var last *content.Match
		f := content.ArticleFilter{Query: "tide", Statuses: published, Tags: tags, Limit: 4}
		for range 10 {
			as, err := db.Articles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range as {
				if seen[a.ID] {
					t.Fatalf("page repeats %s", a.Headline)
				}
				seen[a.ID] = true
				if last != nil && a.Match.Rank > last.Rank {
					t.Fatalf("%s ranks %d after a rank of %d", a.Headline, a.Match.Rank, last.Rank)
				}
				last = a.Match
			}
			if len(as) < 4 {
				break
			}
			end := as[len(as)-1]
			f.After = &content.Cursor{Time: *end.PublishedAt, ID: end.ID, Rank: &end.Match.Rank}
		}
		if len(seen) != 23 {
			t.Errorf("tags %v: paged through %d stories, want 23", tags, len(seen))
		}
	}
}

func TestSearchRefusesACursorOfAnotherList(t *testing.T) {
	db, _ := searchFixture(t)
	_, err := db.Articles(context.Background(), content.ArticleFilter{Query: "harbour", After: &content.Cursor{Time: time.Now(), ID: "x"}})
	if content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("err = %v, want invalid", err)
	}
}
