package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dateline/auth"
	"dateline/content"
)

// editableControls lists, as JavaScript, the ids (or tags) of the story's
// controls in the editor that can still be changed: neither disabled nor
// read-only. The lock's own buttons do not count, nor do the diff toggle
// and the phone's Edit / Preview tabs, which only change the view.
const editableControls = `$$("#editor input, #editor textarea, #editor select, #editor button")
	.filter(c => !["take-over", "lock-copy", "lock-edit", "wc-diff-toggle", "tab-edit", "tab-preview"].includes(c.id) && !c.disabled && !c.readOnly)
	.map(c => c.id || c.tagName)`

func TestBrowserALockedStoryIsReadOnlyForOthersAndATakeOverIsNoticedWithinSeconds(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	addUser(t, a, "eric@example.org", auth.RoleEditor)
	arto := addUser(t, a, "arto@example.org", auth.RoleAuthor)
	art := draftBy(t, a, arto, "Council votes on the harbour wall", "The vote is on Tuesday.")
	editor := "/admin/articles/" + art.ID

	first := newBrowser(t, base)
	first.login("edda@example.org")
	first.open(editor, "#body")
	first.wait("the first editor's lock", `window.dateline && window.dateline.editor.locked`)
	if got := eval[[]string](first, editableControls); len(got) == 0 {
		t.Fatal("the holder's editor has no controls to edit")
	}

	// The story's author, who may edit it but not take over an editor's
	// lock, reads it: every field and button is off, the workflow buttons
	// say why, and typing does nothing.
	reader := newBrowser(t, base)
	reader.login("arto@example.org")
	reader.open(editor, "#body")
	reader.waitText("#lock-banner", "edda is editing this story")
	reader.wait("the read-only editor", `document.querySelector("#editor").classList.contains("read-only")`)
	if got := eval[[]string](reader, editableControls); len(got) != 0 {
		t.Errorf("controls a non-holder can still change: %v", got)
	}
	if reader.exists("#take-over") {
		t.Error("an author is offered to take over an editor's lock")
	}
	if !reader.exists("#wf-publish") {
		t.Error("the author's own draft shows no workflow buttons")
	}
	for _, sel := range []string{"#save", "#wf-publish", "#wf-schedule", "#photo-upload", "#link-add"} {
		if reader.exists(sel) && !reader.exists(sel+"[disabled]") {
			t.Errorf("%s is enabled for a non-holder", sel)
		}
	}
	if got := reader.text("#workflow-reason"); !strings.Contains(got, "edda is editing this story") || !reader.visible("#workflow-reason") {
		t.Errorf("the workflow buttons' reason says %q", got)
	}
	reader.do("type into the read-only headline", chromedp.Click(chromedp.CSS("#headline")), chromedp.SendKeys(chromedp.CSS("#headline"), "Sneaky "))
	if got := reader.value("#headline"); got != "Council votes on the harbour wall" {
		t.Errorf("a non-holder typed into the headline: %q", got)
	}

	// Another editor takes over while the first has typed and not saved:
	// the first learns of it within seconds, turns read-only and keeps
	// the text, with a way to copy it.
	second := newBrowser(t, base)
	second.login("eric@example.org")
	second.open(editor, "#body")
	second.waitText("#lock-banner", "edda is editing")
	first.setField("#body", "The vote is on Tuesday.\n\nEdda's unsaved paragraph.")
	second.click("#take-over")
	took := time.Now()
	second.wait("the take-over", `window.dateline.editor.locked`)
	first.waitText("#lock-banner", "eric is editing this story")
	t.Logf("the holder with unsaved text learned of the take-over after %s", time.Since(took).Round(10*time.Millisecond))
	if d := time.Since(took); d > 8*time.Second {
		t.Errorf("the first editor learned of the take-over after %s, want a few seconds", d.Round(100*time.Millisecond))
	}
	first.wait("the first editor's read-only page", `document.querySelector("#editor").classList.contains("read-only")`)
	if got := first.value("#body"); !strings.Contains(got, "Edda's unsaved paragraph.") {
		t.Errorf("the first editor's unsaved text is gone: %q", got)
	}
	first.screenshot("editor-taken-over.png")
	if !first.visible("#lock-copy") {
		t.Error("the first editor is not offered to copy the unsaved text")
	}
	if got := eval[[]string](first, editableControls); len(got) != 0 {
		t.Errorf("controls the first editor can still change after the take-over: %v", got)
	}
	cur, err := a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cur.Body, "Edda's unsaved paragraph.") {
		t.Error("the first editor's text was saved over the take-over")
	}

	// With nothing typed, the heartbeat alone brings the news: the first
	// editor takes the story back and the second notices within seconds.
	second.wait("the second editor's page at rest", `!window.dateline.editor.dirty`)
	first.click("#take-over")
	took = time.Now()
	first.wait("the take-back", `window.dateline.editor.locked`)
	second.waitText("#lock-banner", "edda is editing this story")
	t.Logf("the idle holder learned of the take-back after %s", time.Since(took).Round(10*time.Millisecond))
	if d := time.Since(took); d > 8*time.Second {
		t.Errorf("the second editor learned of the take-back after %s", d.Round(100*time.Millisecond))
	}
	if got := first.value("#body"); !strings.Contains(got, "Edda's unsaved paragraph.") {
		t.Errorf("taking the story back lost the text: %q", got)
	}
	if got := eval[[]string](first, editableControls); len(got) == 0 {
		t.Error("the editor that took the story back cannot edit")
	}
	first.saveKeys()
	first.waitText("#save-status", "Saved")
	cur, err = a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cur.Body, "Edda's unsaved paragraph.") {
		t.Errorf("the stored body after the take-back: %q", cur.Body)
	}
}
