package sqlite_test

import (
	"context"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

func archived(sourceID, headline string, published time.Time) *content.ImportedStory {
	pub, upd := published, published.Add(36*time.Hour)
	e := story(headline, "Archive")
	e.Slug = content.Slugify(headline)
	return &content.ImportedStory{
		SourceID: sourceID,
		Import: content.Import{Edit: e, Status: content.StatusPublished, PublishedAt: &pub, UpdatedAt: &upd,
			CreatedAt: &pub},
		Authors:  []content.ImportAuthor{{Key: "jroe", Email: "jane@example.org", Name: "Jane Roe"}},
		OldSlugs: []string{"2016-09-08-" + content.Slugify(headline)},
	}
}

func mustImport(tb testing.TB, db *sqlite.DB, opt content.ImportOptions, stories ...*content.ImportedStory) []content.ImportResult {
	tb.Helper()
	if opt.Source == "" {
		opt.Source = "wxr:https://old.example.org"
	}
	rs, err := db.ImportStories(context.Background(), stories, opt)
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	return rs
}

func TestImportKeepsTheArchiveDatesAuthorsAndOldSlugs(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	pub := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC)
	rs := mustImport(t, db, content.ImportOptions{}, archived("101", "Harbour reopens after storm", pub))
	if rs[0].Action != content.ImportCreated || rs[0].ArticleID == "" {
		t.Fatalf("result = %+v, want created", rs[0])
	}
	a, err := db.Article(ctx, content.ArticleFilter{ID: &rs[0].ArticleID})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != content.StatusPublished || !a.PublishedAt.Equal(pub) || !a.UpdatedAt.Equal(pub.Add(36*time.Hour)) {
		t.Errorf("status %s published %v updated %v, want the archive's", a.Status, a.PublishedAt, a.UpdatedAt)
	}
	if len(a.Authors) != 1 || a.Authors[0].Name != "Jane Roe" {
		t.Fatalf("authors = %+v", a.Authors)
	}
	u, err := db.UserByEmail(ctx, "jane@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if u.Active || u.PasswordHash != "" || u.Role != "contributor" {
		t.Errorf("imported author active=%v hash=%q role=%s, want an inactive contributor without password", u.Active, u.PasswordHash, u.Role)
	}
	slug, err := db.RedirectSlug(ctx, "2016-09-08-harbour-reopens-after-storm")
	if err != nil || slug != a.Slug {
		t.Errorf("old permalink redirects to %q (%v), want %q", slug, err, a.Slug)
	}
	evs, err := db.Events(ctx, content.EventFilter{})
	if err != nil || len(evs) != 1 || !evs[0].OccurredAt.Equal(pub) {
		t.Errorf("events = %+v (%v), want one published event at the archive's time", evs, err)
	}
	t.Run("an editor can save the story although its author is not active yet", func(t *testing.T) {
		e := a.Edit
		e.Standfirst = "Edited in Dateline"
		if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e}); err != nil {
			t.Fatalf("save: %v", err)
		}
	})
}

func TestReimportDecidesByWhatChanged(t *testing.T) {
	pub := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC)
	cases := []struct {
		name   string
		change func(s *content.ImportedStory)
		edit   bool // edit the story in Dateline between the imports
		update bool
		want   content.ImportAction
		want2  string // headline after the second import
	}{
		{"the same story again is unchanged", nil, false, false, content.ImportUnchanged, "Harbour reopens"},
		{"a story changed at the source is updated", func(s *content.ImportedStory) { s.Edit.Headline = "Harbour reopens fully" },
			false, false, content.ImportUpdated, "Harbour reopens fully"},
		{"a story edited in Dateline is kept", func(s *content.ImportedStory) { s.Edit.Headline = "Harbour reopens fully" },
			true, false, content.ImportKept, "Harbour reopens (edited)"},
		{"a story edited in Dateline is overwritten with update", func(s *content.ImportedStory) { s.Edit.Headline = "Harbour reopens fully" },
			true, true, content.ImportUpdated, "Harbour reopens fully"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := mustOpen(t)
			ctx := context.Background()
			first := mustImport(t, db, content.ImportOptions{}, archived("101", "Harbour reopens", pub))[0]
			if tc.edit {
				a, _ := db.Article(ctx, content.ArticleFilter{ID: &first.ArticleID})
				e := a.Edit
				e.Headline = "Harbour reopens (edited)"
				if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e, Update: true}); err != nil {
					t.Fatal(err)
				}
			}
			again := archived("101", "Harbour reopens", pub)
			if tc.change != nil {
				tc.change(again)
			}
			r := mustImport(t, db, content.ImportOptions{Update: tc.update}, again)[0]
			if r.Action != tc.want || r.ArticleID != first.ArticleID {
				t.Fatalf("second import = %+v, want %s of %s", r, tc.want, first.ArticleID)
			}
			as, err := db.Articles(ctx, content.ArticleFilter{})
			if err != nil || len(as) != 1 {
				t.Fatalf("%d stories (%v), want 1: a re-import never duplicates", len(as), err)
			}
			if as[0].Headline != tc.want2 || !as[0].PublishedAt.Equal(pub) {
				t.Errorf("headline %q published %v, want %q at %v", as[0].Headline, as[0].PublishedAt, tc.want2, pub)
			}
		})
	}
}

func TestImportSkipsABadStoryAndStoresTheRest(t *testing.T) {
	db, _ := mustOpen(t)
	pub := time.Date(2017, 1, 2, 3, 4, 5, 0, time.UTC)
	bad := archived("2", "", pub)
	rs := mustImport(t, db, content.ImportOptions{}, archived("1", "First", pub), bad, archived("3", "Third", pub))
	if rs[0].Action != content.ImportCreated || rs[2].Action != content.ImportCreated {
		t.Errorf("good stories = %s, %s; want created", rs[0].Action, rs[2].Action)
	}
	if rs[1].Action != content.ImportFailed || len(content.ErrorFields(rs[1].Err)) == 0 || content.ErrorFields(rs[1].Err)[0].Field != "headline" {
		t.Errorf("bad story = %+v, want failed naming the headline", rs[1])
	}
	as, _ := db.Articles(context.Background(), content.ArticleFilter{})
	if len(as) != 2 {
		t.Errorf("%d stories stored, want 2", len(as))
	}
}

func TestDryRunImportWritesNothing(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	pub := time.Date(2017, 1, 2, 3, 4, 5, 0, time.UTC)
	rs := mustImport(t, db, content.ImportOptions{DryRun: true}, archived("1", "First", pub), archived("2", "", pub))
	if rs[0].Action != content.ImportCreated || rs[1].Action != content.ImportFailed {
		t.Errorf("dry run results = %s, %s; want created, failed", rs[0].Action, rs[1].Action)
	}
	as, _ := db.Articles(ctx, content.ArticleFilter{})
	n, _ := db.CountUsers(ctx)
	evs, _ := db.Events(ctx, content.EventFilter{})
	if len(as) != 0 || n != 0 || len(evs) != 0 {
		t.Errorf("dry run left %d stories, %d users, %d events; want none", len(as), n, len(evs))
	}
}

func TestAnImportedPhotoWithoutCreditHoldsTheStoryBack(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	pub := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC)
	s := archived("7", "Uncredited photo", pub)
	s.Edit.Photos[0].Credit = ""
	s.HoldForCredit()
	r := mustImport(t, db, content.ImportOptions{}, s)[0]
	if r.Action != content.ImportCreated || !r.NeedsCredit {
		t.Fatalf("result = %+v, want created and needing a credit", r)
	}
	a, _ := db.Article(ctx, content.ArticleFilter{ID: &r.ArticleID})
	if a.Status != content.StatusDraft || a.PublishedAt == nil || !a.Edit.NeedsCredit() {
		t.Fatalf("status %s published_at %v, want a draft that keeps its date and needs a credit", a.Status, a.PublishedAt)
	}
	e := a.Edit
	e.Photos[0].Credit = "© Jane Roe/Agency"
	a, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e})
	if err != nil {
		t.Fatal(err)
	}
	a = mustPublish(t, db, a.ID)
	if !a.PublishedAt.Equal(pub) {
		t.Errorf("published at %v once credited, want the archive's %v", a.PublishedAt, pub)
	}
	again := mustImport(t, db, content.ImportOptions{}, s)[0]
	a, _ = db.Article(ctx, content.ArticleFilter{ID: &r.ArticleID})
	if again.Action != content.ImportUnchanged || a.Status != content.StatusPublished || a.Photos[0].Credit == "" {
		t.Errorf("re-import after the newsroom credited it = %s, story %s credit %q; want unchanged and left alone",
			again.Action, a.Status, a.Photos[0].Credit)
	}
}

func TestImportKeepsIDsAndGivesWayOnTakenSlugs(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	mine := mustCreate(t, db, story("Harbour reopens"))
	pub := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC)
	s := archived("x", "Harbour reopens", pub)
	s.ID = "0190f3a2-7b1c-7def-8a00-000000000001"
	r := mustImport(t, db, content.ImportOptions{Source: "dateline"}, s)[0]
	if r.ArticleID != s.ID {
		t.Errorf("article id = %s, want the exported %s", r.ArticleID, s.ID)
	}
	a, _ := db.Article(ctx, content.ArticleFilter{ID: &r.ArticleID})
	if a.Slug == mine.Slug || a.Slug != mine.Slug+"-2" {
		t.Errorf("imported slug = %q beside the newsroom's %q, want a unique one", a.Slug, mine.Slug)
	}
	other := archived("y", "Something else", pub)
	other.ID = mine.ID
	r2 := mustImport(t, db, content.ImportOptions{Source: "dateline"}, other)[0]
	if r2.Action != content.ImportKept {
		t.Errorf("a story with the id of one already in the newsroom = %s, want kept", r2.Action)
	}
	got, _ := db.Article(ctx, content.ArticleFilter{ID: &mine.ID})
	if got.Headline != "Harbour reopens" {
		t.Errorf("the newsroom's story became %q: an import never overwrites without update", got.Headline)
	}
}

func TestATagWithAHandSetSlugIsFoundByItsName(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	name, slug := "Harbour news", "harbour"
	if _, err := db.CreateTag(ctx, content.TagEdit{Name: &name, Slug: &slug}); err != nil {
		t.Fatal(err)
	}
	a := mustCreate(t, db, story("Quay repairs", "Harbour news"))
	if len(a.Tags) != 1 || a.Tags[0].Slug != "harbour" {
		t.Errorf("tags = %+v, want the tag with the hand-set slug", a.Tags)
	}
	tags, _ := db.Tags(ctx, content.TagFilter{})
	if len(tags) != 1 {
		t.Errorf("%d tags, want 1: a story naming a tag does not make a second one", len(tags))
	}
}
