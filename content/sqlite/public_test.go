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

// fakeRender renders a story as "headline|tag,…|linked slug,…" under key,
// counting the renders in n.
type fakeRender struct {
	key string
	n   *int
}

func (r fakeRender) Key() string { return r.key }

func (r fakeRender) Render(a *content.Article, linked map[string]string) (content.PublicJSON, error) {
	*r.n++
	var tags, links []string
	for _, t := range a.Tags {
		tags = append(tags, t.Slug)
	}
	for _, l := range a.Links {
		if s, ok := linked[l.ArticleID]; ok {
			links = append(links, s)
		}
	}
	full := a.Headline + "|" + strings.Join(tags, ",") + "|" + strings.Join(links, ",")
	return content.PublicJSON{Summary: []byte(`"` + a.Slug + `"`), Full: []byte(full), Keys: "article:" + a.ID}, nil
}

// withRender opens a database that renders with a fakeRender of key; it
// returns the render count.
func withRender(t *testing.T, key string) (*sqlite.DB, *int) {
	t.Helper()
	r := fakeRender{key: key, n: new(int)}
	db, _ := mustOpenWith(t, sqlite.Options{Render: r})
	return db, r.n
}

// reopen opens db's file again with opt (a second process on it, or the
// same after a restart); the clock is the real one.
func reopen(t *testing.T, db *sqlite.DB, opt sqlite.Options) *sqlite.DB {
	t.Helper()
	if opt.Zone == "" {
		opt.Zone = "Europe/Moscow"
	}
	other, err := sqlite.Open(context.Background(), db.Path(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// stored returns the stored JSON of slug rendered under key k1.
func stored(t *testing.T, db *sqlite.DB, slug string) (string, bool) {
	t.Helper()
	b, ok, err := db.PublicBlob(context.Background(), slug, "k1", nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(b.JSON), ok
}

func TestOnlyPublishedStoriesHaveStoredJSON(t *testing.T) {
	db, _ := withRender(t, "k1")
	ctx := context.Background()
	a := mustCreate(t, db, story("Quay vote", "Harbour"))
	later := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		name   string
		change content.StatusChange
		want   bool
	}{
		{"a story in review has none", content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusInReview}, false},
		{"a scheduled story has none", content.StatusChange{From: []content.Status{content.StatusInReview}, To: content.StatusScheduled, PublishAt: &later}, false},
		{"a published story has its JSON", content.StatusChange{From: []content.Status{content.StatusScheduled}, To: content.StatusPublished}, true},
		{"a new withdrawal time keeps it", content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusPublished, UnpublishAt: &later}, true},
		{"a withdrawn story has none", content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}, false},
		{"a republished story has it again", content.StatusChange{From: []content.Status{content.StatusUnpublished}, To: content.StatusPublished}, true},
	}
	if _, ok := stored(t, db, a.Slug); ok {
		t.Fatal("a draft has stored JSON")
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if _, err := db.ChangeStatus(ctx, a.ID, s.change); err != nil {
				t.Fatal(err)
			}
			if got, ok := stored(t, db, a.Slug); ok != s.want || (ok && got != "Quay vote|harbour|") {
				t.Fatalf("stored %v %q, want %v", ok, got, s.want)
			}
		})
	}
	t.Run("a deleted story has none", func(t *testing.T) {
		if err := db.DeleteArticle(ctx, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, ok := stored(t, db, a.Slug); ok {
			t.Fatal("a deleted story has stored JSON")
		}
	})
}

func TestImportStoresJSONOfPublishedItemsOnly(t *testing.T) {
	db, renders := withRender(t, "k1")
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	ids, err := db.Import(context.Background(), []content.Import{
		{Edit: story("Imported published", "Harbour"), Status: content.StatusPublished, PublishedAt: &at},
		{Edit: story("Imported draft", "Harbour"), Status: content.StatusDraft},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := stored(t, db, "imported-published"); !ok || *renders != 1 {
		t.Fatalf("published item stored %v after %d renders", ok, *renders)
	}
	if _, ok := stored(t, db, "imported-draft"); ok {
		t.Fatal("a draft item has stored JSON")
	}
	keys, ok, err := db.ListKeys(context.Background(), content.ArticleFilter{Statuses: published, Tags: []string{"harbour"}})
	if err != nil || !ok || len(keys) != 1 || keys[0].ID != ids[0] || !keys[0].PublishedAt.Equal(at) {
		t.Fatalf("list keys %+v, %v, %v", keys, ok, err)
	}
	items, ok, err := db.ListItems(context.Background(), []string{ids[0]}, "k1")
	if err != nil || !ok || len(items) != 1 || string(items[0]) != `"imported-published"` {
		t.Fatalf("list items %q, %v, %v", items, ok, err)
	}
	if _, ok, _ := db.ListItems(context.Background(), []string{ids[0]}, "k2"); ok {
		t.Fatal("items of another render key answered")
	}
}

func TestWritesWithoutRendererLeaveNoStaleJSON(t *testing.T) {
	db, _ := withRender(t, "k1")
	ctx := context.Background()
	target := mustPublish(t, db, mustCreate(t, db, story("Ferry times", "Harbour")).ID)
	e := story("Quay vote", "Harbour")
	e.Links = append(e.Links, content.RelatedLink{Kind: content.LinkRelated, Title: "Times", ArticleID: target.ID})
	linker := mustPublish(t, db, mustCreate(t, db, e).ID)
	if got, _ := stored(t, db, linker.Slug); got != "Quay vote|harbour|ferry-times" {
		t.Fatalf("stored %q", got)
	}
	plain := reopen(t, db, sqlite.Options{}) // a process that does not render
	if _, err := plain.ChangeStatus(ctx, target.ID, content.StatusChange{From: published, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if got, ok := stored(t, db, linker.Slug); ok {
		t.Fatalf("a write without a renderer left the linking story's JSON: %q", got)
	}
	t.Run("a re-render stores what is missing and nothing else", func(t *testing.T) {
		n, err := db.RerenderPublic(ctx)
		if err != nil || n != 1 {
			t.Fatalf("rendered %d (%v), want 1", n, err)
		}
		if got, _ := stored(t, db, linker.Slug); got != "Quay vote|harbour|" {
			t.Fatalf("stored %q", got)
		}
	})
}

func TestRerenderPublicWorksInBatches(t *testing.T) {
	db, _ := mustOpen(t)
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	var items []content.Import
	for i := range 450 {
		items = append(items, content.Import{Edit: story(fmt.Sprintf("Story %d", i), "Harbour"), Status: content.StatusPublished, PublishedAt: &at})
	}
	if _, err := db.Import(context.Background(), items, ""); err != nil {
		t.Fatal(err)
	}
	r := fakeRender{key: "k1", n: new(int)}
	rendering := reopen(t, db, sqlite.Options{Render: r})
	renders := r.n
	n, err := rendering.RerenderPublic(context.Background())
	if err != nil || n != 450 || *renders != 450 {
		t.Fatalf("rendered %d (%d calls), %v; want 450", n, *renders, err)
	}
	if _, ok := stored(t, rendering, "story-449"); !ok {
		t.Fatal("the last story has no stored JSON")
	}
	upgraded := reopen(t, db, sqlite.Options{Render: fakeRender{key: "k2", n: new(int)}})
	if n, err := upgraded.RerenderPublic(context.Background()); err != nil || n != 450 {
		t.Fatalf("a new key re-rendered %d, %v; want 450", n, err)
	}
}
