package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"dateline/content"
)

// TestTagListsPageAsTheTagIndexDoes compares every page the cached tag
// lists give with the page the tag index walk gives, for single and
// several tags, from the start and after every story as the cursor, over
// stories that share publication times.
func TestTagListsPageAsTheTagIndexDoes(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "tags.db"), Options{ItemCacheBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var items []content.Import
	base := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	for i := range 40 {
		at := base.Add(time.Duration(i/3) * time.Hour) // three stories an hour: ties on published_at
		tags := [][]string{{"harbour"}, {"politics"}, {"harbour", "politics"}, {"weather"}, {"harbour", "weather", "politics"}}[i%5]
		e := content.Edit{Headline: fmt.Sprintf("Story %d", i), Body: "Text.", Tags: tags}
		items = append(items, content.Import{Edit: e, Status: content.StatusPublished, PublishedAt: &at})
	}
	items = append(items, content.Import{Edit: content.Edit{Headline: "A draft", Body: "Text.", Tags: []string{"harbour"}}})
	if _, err := db.Import(ctx, items, ""); err != nil {
		t.Fatal(err)
	}
	published := []content.Status{content.StatusPublished}
	for _, perTag := range []int{tagListKeys, 7} { // whole lists, and lists of the newest seven
		db.items.mu.Lock()
		db.items.perTag, db.items.tags, db.items.tagKeys = perTag, map[string]*tagList{}, 0
		db.items.mu.Unlock()
		comparePages(t, db, base, published)
	}
	if len(db.items.tags) == 0 {
		t.Fatal("no tag list was cached")
	}
}

func comparePages(t *testing.T, db *DB, base time.Time, published []content.Status) {
	t.Helper()
	ctx := context.Background()
	for _, tags := range [][]string{{"harbour"}, {"politics", "harbour"}, {"weather", "politics", "harbour"}, {"nowhere"}, {"harbour", "nowhere"}} {
		cursors := []*content.Cursor{nil, {Time: base.Add(2 * time.Hour)}} // a cursor without an id, as a client may make
		all, err := db.Articles(ctx, content.ArticleFilter{Statuses: published, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range all {
			cursors = append(cursors, &content.Cursor{Time: *a.PublishedAt, ID: a.ID})
		}
		for _, limit := range []int{1, 4, 100} {
			for _, cur := range cursors {
				f := content.ArticleFilter{Statuses: published, Tags: tags, After: cur, Limit: limit}
				cached, err := db.listKeys(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				items := db.items
				db.items = nil
				walked, err := db.listKeys(ctx, f)
				db.items = items
				if err != nil {
					t.Fatal(err)
				}
				same := func(a, b content.Blob) bool { return a.ID == b.ID && a.PublishedAt.Equal(b.PublishedAt) }
				if !slices.EqualFunc(cached, walked, same) {
					t.Fatalf("tags %v, limit %d, cursor %v:\ncached %v\nwalked %v", tags, limit, cur, cached, walked)
				}
			}
		}
	}
}

func TestNoTagListsWalksTheTagIndex(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		opt  Options
		want bool
	}{
		{"with the item cache a tag's list is kept", Options{ItemCacheBytes: 1 << 20}, true},
		{"with NoTagLists none is kept", Options{ItemCacheBytes: 1 << 20, NoTagLists: true}, false},
		{"without the item cache none is kept", Options{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(ctx, filepath.Join(t.TempDir(), "tags.db"), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
			e := content.Edit{Headline: "A story", Body: "Text.", Tags: []string{"harbour"}}
			if _, err := db.Import(ctx, []content.Import{{Edit: e, Status: content.StatusPublished, PublishedAt: &at}}, ""); err != nil {
				t.Fatal(err)
			}
			f := content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Tags: []string{"harbour"}, Limit: 5}
			keys, err := db.listKeys(ctx, f)
			if err != nil || len(keys) != 1 {
				t.Fatalf("keys %v (%v)", keys, err)
			}
			l, err := db.tagList(ctx, "harbour")
			if err != nil {
				t.Fatal(err)
			}
			if got := l != nil; got != tt.want {
				t.Errorf("tag list kept: %v, want %v", got, tt.want)
			}
		})
	}
}
