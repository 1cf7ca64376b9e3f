package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"dateline/content"
)

// TestSearchRanksAWindowOfTheNewestMatchesAndPagesThroughAllOfThem imports
// more matching stories than a search ranks: the newest searchCandidates
// are ranked (headline hits first), the older ones follow newest first,
// and paging with cursors visits every story once, also while stories are
// published between the pages.
func TestSearchRanksAWindowOfTheNewestMatchesAndPagesThroughAllOfThem(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := searchCandidates + 60
	var items []content.Import
	for i := range n {
		e := content.Edit{Headline: fmt.Sprintf("Story %d", i), Body: "The tide came in."}
		if i%50 == 0 { // a headline hit, also among the oldest
			e.Headline += " about the tide"
		}
		at := start.Add(time.Duration(i/3) * time.Minute) // three stories a minute
		items = append(items, content.Import{Edit: e, Status: content.StatusPublished, PublishedAt: &at})
	}
	ids, err := db.Import(ctx, items, "")
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
	}
	f := content.ArticleFilter{Query: "tides", Statuses: []content.Status{content.StatusPublished}, Limit: 7}
	first, err := db.Articles(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	// The window holds stories 60 to n-1: its headline hits come first,
	// newest first; story 50 and older are past the window.
	var want []int
	for i := n - 1; i >= n-searchCandidates; i-- {
		if i%50 == 0 {
			want = append(want, i)
		}
	}
	for k, w := range want[:min(len(want), len(first))] {
		if got := index[first[k].ID]; got != w {
			t.Fatalf("hit %d is story %d, want %d", k, got, w)
		}
	}
	seen := map[string]bool{}
	var order []int
	published := 0
	for page := 0; page < 200; page++ {
		as, err := db.Articles(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if seen[a.ID] {
				t.Fatalf("page %d repeats %s", page, a.Headline)
			}
			seen[a.ID] = true
			if i, ok := index[a.ID]; ok {
				order = append(order, i)
			}
		}
		if len(as) < f.Limit {
			break
		}
		last := as[len(as)-1]
		f.After = &content.Cursor{Time: *last.PublishedAt, ID: last.ID, Rank: &last.Match.Rank}
		if page%10 == 3 { // a new story joins the window
			e := content.Edit{Headline: fmt.Sprintf("Late story %d about the tide", page), Body: "Tide."}
			at := start.Add(time.Duration(n) * time.Minute)
			if _, err := db.Import(ctx, []content.Import{{Edit: e, Status: content.StatusPublished, PublishedAt: &at}}, ""); err != nil {
				t.Fatal(err)
			}
			published++
		}
	}
	if len(order) != n {
		t.Fatalf("paged through %d of the %d first stories", len(order), n)
	}
	// Past the window the order is newest first.
	tail := order[len(order)-(n-searchCandidates):]
	for k := 1; k < len(tail); k++ {
		if tail[k] > tail[k-1] {
			t.Fatalf("past the window story %d follows story %d", tail[k], tail[k-1])
		}
	}
	if tail[0] != n-searchCandidates-1 {
		t.Errorf("the first story past the window is %d, want %d", tail[0], n-searchCandidates-1)
	}
	t.Logf("%d stories published while paging", published)
}

// TestMigration0017RebuildsTheIndexOfAnUpgradedNewsroom takes a newsroom
// back to the search index of migration 0016 (unicode61, unstemmed) and
// opens it again: the index is rebuilt with stems at the start.
func TestMigration0017RebuildsTheIndexOfAnUpgradedNewsroom(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "u.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	if _, err := db.Import(ctx, []content.Import{
		{Edit: content.Edit{Headline: "Diplomats arrive", Body: "The talks begin."}, Status: content.StatusPublished, PublishedAt: &at},
		{Edit: content.Edit{Headline: "A draft about diplomats", Body: "Not yet."}, Status: content.StatusDraft},
	}, ""); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DROP TRIGGER articles_unsearch_on_update", "DROP TRIGGER articles_unsearch_on_delete", "DROP VIEW article_search_terms",
		"DROP TABLE article_search", "DROP TABLE article_search_docs", "DROP TABLE search_index",
		`CREATE TABLE article_search_docs (docid INTEGER PRIMARY KEY,
			article_id TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE, published_at TEXT)`,
		`CREATE VIRTUAL TABLE article_search USING fts4 (headline, standfirst, body, tokenize=unicode61 "remove_diacritics=2")`,
		`INSERT INTO article_search_docs (article_id, published_at) SELECT id, published_at FROM articles WHERE status = 'published'`,
		`INSERT INTO article_search (docid, headline, standfirst, body) SELECT d.docid, a.headline, a.standfirst, a.body_text
			FROM article_search_docs d JOIN articles a ON a.id = d.article_id`,
		// 0025 builds on what 0017 makes.
		"DELETE FROM schema_migrations WHERE version IN (17, 25)",
	} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	start := time.Now()
	db, err = Open(ctx, path, Options{Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t.Logf("upgraded and rebuilt in %v", time.Since(start))
	as, err := db.Articles(ctx, content.ArticleFilter{Query: "diplomat talk", Statuses: []content.Status{content.StatusPublished}})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].Headline != "Diplomats arrive" {
		t.Fatalf("after the upgrade: %v", as)
	}
	var analyzer string
	if err := db.r.QueryRowContext(ctx, "SELECT analyzer FROM search_index").Scan(&analyzer); err != nil || analyzer != "en.1" {
		t.Errorf("index analyzer %q, %v", analyzer, err)
	}
}
