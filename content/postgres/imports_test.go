package postgres_test

import (
	"context"
	"testing"
	"time"

	"dateline/content"
)

func archived(sourceID, headline string, published time.Time) *content.ImportedStory {
	pub, upd := published, published.Add(36*time.Hour)
	e := readyEdit(headline)
	e.Slug = content.Slugify(headline)
	return &content.ImportedStory{
		SourceID: sourceID,
		Import:   content.Import{Edit: e, Status: content.StatusPublished, PublishedAt: &pub, UpdatedAt: &upd, CreatedAt: &pub},
		Authors:  []content.ImportAuthor{{Key: "jroe", Email: "jane@example.org", Name: "Jane Roe"}},
		OldSlugs: []string{"2016-09-08-" + content.Slugify(headline)},
	}
}

func TestImportKeepsTheArchiveAndDecidesReimportsStoryByStory(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, migrated(t), fixed(start))
	pub := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC)
	opt := content.ImportOptions{Source: "wxr:https://old.example.org"}
	bad := archived("102", "", pub) // no headline: fails alone
	rs, err := db.ImportStories(ctx, []*content.ImportedStory{archived("101", "Harbour reopens after storm", pub), bad}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Action != content.ImportCreated || rs[1].Action != content.ImportFailed || rs[1].Err == nil {
		t.Fatalf("results %+v", rs)
	}
	a, err := db.Article(ctx, content.ArticleFilter{ID: &rs[0].ArticleID})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != content.StatusPublished || !a.PublishedAt.Equal(pub) || !a.UpdatedAt.Equal(pub.Add(36*time.Hour)) {
		t.Errorf("status %s published %v updated %v, want the archive's", a.Status, a.PublishedAt, a.UpdatedAt)
	}
	u, err := db.UserByEmail(ctx, "jane@example.org")
	if err != nil || u.Active || u.Role != "contributor" || len(a.Authors) != 1 || a.Authors[0].ID != u.ID {
		t.Errorf("imported author %+v (%v), story authors %+v", u, err, a.Authors)
	}
	if to, err := db.RedirectSlug(ctx, "2016-09-08-harbour-reopens-after-storm"); err != nil || to != a.Slug {
		t.Errorf("old slug redirects to %q, %v", to, err)
	}
	evs, _ := db.Events(ctx, content.EventFilter{})
	if len(evs) != 1 || evs[0].Type != content.EventPublished {
		t.Errorf("events after the import: %+v", evs)
	}

	again, err := db.ImportStories(ctx, []*content.ImportedStory{archived("101", "Harbour reopens after storm", pub)}, opt)
	if err != nil || again[0].Action != content.ImportUnchanged || again[0].ArticleID != a.ID {
		t.Fatalf("the same story again: %+v, %v", again, err)
	}
	changed := archived("101", "Harbour reopens after the storm", pub)
	dry := opt
	dry.Update, dry.DryRun = true, true
	if rs, err := db.ImportStories(ctx, []*content.ImportedStory{changed}, dry); err != nil || rs[0].Action != content.ImportUpdated {
		t.Fatalf("a dry run of the update: %+v, %v", rs, err)
	}
	if got, _ := db.Article(ctx, content.ArticleFilter{ID: &a.ID}); got.Headline != "Harbour reopens after storm" {
		t.Errorf("a dry run changed the story: %q", got.Headline)
	}
	upd := opt
	upd.Update = true
	rs, err = db.ImportStories(ctx, []*content.ImportedStory{changed}, upd)
	if err != nil || rs[0].Action != content.ImportUpdated {
		t.Fatalf("update: %+v, %v", rs, err)
	}
	got, err := db.Article(ctx, content.ArticleFilter{ID: &a.ID})
	if err != nil || got.Headline != "Harbour reopens after the storm" || got.Version != a.Version+1 {
		t.Errorf("after the update: %+v, %v", got, err)
	}
	evs, _ = db.Events(ctx, content.EventFilter{})
	if len(evs) != 2 || evs[1].Type != content.EventUpdated {
		t.Errorf("events after the update: %+v", evs)
	}
	if n, _ := db.CountUsers(ctx); n != 1 {
		t.Errorf("%d users after two imports of one author, want 1", n)
	}

	tag := content.Tag{Slug: "archive", Name: "Archive", Description: "Old stories."}
	if act, err := db.ImportTag(ctx, tag, opt); err != nil || act != content.ImportCreated {
		t.Errorf("import a new tag: %s, %v", act, err)
	}
	if act, err := db.ImportTag(ctx, tag, opt); err != nil || act != content.ImportUnchanged {
		t.Errorf("import it again: %s, %v", act, err)
	}
}
