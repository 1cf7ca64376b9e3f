package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

// stemFixture imports published stories in English and Russian, an hour
// apart in this order.
func stemFixture(t *testing.T, db *sqlite.DB) map[string]string {
	t.Helper()
	at := func(h int) *time.Time { v := time.Date(2026, 2, 1, h, 0, 0, 0, time.UTC); return &v }
	pub := func(h int, headline, standfirst, body string) content.Import {
		e := story(headline)
		e.Standfirst, e.Body = standfirst, body
		return content.Import{Edit: e, Status: content.StatusPublished, PublishedAt: at(h)}
	}
	items := []content.Import{
		pub(1, "Talks resume", "A long night.", "The diplomat arrived late and negotiated until dawn."),
		pub(2, "Встреча в Москве", "Ночь переговоров.", "Дипломат прибыл поздно."),
		pub(3, "Café reopens on the quay", "Coffee again.", "The owners said the cafe was never closed for good."),
		pub(4, "Ferry strike", "Crews walk out.", "No diplomats were involved in the ferry dispute."),
		pub(5, "Diplomats meet", "Summit day.", "Officials met for talks."),
	}
	ids, err := db.Import(context.Background(), items, "")
	if err != nil {
		t.Fatal(err)
	}
	byHeadline := map[string]string{}
	for i, id := range ids {
		byHeadline[items[i].Edit.Headline] = id
	}
	return byHeadline
}

func search(t *testing.T, db *sqlite.DB, q string) []*content.Article {
	t.Helper()
	as, err := db.Articles(context.Background(), content.ArticleFilter{Query: q, Statuses: published, Limit: 50})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return as
}

func TestSearchStemsFoldsAndRanks(t *testing.T) {
	db, _ := mustOpen(t)
	stemFixture(t, db)
	for _, tc := range []struct {
		name, q, want string
	}{
		{"an English plural finds the singular, headline hits first", "diplomats",
			"Diplomats meet | Ferry strike | Talks resume"},
		{"an English singular finds the plural", "diplomat", "Diplomats meet | Ferry strike | Talks resume"},
		{"inflections share a stem", "negotiations", "Talks resume"},
		{"a Russian plural finds the singular", "дипломаты", "Встреча в Москве"},
		{"Russian cases share a stem", "переговоры", "Встреча в Москве"},
		{"a word without its accent finds it with one", "cafe", "Café reopens on the quay"},
		{"a word with an accent finds it without one", "CAFÉ", "Café reopens on the quay"},
		{"a phrase matches stems side by side", `"diplomats arrive"`, "Talks resume"},
		{"a phrase does not match its words apart", `"diplomat dawn"`, ""},
		{"a prefix matches the stems it starts", "diplo*", "Diplomats meet | Ferry strike | Talks resume"},
		{"a Cyrillic prefix matches", "дипл*", "Встреча в Москве"},
		{"words of a query are ANDed", "diplomats ferry", "Ferry strike"},
		{"a headline hit ranks above a standfirst hit above body hits, then newest first", "talks",
			"Talks resume | Diplomats meet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := headlines(search(t, db, tc.q)); got != tc.want {
				t.Errorf("search %q: got %q, want %q", tc.q, got, tc.want)
			}
		})
	}
}

func TestSearchSnippetsShowTheOriginalWords(t *testing.T) {
	db, _ := mustOpen(t)
	stemFixture(t, db)
	for _, tc := range []struct{ name, q, headline, want string }{
		{"a stem marks the inflected word", "diplomat", "Ferry strike", "No <mark>diplomats</mark> were involved"},
		{"a folded query marks the accented word", "cafe", "Café reopens on the quay", "<mark>Café</mark> reopens on the quay"},
		{"Russian words are marked as written", "дипломаты", "Встреча в Москве", "<mark>Дипломат</mark> прибыл поздно."},
		{"a phrase marks its words", `"diplomat arrived"`, "Talks resume", "The <mark>diplomat</mark> <mark>arrived</mark> late"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, a := range search(t, db, tc.q) {
				if a.Headline == tc.headline {
					if !strings.Contains(a.Match.Snippet, tc.want) {
						t.Errorf("snippet %q lacks %q", a.Match.Snippet, tc.want)
					}
					return
				}
			}
			t.Errorf("search %q does not find %q", tc.q, tc.headline)
		})
	}
}

func TestTheNewsroomLanguageChoosesTheStemmerAndRebuildsTheIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	open := func(lang string) *sqlite.DB {
		t.Helper()
		db, err := sqlite.Open(ctx, path, sqlite.Options{Language: lang})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open("fr")
	stemFixture(t, db)
	// French rules do not stem "negotiating" to the stem of "negotiated",
	// English ones do.
	if got := headlines(search(t, db, "negotiating")); got != "" {
		t.Errorf("French newsroom: %q", got)
	}
	db.Close()
	db = open("en")
	defer db.Close()
	if got := headlines(search(t, db, "negotiating")); got != "Talks resume" {
		t.Errorf("after the language changed to English: %q", got)
	}
	if got := headlines(search(t, db, "дипломаты")); got != "Встреча в Москве" {
		t.Errorf("Russian words are stemmed in any newsroom: %q", got)
	}
}
