package postgres_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"dateline/content"
	"dateline/content/postgres"
)

// testRenderer renders a story as its headline, tags and authors, under
// key.
type testRenderer struct{ key string }

func (r testRenderer) Key() string { return r.key }

func (r testRenderer) Render(a *content.Article, linked map[string]string) (content.PublicJSON, error) {
	var tags, authors []string
	for _, t := range a.Tags {
		tags = append(tags, t.Slug)
	}
	for _, au := range a.Authors {
		authors = append(authors, au.Name)
	}
	full, err := json.Marshal(map[string]any{"headline": a.Headline, "tags": tags, "authors": authors, "linked": linked})
	if err != nil {
		return content.PublicJSON{}, err
	}
	return content.PublicJSON{Summary: []byte(`{"slug":"` + a.Slug + `"}`), Full: full, Keys: "article:" + a.ID}, nil
}

func rendered(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, postgres.Options{Now: fixed(start), Render: testRenderer{key: "k1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// blob returns the stored JSON of the story with slug under k1, or "".
func blob(t *testing.T, db *postgres.DB, slug string) string {
	t.Helper()
	b, ok, err := db.PublicBlob(context.Background(), slug, "k1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return ""
	}
	return string(b.JSON)
}

func TestStoredPublicJSONFollowsEveryWriteReadersSee(t *testing.T) {
	ctx := context.Background()
	db := rendered(t, migrated(t))
	a := publish(t, db, start, "Bridge closes", "Lead", "Text.")
	if got := blob(t, db, a.Slug); !strings.Contains(got, `"headline":"Bridge closes"`) || !strings.Contains(got, `"harbour"`) {
		t.Fatalf("stored JSON after publishing: %q", got)
	}
	if _, ok, _ := db.PublicBlob(ctx, a.Slug, "another-key", nil); ok {
		t.Error("JSON rendered under another key was served")
	}

	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: readyEdit("Bridge closes for a week")}); err != nil {
		t.Fatal(err)
	}
	if got := blob(t, db, a.Slug); !strings.Contains(got, `"Bridge closes"`) {
		t.Errorf("a save of the working copy changed the stored JSON: %q", got)
	}
	wc, err := db.WorkingCopy(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishWorkingCopy(ctx, a.ID, content.Update{Version: wc.Version}); err != nil {
		t.Fatal(err)
	}
	if got := blob(t, db, a.Slug); !strings.Contains(got, `"Bridge closes for a week"`) {
		t.Errorf("stored JSON after the Update: %q", got)
	}

	if _, err := db.UpdateTag(ctx, "harbour", content.TagEdit{Name: ptr("Harbour front")}); err != nil {
		t.Fatal(err)
	}
	if got := blob(t, db, a.Slug); !strings.Contains(got, `"harbour-front"`) {
		t.Errorf("stored JSON after a tag rename: %q", got)
	}

	list, ok, err := db.ListKeys(ctx, content.ArticleFilter{Statuses: published})
	if err != nil || !ok || len(list) != 1 || list[0].ID != a.ID || list[0].PublishedAt.IsZero() {
		t.Errorf("list keys %+v, %v, %v", list, ok, err)
	}
	items, ok, err := db.ListItems(ctx, []string{a.ID}, "k1")
	if err != nil || !ok || len(items) != 1 || string(items[0]) != `{"slug":"`+a.Slug+`"}` {
		t.Errorf("stored list items %q, %v, %v", items, ok, err)
	}
	if _, ok, err := db.ListItems(ctx, []string{a.ID}, "another key"); ok || err != nil {
		t.Errorf("list items under another key: %v, %v", ok, err)
	}
	hits, ok, err := db.SearchHits(ctx, content.ArticleFilter{Query: "bridge", Statuses: published})
	if err != nil || !ok || len(hits) != 1 || hits[0].ID != a.ID || hits[0].Match == nil || !strings.Contains(hits[0].Match.Snippet, "<mark>") {
		t.Errorf("search hits %+v, %v, %v", hits, ok, err)
	}

	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: published, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if got := blob(t, db, a.Slug); got != "" {
		t.Errorf("a withdrawn story's JSON is still stored: %q", got)
	}

	// A store without a renderer stores none and answers "not stored".
	plain := openStore(t, migrated(t), fixed(start))
	b := publish(t, plain, start, "Ferry resumes", "Lead", "Text.")
	if _, ok, err := plain.PublicBlob(ctx, b.Slug, "k1", nil); ok || err != nil {
		t.Errorf("a store without a renderer served stored JSON: %v, %v", ok, err)
	}
}

func TestRerenderPublicStoresWhatAnotherKeyLeft(t *testing.T) {
	ctx := context.Background()
	url := migrated(t)
	old := rendered(t, url)
	a := publish(t, old, start, "Tide tables", "Lead", "Text.")
	old.Close()
	db, err := postgres.Open(ctx, url, postgres.Options{Now: fixed(start), Render: testRenderer{key: "k2"}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, ok, _ := db.PublicBlob(ctx, a.Slug, "k2", nil); ok {
		t.Fatal("JSON of key k1 served for k2")
	}
	g := db.Generation()
	if n, err := db.RerenderPublic(ctx); err != nil || n != 1 {
		t.Fatalf("RerenderPublic = %d, %v", n, err)
	}
	if _, ok, _ := db.PublicBlob(ctx, a.Slug, "k2", nil); !ok {
		t.Error("no JSON under k2 after RerenderPublic")
	}
	if db.Generation() != g {
		t.Errorf("re-rendering moved the generation %d → %d", g, db.Generation())
	}
}
