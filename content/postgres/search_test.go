package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/postgres"
)

var published = []content.Status{content.StatusPublished}

// publish stores and publishes a story with headline, standfirst and body
// at the instant at.
func publish(t *testing.T, db *postgres.DB, at time.Time, headline, standfirst, body string) *content.Article {
	t.Helper()
	ctx := context.Background()
	e := readyEdit(headline)
	e.Standfirst, e.Body = standfirst, body
	a, err := db.CreateArticle(ctx, e, "")
	if err != nil {
		t.Fatal(err)
	}
	a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished, At: at})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// search returns the headlines of the hits of query, in order.
func search(t *testing.T, db *postgres.DB, query string) []string {
	t.Helper()
	as, err := db.Articles(context.Background(), content.ArticleFilter{Query: query, Statuses: published})
	if err != nil {
		t.Fatalf("search %q: %v", query, err)
	}
	out := []string{}
	for _, a := range as {
		out = append(out, a.Headline)
	}
	return out
}

// searchPages returns the headlines of every hit of query, read in pages
// of size, each page asked with the cursor of the one before.
func searchPages(t *testing.T, db *postgres.DB, query string, size int) []string {
	t.Helper()
	var got []string
	var after *content.Cursor
	for range 100 {
		as, err := db.Articles(context.Background(), content.ArticleFilter{Query: query, Statuses: published, Limit: size, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			got = append(got, a.Headline)
		}
		if len(as) < size {
			break
		}
		last := as[len(as)-1]
		after = &content.Cursor{Time: *last.PublishedAt, ID: last.ID, Rank: &last.Match.Rank}
	}
	return got
}

func TestSearchRanksHeadlineHitsAboveStandfirstAndBodyHitsThenNewestFirst(t *testing.T) {
	db := openStore(t, migrated(t), fixed(start))
	publish(t, db, start, "Council meets", "Budget talks", "The lighthouse keeper spoke.")
	publish(t, db, start.Add(time.Hour), "Lighthouse keeper retires", "After forty years", "He leaves the rock.")
	publish(t, db, start.Add(2*time.Hour), "Ferry timetable", "The lighthouse stays lit", "Nothing else.")
	publish(t, db, start.Add(3*time.Hour), "Lighthouse reopens", "Visitors return", "Tours start.")
	got := strings.Join(search(t, db, "lighthouse"), " | ")
	want := "Lighthouse reopens | Lighthouse keeper retires | Ferry timetable | Council meets"
	if got != want {
		t.Errorf("hits %s, want %s", got, want)
	}
}

func TestSearchMatchesPhrasesAndPrefixes(t *testing.T) {
	db := openStore(t, migrated(t), fixed(start))
	publish(t, db, start, "Dredging at the north quay", "Work starts", "Boats wait.")
	publish(t, db, start.Add(time.Minute), "Quay repairs in the north", "Later", "Boats wait.")
	publish(t, db, start.Add(2*time.Minute), "Harbourmaster named", "A new face", "The harbour board chose.")
	tests := []struct{ query, want string }{
		{`"north quay"`, "Dredging at the north quay"},
		{`north quay`, "Dredging at the north quay | Quay repairs in the north"}, // the words together rank higher
		{`harb*`, "Harbourmaster named"},
		{`"harbour board" chose`, "Harbourmaster named"},
		{`"quay north"`, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(search(t, db, tt.query), " | "); got != tt.want {
			t.Errorf("search %s: %q, want %q", tt.query, got, tt.want)
		}
	}
	_, err := db.Articles(context.Background(), content.ArticleFilter{Query: "h*", Statuses: published})
	if content.ErrorCode(err) != content.EINVALID {
		t.Errorf("a one-letter prefix: %v, want %s", err, content.EINVALID)
	}
}

func TestSearchSnippetsMarkTheMatchedWordsAndCarryNoRawHTML(t *testing.T) {
	db := openStore(t, migrated(t), fixed(start))
	publish(t, db, start, "Market day", "Stalls return", "Traders wrote the code `<script>alert(1)</script>` and `<b>bold</b>` on the market board.")
	as, err := db.Articles(context.Background(), content.ArticleFilter{Query: "script alert", Statuses: published})
	if err != nil || len(as) != 1 || as[0].Match == nil {
		t.Fatalf("%d hits, %v", len(as), err)
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
	if as[0].Match.Rank <= 0 {
		t.Errorf("rank %d, want a positive relevance", as[0].Match.Rank)
	}
}

func TestSearchPagesWithACursorNeverRepeatOrSkip(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, migrated(t), fixed(start))
	for i := range 11 {
		body := "Nothing here."
		headline := fmt.Sprintf("Story %02d", i)
		switch i % 3 {
		case 0:
			headline += " about the tide"
		case 1:
			body = "The tide was high. The tide came in."
		default:
			body = "On the tide."
		}
		publish(t, db, start.Add(time.Duration(i)*time.Minute), headline, "Lead", body)
	}
	want := search(t, db, "tide")
	if len(want) != 11 {
		t.Fatalf("%d hits in one page, want 11", len(want))
	}
	got := searchPages(t, db, "tide", 4)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("pages of 4 gave %v, want %v", got, want)
	}
	_, err := db.Articles(ctx, content.ArticleFilter{Query: "tide", Statuses: published, After: &content.Cursor{Time: start, ID: "x"}})
	if content.ErrorCode(err) != content.EINVALID {
		t.Errorf("a cursor without a rank: %v, want %s", err, content.EINVALID)
	}
}

func TestSearchNeverFindsAStoryReadersCannotSee(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, migrated(t), fixed(start))
	a := publish(t, db, start, "Harbourmaster resigns", "Lead", "Text.")
	b := publish(t, db, start, "Harbourmaster returns", "Lead", "Text.")
	if got := search(t, db, "harbourmaster"); len(got) != 2 {
		t.Fatalf("hits %v, want both", got)
	}
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: published, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteArticle(ctx, b.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := search(t, db, "harbourmaster"); len(got) != 0 {
		t.Errorf("a withdrawn and a deleted story are found: %v", got)
	}
}

func TestSearchFollowsTheNewsroomLanguageWithSimpleAsFallback(t *testing.T) {
	ctx := context.Background()
	url := migrated(t)
	en, err := postgres.Open(ctx, url, postgres.Options{Now: fixed(start), Language: "en-GB"})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, en, start, "Lighthouse keeper retires", "Lead", "He retired after forty years.")
	if got := search(t, en, "retiring"); len(got) != 1 {
		t.Errorf("English stems: %q finds %v, want the story", "retiring", got)
	}
	en.Close()

	// A language PostgreSQL has no configuration for searches words as
	// they are; Open rebuilt the index for it.
	xx, err := postgres.Open(ctx, url, postgres.Options{Now: fixed(start), Language: "tlh"})
	if err != nil {
		t.Fatal(err)
	}
	defer xx.Close()
	if got := search(t, xx, "retiring"); len(got) != 0 {
		t.Errorf("the simple configuration stems: %q finds %v", "retiring", got)
	}
	if got := search(t, xx, "retires"); len(got) != 1 {
		t.Errorf("the simple configuration: %q finds %v, want the story", "retires", got)
	}

	ru, err := postgres.Open(ctx, url, postgres.Options{Now: fixed(start), Language: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	defer ru.Close()
	publish(t, ru, start.Add(time.Hour), "Маяк закрыт", "Смотритель ушёл", "Смотрители маяков уходят на пенсию.")
	if got := search(t, ru, "маяки"); len(got) != 1 {
		t.Errorf("Russian stems: %q finds %v, want the story", "маяки", got)
	}
}

// windowStore opens a migrated store whose searches rank the newest size
// matches.
func windowStore(t *testing.T, size int) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), migrated(t), postgres.Options{Now: fixed(start), SearchWindow: size})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSearchRanksTheNewestMatchesAndPagesOverTheWindowsEdge(t *testing.T) {
	ctx := context.Background()
	db := windowStore(t, 3)
	// Eight matches a minute apart, oldest first; the even ones name the
	// word in their headline, which ranks above a body-only match.
	for i := range 8 {
		headline, body := fmt.Sprintf("Story %d", i), "The ferry is late."
		if i%2 == 0 {
			headline += " on the ferry"
		}
		publish(t, db, start.Add(time.Duration(i)*time.Minute), headline, "Lead", body)
	}
	// The window is the newest three (7, 6, 5), by relevance: 6 (headline)
	// first; then the older five, newest first, whatever their relevance.
	older := "Story 5|Story 4 on the ferry|Story 3|Story 2 on the ferry|Story 1|Story 0 on the ferry"
	for i, query := range []string{"ferry", `"the ferry"`} { // a word, and a phrase (planned apart)
		want := "Story 6 on the ferry|Story 7|" + older
		if i == 1 { // the story 9 the first round published is in the window now
			want = "Story 9 on the ferry|Story 6 on the ferry|Story 7|" + older
		}
		if got := strings.Join(search(t, db, query), "|"); got != want {
			t.Fatalf("%s, one page:\n got %s\nwant %s", query, got, want)
		}
		var got []string
		var after *content.Cursor
		for page := range 10 {
			if page == 1 { // a new match published between two pages changes neither
				publish(t, db, start.Add(time.Duration(i+1)*time.Hour), fmt.Sprintf("Story %d on the ferry", 9+i), "Lead", "The ferry.")
			}
			as, err := db.Articles(ctx, content.ArticleFilter{Query: query, Statuses: published, Limit: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range as {
				got = append(got, a.Headline)
			}
			if len(as) < 2 {
				break
			}
			last := as[len(as)-1]
			after = &content.Cursor{Time: *last.PublishedAt, ID: last.ID, Rank: &last.Match.Rank}
		}
		if strings.Join(got, "|") != want {
			t.Errorf("%s, pages of two:\n got %s\nwant %s", query, strings.Join(got, "|"), want)
		}
	}
}

// A phrase's recheck and a word's window read whole search documents;
// kept in the row, each is read with the row instead of through the TOAST
// table (migration 0011).
func TestASearchDocumentIsKeptInItsStorysRow(t *testing.T) {
	url := migrated(t)
	ctx := context.Background()
	c := connect(t, url)
	var storage string
	if err := c.QueryRow(ctx, `SELECT attstorage FROM pg_attribute WHERE attrelid = 'articles'::regclass AND attname = 'search'`).Scan(&storage); err != nil {
		t.Fatal(err)
	}
	if storage != "m" {
		t.Errorf("articles.search has storage %q, want m (main: in the row)", storage)
	}
}

// The window holds every match of the second its last story was
// published in, whichever of them the newest-first read reached.
func TestSearchWindowTakesEveryMatchOfItsFirstSecond(t *testing.T) {
	db := windowStore(t, 3)
	second := start.Add(time.Hour)
	publish(t, db, second.Add(-time.Minute), "Older on the ferry", "Lead", "The ferry.") // past the window, for all its relevance
	for _, h := range []string{"Tie one on the ferry", "Tie two on the ferry", "Tie three"} {
		publish(t, db, second, h, "Lead", "The ferry is late.")
	}
	publish(t, db, second.Add(time.Minute), "Newer", "Lead", "The ferry is late.")
	publish(t, db, second.Add(2*time.Minute), "Newest", "Lead", "The ferry is late.")
	for _, query := range []string{"ferry", `"the ferry"`} {
		one := search(t, db, query)
		if len(one) != 6 || one[5] != "Older on the ferry" {
			t.Fatalf("%s: %q, want the six matches with the older one last", query, one)
		}
		inHeadline := map[string]bool{one[0]: true, one[1]: true}
		if !inHeadline["Tie one on the ferry"] || !inHeadline["Tie two on the ferry"] {
			t.Errorf("%s: %q, want the two ties naming the ferry in their headline first", query, one)
		}
		paged := searchPages(t, db, query, 2)
		if strings.Join(paged, "|") != strings.Join(one, "|") {
			t.Errorf("%s, pages of two:\n got %s\nwant %s", query, strings.Join(paged, "|"), strings.Join(one, "|"))
		}
	}
}

// Every filter of the delivery API's list narrows a search too.
func TestSearchTakesTheListFilters(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, migrated(t), fixed(start))
	mk := func(at time.Time, headline, tag string, featured bool) {
		t.Helper()
		e := readyEdit(headline)
		e.Body, e.Tags, e.Featured = "The regatta starts at noon.", []string{tag}, featured
		a, err := db.CreateArticle(ctx, e, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	mk(start, "Regatta route", "Sailing", false)
	mk(start.Add(time.Hour), "Regatta winners", "Sailing", true)
	mk(start.Add(2*time.Hour), "Regatta parking", "Traffic", false)
	since, until, yes := start.Add(30*time.Minute), start.Add(90*time.Minute), true
	tests := []struct {
		name string
		f    content.ArticleFilter
		want string
	}{
		{"by tag", content.ArticleFilter{Tags: []string{"sailing"}}, "Regatta winners|Regatta route"},
		{"featured", content.ArticleFilter{Featured: &yes}, "Regatta winners"},
		{"since and until", content.ArticleFilter{Since: &since, Until: &until}, "Regatta winners"},
		{"by tag, several", content.ArticleFilter{Tags: []string{"traffic", "sailing"}}, "Regatta parking|Regatta winners|Regatta route"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.Query, tc.f.Statuses = "regatta", published
			as, err := db.Articles(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range as {
				got = append(got, a.Headline)
			}
			if strings.Join(got, "|") != tc.want {
				t.Errorf("got %s, want %s", strings.Join(got, "|"), tc.want)
			}
		})
	}
}
