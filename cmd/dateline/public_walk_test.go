package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/schedule"
)

// publicTargets are every public read a story can show in, by the paths of
// a story ("quokka-census", tagged Harbour and Quokkas, credited to the
// author "vera-quill") that walkTest takes out of public view. gone marks
// the reads that answer 404 once the story is out, since nothing else
// public has that slug, tag or author.
var publicTargets = []struct {
	target string
	gone   bool // 404 once the story is out
	others bool // still shows the other story on tag Harbour
}{
	// The Harbour tag shows the story only in its count.
	{"/api/v1/tags/harbour#count", false, true},
	{"/api/v1/articles", false, true},
	{"/api/v1/articles?limit=1", false, true},
	{"/api/v1/articles?tag=harbour", false, true},
	{"/api/v1/articles?tag=quokkas", false, false},
	{"/api/v1/articles?author=vera-quill", false, false},
	{"/api/v1/articles?featured=true", false, false},
	{"/api/v1/articles?q=quokka", false, false},
	{"/api/v1/articles?q=harbour&tag=harbour", false, true},
	{"/api/v1/articles/quokka-census", true, false},
	{"/api/v1/articles/quokka-census?format=ninjs", true, false},
	{"/api/v1/tags", false, true},
	{"/api/v1/tags/quokkas", true, false},
	{"/api/v1/authors", false, false},
	{"/api/v1/authors/vera-quill", true, false},
	{"/api/v1/corrections", false, false},
	{"/api/v1/feeds/rss.xml", false, true},
	{"/api/v1/feeds/atom.xml", false, true},
	{"/api/v1/feeds/feed.json", false, true},
	{"/api/v1/tags/harbour/rss.xml", false, true},
	{"/api/v1/tags/harbour/atom.xml", false, true},
	{"/api/v1/tags/harbour/feed.json", false, true},
	{"/api/v1/tags/quokkas/rss.xml", true, false},
	{"/api/v1/tags/quokkas/atom.xml", true, false},
	{"/api/v1/tags/quokkas/feed.json", true, false},
	{"/sitemap.xml", false, true},
	{"/sitemaps/1.xml", false, true},
	{"/news-sitemap.xml", false, true},
}

// TestAStoryOutOfPublicViewLeavesEveryPublicRead takes a published story
// out of public view in each way there is and walks every public endpoint
// through the production router, caches on as configured by default: the
// story shows everywhere before and nowhere after, while another story on
// the same tag stays; the changes feed keeps its tombstone.
func TestAStoryOutOfPublicViewLeavesEveryPublicRead(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		out  func(t *testing.T, a *app, victim *content.Article)
	}{
		{"a deleted story", func(t *testing.T, a *app, victim *content.Article) {
			if err := a.db.DeleteArticle(ctx, victim.ID, ""); err != nil {
				t.Fatal(err)
			}
		}},
		{"a withdrawn story", func(t *testing.T, a *app, victim *content.Article) {
			if _, err := a.db.ChangeStatus(ctx, victim.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
				t.Fatal(err)
			}
		}},
		{"a story its scheduled withdrawal took down", func(t *testing.T, a *app, victim *content.Article) {
			later := func() time.Time { return victim.UnpublishAt.Add(time.Second) }
			if _, err := schedule.New(a.db, schedule.Options{Now: later, Log: a.log}).Sweep(ctx); err != nil {
				t.Fatal(err)
			}
			a2, err := a.db.Article(ctx, content.ArticleFilter{ID: &victim.ID})
			if err != nil || a2.Status != content.StatusUnpublished {
				t.Fatalf("the scheduler did not withdraw the story: %v %v", a2, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is in no public read and the changes feed keeps its tombstone", func(t *testing.T) {
			a, h := newTestApp(t)
			victim, bystander := walkSeed(t, a)
			leaks := []string{victim.ID, victim.Slug, "Quokka", "quokkas", "vera-quill", "Vera Quill", "counted twice"}
			harbour := get(t, h, "/api/v1/tags/harbour").Body.String()
			if !strings.Contains(harbour, `"article_count":2`) {
				t.Fatalf("before: the Harbour tag counts %s, want both stories", harbour)
			}
			for _, p := range publicTargets {
				if strings.HasSuffix(p.target, "#count") {
					continue
				}
				rec := get(t, h, p.target)
				shows := false
				for _, leak := range leaks {
					shows = shows || strings.Contains(rec.Body.String(), leak)
				}
				if rec.Code != http.StatusOK || !shows {
					t.Fatalf("before: %s does not show the story: %d %s", p.target, rec.Code, rec.Body)
				}
			}
			tt.out(t, a, victim)
			for _, p := range publicTargets {
				target, count := strings.CutSuffix(p.target, "#count")
				rec := get(t, h, target)
				if count && !strings.Contains(rec.Body.String(), `"article_count":1`) {
					t.Errorf("after: %s counts %s, want the other story only", target, rec.Body)
				}
				body := rec.Body.String()
				switch {
				case p.gone && rec.Code != http.StatusNotFound:
					t.Errorf("after: %s answers %d, want 404: %s", p.target, rec.Code, body)
				case !p.gone && rec.Code != http.StatusOK:
					t.Errorf("after: %s answers %d, want 200: %s", p.target, rec.Code, body)
				}
				for _, leak := range leaks {
					if strings.Contains(body, leak) {
						t.Errorf("after: %s still shows %q:\n%s", p.target, leak, body)
					}
				}
				if p.others && !strings.Contains(body, bystander.Slug) && !strings.Contains(body, "Harbour") {
					t.Errorf("after: %s no longer shows the other story: %s", p.target, body)
				}
			}
			var changes struct {
				Changes []struct{ Type, ID string }
			}
			decode(t, get(t, h, "/api/v1/changes?limit=1000"), &changes)
			last := changes.Changes[len(changes.Changes)-1]
			if last.Type != content.EventUnpublished || last.ID != victim.ID {
				t.Errorf("the changes feed ends with %+v, want the story's tombstone", last)
			}
		})
	}
}

// walkSeed publishes the story walkTest takes out of view, with a tag and
// an author of its own, a featured flag, a photo and a correction, and a
// second story on one of its tags that stays.
func walkSeed(t *testing.T, a *app) (victim, bystander *content.Article) {
	t.Helper()
	ctx := context.Background()
	vera, err := a.db.CreateUser(ctx, auth.User{Email: "vera@example.org", Name: "Vera Quill", Bio: "Counts wildlife.", Role: auth.RoleAuthor})
	if err != nil {
		t.Fatal(err)
	}
	photo := content.Photo{URL: "/media/quokka.png", Caption: "A quokka", Credit: "© Ann Lee/Agency", Alt: "A smiling quokka"}
	publish := func(e content.Edit, unpublish *time.Time) *content.Article {
		t.Helper()
		art, err := a.db.CreateArticle(ctx, e, "")
		if err != nil {
			t.Fatal(err)
		}
		art, err = a.db.ChangeStatus(ctx, art.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished, UnpublishAt: unpublish})
		if err != nil {
			t.Fatal(err)
		}
		return art
	}
	bystander = publish(content.Edit{Headline: "Harbour dredging starts", Body: "The harbour is dredged.", Tags: []string{"Harbour"},
		Photos: []content.Photo{photo}}, nil)
	withdrawal := time.Now().Add(time.Hour)
	victim = publish(content.Edit{Headline: "Quokka census on the harbour island", Slug: "quokka-census", Standfirst: "Quokka numbers rise.",
		Body: "The quokka census counted 312 animals.\n\n" + content.PageBreak + "\n\nMore harbour news.", Tags: []string{"Harbour", "Quokkas"},
		AuthorIDs: []string{vera.ID}, Photos: []content.Photo{photo}, Featured: true}, &withdrawal)
	victim, err = a.db.UpdateArticle(ctx, victim.ID, content.Save{Update: true, Version: victim.Version, Edit: victim.Edit, Correction: "Some quokkas were counted twice."})
	if err != nil {
		t.Fatal(err)
	}
	return victim, bystander
}
