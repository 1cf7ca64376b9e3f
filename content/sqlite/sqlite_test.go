package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

// mustOpen opens a real, migrated database file in a temporary directory
// with a clock frozen at a known instant that tests can move.
func mustOpen(tb testing.TB) (*sqlite.DB, *time.Time) {
	tb.Helper()
	return mustOpenWith(tb, sqlite.Options{})
}

// mustOpenWith is mustOpen with options; the zone defaults to
// Europe/Moscow and the clock is always the test's.
func mustOpenWith(tb testing.TB, opt sqlite.Options) (*sqlite.DB, *time.Time) {
	tb.Helper()
	now := new(time.Time)
	*now = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	if opt.Zone == "" {
		opt.Zone = "Europe/Moscow"
	}
	opt.Now = func() time.Time { return *now }
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "dateline.db"), opt)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, now
}

func story(headline string, tags ...string) content.Edit {
	return content.Edit{
		Headline:   headline,
		Standfirst: "A standfirst for " + headline,
		Dateline:   content.Dateline{Place: "MOSCOW"},
		Body:       "First paragraph.\n\n" + content.PageBreak + "\n\nSecond page.",
		Photos:     []content.Photo{{URL: "https://images.example.org/a.jpg", Caption: "A square", Credit: "© Jane Roe/Agency", Alt: "An empty square"}},
		Links: []content.RelatedLink{
			{Kind: content.LinkOtherMedia, Title: "Elsewhere", URL: "https://news.example.com/x"},
			{Kind: content.LinkPartner, Title: "Partner", URL: "https://partner.example.net/y"},
		},
		Tags: tags,
	}
}

func mustCreate(tb testing.TB, db *sqlite.DB, e content.Edit) *content.Article {
	tb.Helper()
	a, err := db.CreateArticle(context.Background(), e, "")
	if err != nil {
		tb.Fatalf("create %q: %v", e.Headline, err)
	}
	return a
}

func mustPublish(tb testing.TB, db *sqlite.DB, id string) *content.Article {
	tb.Helper()
	a, err := db.ChangeStatus(context.Background(), id, content.StatusChange{
		From: []content.Status{content.StatusDraft, content.StatusInReview, content.StatusScheduled, content.StatusUnpublished},
		To:   content.StatusPublished,
	})
	if err != nil {
		tb.Fatalf("publish %s: %v", id, err)
	}
	return a
}

var published = []content.Status{content.StatusPublished}

func TestCreateArticleDerivesFieldsAndDefaults(t *testing.T) {
	db, _ := mustOpen(t)
	a := mustCreate(t, db, story("Snow closes the  airport ", "Weather", "weather ", "Transport"))
	if a.Headline != "Snow closes the airport" {
		t.Errorf("headline = %q, want trimmed and collapsed", a.Headline)
	}
	if a.Slug != "snow-closes-the-airport" {
		t.Errorf("slug = %q", a.Slug)
	}
	if a.Status != content.StatusDraft || a.Version != 1 {
		t.Errorf("status %s version %d, want draft 1", a.Status, a.Version)
	}
	if a.Dateline.TimeZone != "Europe/Moscow" {
		t.Errorf("dateline zone = %q, want the newsroom default", a.Dateline.TimeZone)
	}
	if len(a.Pages) != 2 || a.WordCount == 0 || a.HTML == "" {
		t.Errorf("derived fields missing: pages %d words %d html %q", len(a.Pages), a.WordCount, a.HTML)
	}
	if len(a.Tags) != 2 || a.Tags[0].Slug != "weather" || a.Tags[1].Slug != "transport" {
		t.Errorf("tags = %+v, want weather and transport once each", a.Tags)
	}
	if len(a.Photos) != 1 || a.Photos[0].Credit != "© Jane Roe/Agency" || len(a.Links) != 2 {
		t.Errorf("photos %+v links %+v", a.Photos, a.Links)
	}
	if a.PublishedAt != nil {
		t.Errorf("a draft has published_at %v", a.PublishedAt)
	}
}

func TestCreateArticleRefusesInvalidInput(t *testing.T) {
	db, _ := mustOpen(t)
	e := story("")
	e.Dateline.TimeZone = "Mars/Olympus"
	_, err := db.CreateArticle(context.Background(), e, "")
	if content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("err = %v, want validation error", err)
	}
	fields := map[string]bool{}
	for _, f := range content.ErrorFields(err) {
		fields[f.Field] = true
	}
	if !fields["headline"] || !fields["dateline.time_zone"] {
		t.Errorf("fields at fault = %v, want headline and dateline.time_zone", fields)
	}
	as, err := db.Articles(context.Background(), content.ArticleFilter{})
	if err != nil || len(as) != 0 {
		t.Errorf("something was stored: %d articles, %v", len(as), err)
	}
}

func TestSlugsAreUniqueAndFallBackToTheID(t *testing.T) {
	db, _ := mustOpen(t)
	a := mustCreate(t, db, story("Same headline"))
	b := mustCreate(t, db, story("Same headline"))
	c := mustCreate(t, db, story("🎉🎉"))
	if a.Slug != "same-headline" || b.Slug != "same-headline-2" {
		t.Errorf("slugs %q %q", a.Slug, b.Slug)
	}
	if c.Slug != c.ID {
		t.Errorf("emoji-only headline got slug %q, want the id %q", c.Slug, c.ID)
	}
	e := story("Other")
	e.Slug = "same-headline"
	_, err := db.CreateArticle(context.Background(), e, "")
	if content.ErrorCode(err) != content.EINVALID || content.ErrorFields(err)[0].Field != "slug" {
		t.Errorf("explicit taken slug: err = %v, want a slug field error", err)
	}
}

func TestUpdateArticleChecksTheVersionAndWritesRevisions(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	a := mustCreate(t, db, story("First headline"))

	e := a.Edit
	e.Headline = "Second headline"
	b, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: 1, Edit: e, By: "u1"})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if b.Version != 2 || b.Headline != "Second headline" || b.Slug != a.Slug {
		t.Errorf("after update: version %d headline %q slug %q", b.Version, b.Headline, b.Slug)
	}

	stale := a.Edit
	stale.Headline = "Stale headline"
	_, err = db.UpdateArticle(ctx, a.ID, content.Save{Version: 1, Edit: stale})
	if !errors.Is(err, content.ErrConflict) {
		t.Fatalf("stale save: err = %v, want conflict", err)
	}
	cur, _ := db.Article(ctx, content.ArticleFilter{ID: &a.ID})
	if cur.Headline != "Second headline" || cur.Version != 2 {
		t.Errorf("stale save changed the story: %q v%d", cur.Headline, cur.Version)
	}

	revs, err := db.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].Version != 2 || revs[0].Edit.Headline != "Second headline" || revs[0].SavedBy != "u1" || revs[1].Edit.Headline != "First headline" {
		t.Errorf("revisions = %+v", revs)
	}

	_, err = db.UpdateArticle(ctx, "no-such-id", content.Save{Version: 1, Edit: e})
	if !errors.Is(err, content.ErrNotFound) {
		t.Errorf("missing article: err = %v, want not found", err)
	}
}

func TestPublishIsConditionalAndSetsPublishedAtOnce(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	a := mustCreate(t, db, story("Publish me", "Politics"))
	first := *now
	p := mustPublish(t, db, a.ID)
	if p.Status != content.StatusPublished || p.PublishedAt == nil || !p.PublishedAt.Equal(first) {
		t.Fatalf("published: %s at %v", p.Status, p.PublishedAt)
	}
	_, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
	if !errors.Is(err, content.ErrConflict) {
		t.Errorf("publishing from the wrong state: err = %v, want conflict", err)
	}
	*now = now.Add(time.Hour)
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: published, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if as, _ := db.Articles(ctx, content.ArticleFilter{Statuses: published, Tags: []string{"politics"}}); len(as) != 0 {
		t.Errorf("withdrawn story still listed by tag")
	}
	again := mustPublish(t, db, a.ID)
	if !again.PublishedAt.Equal(first) {
		t.Errorf("republish moved published_at to %v", again.PublishedAt)
	}
	if as, _ := db.Articles(ctx, content.ArticleFilter{Statuses: published, Tags: []string{"politics"}}); len(as) != 1 {
		t.Errorf("republished story not listed by tag")
	}
}

func TestPublishRefusesPhotosWithoutCredit(t *testing.T) {
	db, _ := mustOpen(t)
	e := story("No credit")
	e.Photos[0].Credit = ""
	a := mustCreate(t, db, e)
	_, err := db.ChangeStatus(context.Background(), a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
	if content.ErrorCode(err) != content.EINVALID || content.ErrorFields(err)[0].Field != "photos[0].credit" {
		t.Errorf("err = %v, want photos[0].credit refused", err)
	}
}

func TestDueClaimPublishesOnlyWhenDue(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	a := mustCreate(t, db, story("Later"))
	at := now.Add(time.Minute)
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &at}); err != nil {
		t.Fatal(err)
	}
	claim := content.StatusChange{From: []content.Status{content.StatusScheduled}, To: content.StatusPublished, Due: true}
	if _, err := db.ChangeStatus(ctx, a.ID, claim); !errors.Is(err, content.ErrConflict) {
		t.Errorf("early claim: err = %v, want conflict", err)
	}
	*now = at
	p, err := db.ChangeStatus(ctx, a.ID, claim)
	if err != nil || p.Status != content.StatusPublished || !p.PublishedAt.Equal(at) {
		t.Fatalf("due claim: %v %+v", err, p)
	}
	if _, err := db.ChangeStatus(ctx, a.ID, claim); !errors.Is(err, content.ErrConflict) {
		t.Errorf("second claim: err = %v, want conflict", err)
	}
}

func TestTagFilterAndKeysetPagingOverEqualTimestamps(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	// 25 stories published at the same instant, 25 a minute later; every
	// third one is a draft.
	want := map[string]bool{}
	for i := range 75 {
		tags := []string{"Weather"}
		if i%2 == 0 {
			tags = []string{"Politics", "Weather"}
		}
		a := mustCreate(t, db, story(fmt.Sprintf("Story %d", i), tags...))
		if i%3 == 0 {
			continue
		}
		if i == 37 {
			*now = now.Add(time.Minute)
		}
		mustPublish(t, db, a.ID)
		want[a.ID] = true
	}
	for _, tags := range [][]string{nil, {"weather"}, {"weather", "politics"}} {
		t.Run(fmt.Sprintf("tags %v", tags), func(t *testing.T) {
			seen := map[string]bool{}
			f := content.ArticleFilter{Statuses: published, Tags: tags, Limit: 7}
			var last *content.Article
			for page := 0; ; page++ {
				as, err := db.Articles(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range as {
					if seen[a.ID] {
						t.Fatalf("page %d repeats %s", page, a.ID)
					}
					if !want[a.ID] {
						t.Fatalf("page %d lists unpublished %s", page, a.ID)
					}
					if last != nil && (a.PublishedAt.After(*last.PublishedAt) || (a.PublishedAt.Equal(*last.PublishedAt) && a.ID > last.ID)) {
						t.Fatalf("order broken at %s", a.ID)
					}
					seen[a.ID] = true
					last = a
				}
				if len(as) < f.Limit {
					break
				}
				f.After = &content.Cursor{Time: *last.PublishedAt, ID: last.ID}
			}
			if len(seen) != len(want) {
				t.Errorf("paged through %d stories, want %d", len(seen), len(want))
			}
		})
	}
	as, _ := db.Articles(ctx, content.ArticleFilter{Statuses: published, Tags: []string{"politics"}, Limit: 100})
	for _, a := range as {
		found := false
		for _, tg := range a.Tags {
			found = found || tg.Slug == "politics"
		}
		if !found {
			t.Errorf("%s listed under politics without the tag", a.Slug)
		}
	}
}

func TestSlugChangeAfterPublicationLeavesARedirect(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	a := mustCreate(t, db, story("Original headline"))
	e := a.Edit
	e.Slug = "draft-rename"
	a, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RedirectSlug(ctx, "original-headline"); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("a draft rename left a redirect: %v", err)
	}
	a = mustPublish(t, db, a.ID)
	e = a.Edit
	e.Slug = "final-name"
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e, Correction: "Renamed.", Update: true}); err != nil {
		t.Fatal(err)
	}
	got, err := db.RedirectSlug(ctx, "draft-rename")
	if err != nil || got != "final-name" {
		t.Errorf("redirect = %q, %v; want final-name", got, err)
	}
	other := story("Other")
	other.Slug = "draft-rename"
	if _, err := db.CreateArticle(ctx, other, ""); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("a redirected slug was given to another story: %v", err)
	}
	full, _ := db.Article(ctx, content.ArticleFilter{ID: &a.ID})
	if len(full.Corrections) != 1 || full.Corrections[0].Text != "Renamed." {
		t.Errorf("corrections = %+v", full.Corrections)
	}
}

func TestTagsCountOnlyPublishedStories(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	mustCreate(t, db, story("Draft only", "Secret Merger"))
	a := mustCreate(t, db, story("Out", "Economy"))
	mustPublish(t, db, a.ID)
	tags, err := db.Tags(ctx, content.TagFilter{Published: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != 1 || tags[0].Slug != "economy" || tags[0].Count != 1 {
		t.Errorf("published tags = %+v", tags)
	}
	slug := "secret-merger"
	if _, err := db.Tag(ctx, content.TagFilter{Slug: &slug, Published: true}); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("draft-only tag: err = %v, want not found", err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ExecForTest(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = sqlite.Open(ctx, path, sqlite.Options{})
	if err == nil {
		t.Fatal("a database from a newer version was opened")
	}
}
