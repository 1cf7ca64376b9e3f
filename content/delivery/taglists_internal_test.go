package delivery

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/shape"
	"dateline/content/sqlite"
)

// TestTagListsPageAsTheStoreDoes compares every page the cached tag lists
// give with the page the store's walk of its tag index gives, for single
// and several tags, from the start and after every story as the cursor,
// over stories that share publication times.
func TestTagListsPageAsTheStoreDoes(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tags.db"), sqlite.Options{Render: shape.New(shape.Options{})})
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
	c := newItemCache(1<<20, true)
	defer c.close()
	gen := db.Generation()
	c.sync(ctx, db, gen)
	for _, perTag := range []int{tagListKeys, 7} { // whole lists, and lists of the newest seven
		c.mu.Lock()
		c.perTag, c.tags, c.tagKeys = perTag, map[string]*tagList{}, 0
		c.mu.Unlock()
		n, asked := comparePages(t, db, c, gen, base)
		if n == 0 || (perTag == tagListKeys && asked > 0) {
			t.Fatalf("%d pages came from the tag lists, %d from the store", n, asked)
		}
	}
	if len(c.tags) == 0 {
		t.Fatal("no tag list was cached")
	}
}

// comparePages compares the pages and returns how many the tag lists
// answered and how many they left to the store.
func comparePages(t *testing.T, db *sqlite.DB, c *itemCache, gen uint64, base time.Time) (compared, asked int) {
	t.Helper()
	ctx := context.Background()
	for _, tags := range [][]string{{"harbour"}, {"politics", "harbour"}, {"weather", "politics", "harbour"}, {"nowhere"}, {"harbour", "nowhere"}} {
		cursors := []*content.Cursor{nil, {Time: base.Add(2 * time.Hour)}} // a cursor without an id, as a client may make
		all, err := db.Articles(ctx, content.ArticleFilter{Statuses: publishedOnly, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range all {
			cursors = append(cursors, &content.Cursor{Time: *a.PublishedAt, ID: a.ID})
		}
		for _, limit := range []int{1, 4, 100} {
			for _, cur := range cursors {
				f := content.ArticleFilter{Statuses: publishedOnly, Tags: tags, After: cur, Limit: limit}
				cached, ok, err := c.tagPage(ctx, db, gen, tags, cur, limit)
				if err != nil {
					t.Fatal(err)
				}
				walked, wok, err := db.ListKeys(ctx, f)
				if err != nil || !wok {
					t.Fatal(wok, err)
				}
				if !ok {
					asked++
					continue // deeper than the lists keep: the store answers
				}
				compared++
				same := func(a, b content.Blob) bool { return a.ID == b.ID && a.PublishedAt.Equal(b.PublishedAt) }
				if !slices.EqualFunc(cached, walked, same) {
					t.Fatalf("tags %v, limit %d, cursor %v:\ncached %v\nwalked %v", tags, limit, cur, cached, walked)
				}
			}
		}
	}
	return compared, asked
}

func TestNoTagListsAsksTheStore(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		size     int64
		tagLists bool
		want     bool
	}{
		{"with the item cache a tag's list is kept", 1 << 20, true, true},
		{"with NoTagLists none is kept", 1 << 20, false, false},
		{"without the item cache none is kept", 0, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tags.db"), sqlite.Options{Render: shape.New(shape.Options{})})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
			e := content.Edit{Headline: "A story", Body: "Text.", Tags: []string{"harbour"}}
			if _, err := db.Import(ctx, []content.Import{{Edit: e, Status: content.StatusPublished, PublishedAt: &at}}, ""); err != nil {
				t.Fatal(err)
			}
			c := newItemCache(tt.size, tt.tagLists)
			defer c.close()
			gen := db.Generation()
			c.sync(ctx, db, gen)
			l, err := c.tagList(ctx, db, gen, "harbour")
			if err != nil {
				t.Fatal(err)
			}
			if got := l != nil; got != tt.want {
				t.Errorf("tag list kept: %v, want %v", got, tt.want)
			}
		})
	}
}
