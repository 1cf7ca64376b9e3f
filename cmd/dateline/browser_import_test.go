package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

func TestBrowserAnEditorPublishesAgencyCopyAsOfItsRealTime(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	edda := addUser(t, a, "edda@example.org", auth.RoleEditor)
	art := draftBy(t, a, edda, "Agency copy from 2016", "Filed at the time.")

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/"+art.ID, "#published-as-of")
	b.setField("#published-as-of", "2016-09-08T08:43") // Europe/Moscow, UTC+3
	b.click("#wf-publish")
	b.waitText("#status-badge", "Published")
	b.waitText("#first-published", "8 Sep 2016 08:43")
	if !strings.Contains(b.text("#first-published"), "published as of this time by") {
		t.Errorf("the editor says %q, want who published it as of that time", b.text("#first-published"))
	}
	if b.exists("#published-as-of") {
		t.Error("a published story still offers to publish as of a past time")
	}
	cur, err := a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC); cur.PublishedAt == nil || !cur.PublishedAt.Equal(want) {
		t.Errorf("published_at = %v, want %v", cur.PublishedAt, want)
	}
	b.open("/admin/articles/"+art.ID+"/revisions", "table.list")
	if !strings.Contains(b.text("table.list"), "published as of 8 Sep 2016 08:43") {
		t.Errorf("the revisions list does not log the backdate: %q", b.text("table.list"))
	}
}

func TestBrowserAnImportedStoryWithoutACreditIsFlagged(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	pub := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC)
	s := &content.ImportedStory{SourceID: "1", Import: content.Import{Status: content.StatusPublished, PublishedAt: &pub,
		Edit: content.Edit{Headline: "Uncredited archive photo", Body: "Text.",
			Photos: []content.Photo{{URL: "https://images.example.org/a.jpg", Alt: "A pier"}}}}}
	s.HoldForCredit()
	rs, err := a.db.ImportStories(context.Background(), []*content.ImportedStory{s}, content.ImportOptions{Source: "wxr:https://old.example.org"})
	if err != nil || rs[0].Action != content.ImportCreated {
		t.Fatalf("import: %+v %v", rs, err)
	}
	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin", "table.list")
	if !strings.Contains(b.text("table.list"), "needs credit") {
		t.Errorf("the story list does not flag the story: %q", b.text("table.list"))
	}
	b.open("/admin/articles/"+rs[0].ArticleID, "#body")
	if !strings.Contains(b.text("#needs-credit"), "keeps its original date") || !strings.Contains(b.text("#first-published"), "8 Sep 2016") {
		t.Errorf("the editor says %q / %q", b.text("#needs-credit"), b.text("#first-published"))
	}
}
