package main

import (
	"context"
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
)

func TestBrowserANewStoryAutosavesFromItsFirstChangeWithoutAReload(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/new", "#headline")
	eval[bool](b, `(window.pageMarker = "the same page", true)`)
	if b.visible("#wf-publish") || b.visible("#revisions-link") {
		t.Error("a new story offers workflow steps or revisions before it exists")
	}

	// Typing a headline creates the draft: the address changes, the page
	// does not reload, and the caret stays where the typing is.
	b.typeInto("#headline", "Night ferry returns")
	b.wait("the draft's own address", `location.pathname.startsWith("/admin/articles/0")`)
	b.wait("the saved draft", `window.dateline.editor.state.id && !window.dateline.editor.isNew`)
	if got := eval[string](b, `window.pageMarker || ""`); got != "the same page" {
		t.Errorf("the page was reloaded (marker %q)", got)
	}
	if n := eval[int](b, `performance.getEntriesByType("navigation").length`); n != 1 {
		t.Errorf("%d navigations, want the one that opened the page", n)
	}
	if got := eval[string](b, `document.activeElement.id`); got != "headline" {
		t.Errorf("focus is on %q after the first autosave, want the headline", got)
	}
	b.typeInto("#headline", " to Port Ellis")
	if got := eval[bool](b, `(() => { const h = document.querySelector("#headline"); return h.selectionStart === h.value.length; })()`); !got {
		t.Error("the caret is not at the end of the headline")
	}
	id := strings.TrimPrefix(b.path(), "/admin/articles/")

	// Later changes autosave into the same story, as for any story.
	b.setField("#body", "The night ferry is back.")
	b.wait("the autosave of the body", `!window.dateline.editor.dirty && !window.dateline.editor.saving`)
	b.waitText("#save-status", "Saved")
	got, err := a.db.Article(context.Background(), content.ArticleFilter{ID: &id})
	if err != nil {
		t.Fatal(err)
	}
	if got.Headline != "Night ferry returns to Port Ellis" || got.Body != "The night ferry is back." {
		t.Errorf("stored %q / %q", got.Headline, got.Body)
	}
	all, err := a.db.Articles(context.Background(), content.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Errorf("%d stories, want the one draft", len(all))
	}
	b.wait("the edit lock", `window.dateline.editor.locked`)
	b.wait("the workflow buttons", `document.querySelector("#wf-publish") !== null`)
	if !b.visible("#revisions-link") || !strings.HasSuffix(eval[string](b, `document.querySelector("#revisions-link").href`), "/admin/articles/"+id+"/revisions") {
		t.Error("the revisions link does not lead to the new story's revisions")
	}
	if got := b.text("#editor-title"); got != "Night ferry returns" && got != "Night ferry returns to Port Ellis" {
		t.Errorf("the page's heading says %q", got)
	}
}

func TestBrowserAnAutosaveOfflineIsRetriedWhenTheBrowserIsBackOnline(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	edda := addUser(t, a, "edda@example.org", auth.RoleEditor)
	art := draftBy(t, a, edda, "Tide tables", "The first table.")

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/"+art.ID, "#body")
	b.wait("the edit lock", `window.dateline.editor.locked`)

	b.offline(true)
	b.wait("the page to know it is offline", `navigator.onLine === false`)
	b.setField("#body", "The first table.\n\nA second table, typed on the train.")
	b.waitText("#save-status", "Offline")
	if s := b.text("#save-status"); !strings.Contains(s, "when the connection is back") {
		t.Errorf("the status while offline says %q", s)
	}
	cur, err := a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	if cur.Body != "The first table." {
		t.Fatalf("the body reached the server while offline: %q", cur.Body)
	}
	if got := b.value("#body"); !strings.Contains(got, "typed on the train") {
		t.Errorf("the text on the page while offline: %q", got)
	}

	b.offline(false)
	b.waitText("#save-status", "Saved")
	cur, err = a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cur.Body, "typed on the train") {
		t.Errorf("after reconnecting the stored body is %q", cur.Body)
	}
	if eval[bool](b, `window.dateline.editor.dirty`) {
		t.Error("the page still has unsaved changes after the retry")
	}
}
