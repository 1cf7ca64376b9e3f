package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

// newBrowserSiteWithHooks is newBrowserSite with webhooks to loopback
// receivers allowed, so that a test can count the deliveries.
func newBrowserSiteWithHooks(t *testing.T) (*app, string) {
	t.Helper()
	return newBrowserSiteWith(t, func(c *Config) { c.WebhooksAllowPrivate = true })
}

func TestBrowserALiveStoryIsEditedInItsWorkingCopyUntilUpdate(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSiteWithHooks(t)
	hk := newHooks(t, a)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	art := publishedStory(t, a, "Harbour wall vote")
	if got := hk.settle(t, 1); len(got) != 1 {
		t.Fatalf("webhooks after publishing: %v", got)
	}
	public := func() string {
		t.Helper()
		var out struct {
			Headline    string `json:"headline"`
			Corrections []struct {
				Text string `json:"text"`
			} `json:"corrections"`
		}
		if code := getJSON(t, base+"/api/v1/articles/"+art.Slug, &out); code != http.StatusOK {
			t.Fatalf("public read: %d", code)
		}
		if n := len(out.Corrections); n > 0 {
			return out.Headline + " | " + out.Corrections[n-1].Text
		}
		return out.Headline
	}

	start := time.Now()
	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/"+art.ID, "#working-copy")
	b.wait("the editor's lock", `window.dateline && window.dateline.editor.locked`)
	b.waitText("#wc-state", "No unpublished changes")
	if !strings.Contains(b.text("#wc-heading"), "Live") {
		t.Errorf("the panel does not say the story is live: %q", b.text("#wc-heading"))
	}

	// Typing into a live story autosaves into the working copy only, and
	// a correction being typed meanwhile is not attached by the autosave.
	b.setField("#update-correction", "An earlier version gave the wrong date.")
	b.setField("#headline", "Harbour wall vote delayed")
	b.wait("the autosave", `window.dateline.editor.state.working_copy !== null && !window.dateline.editor.dirty`)
	b.waitText("#wc-state", "Unpublished changes")
	if p := public(); p != "Harbour wall vote" {
		t.Errorf("the public API shows %q after an autosave, want the live headline and no correction", p)
	}
	if got, _ := a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID, Full: true}); got == nil || len(got.Corrections) != 0 {
		t.Errorf("the autosave attached a correction: %+v", got)
	}
	b.click("#wc-diff-toggle")
	b.waitText("#wc-changed", "headline")
	if d := b.text("#wc-diff"); !strings.Contains(d, "+ Headline: Harbour wall vote delayed") || !strings.Contains(d, "− Headline: Harbour wall vote") {
		t.Errorf("the diff against live: %q", d)
	}
	if got := hk.settle(t, 1); len(got) != 1 {
		t.Fatalf("webhooks before Update: %v, want only the publication", got)
	}
	if revs, _ := a.db.Revisions(context.Background(), art.ID); len(revs) != 2 {
		t.Errorf("%d revisions, want the live one and the working copy's", len(revs))
	}

	t.Logf("update at %v", time.Since(start))
	// Update publishes it, with the correction typed for it.
	b.click("#wc-update")
	b.waitText("#wc-state", "No unpublished changes")
	if p := public(); p != "Harbour wall vote delayed | An earlier version gave the wrong date." {
		t.Errorf("the public API shows %q after Update", p)
	}
	hooks := hk.settle(t, 2)
	if len(hooks) != 2 || !strings.HasPrefix(hooks[1], "article.updated ") {
		t.Errorf("webhooks after Update: %v, want the publication and one article.updated", hooks)
	}

	// Restoring the first revision restores into the working copy.
	t.Logf("restore at %v: %s dirty=%v", time.Since(start), b.path(), eval[bool](b, `window.dateline.editor.dirty`))
	b.open("/admin/articles/"+art.ID+"/revisions", "table.list")
	b.click(`button.restore[data-version="1"]`)
	b.wait("the editor after the restore", `location.pathname === "/admin/articles/`+art.ID+`" && window.dateline && window.dateline.editor`)
	b.waitText("#wc-state", "Unpublished changes")
	if v := b.value("#headline"); v != "Harbour wall vote" {
		t.Errorf("the editor shows %q after the restore, want the restored headline", v)
	}
	if p := public(); p != "Harbour wall vote delayed | An earlier version gave the wrong date." {
		t.Errorf("the public API shows %q after a restore, want it unchanged", p)
	}

	// Discard drops it; the editor shows the live story again.
	b.click("#wc-discard")
	b.waitText("#wc-state", "No unpublished changes")
	if v := b.value("#headline"); v != "Harbour wall vote delayed" {
		t.Errorf("the editor shows %q after Discard, want the live headline", v)
	}
	// An update scheduled for later waits, and can be cancelled.
	b.setField("#headline", "Harbour wall vote delayed again")
	b.wait("the autosave", `window.dateline.editor.state.working_copy !== null && !window.dateline.editor.dirty`)
	b.setField("#update-at", eval[string](b, `newsroomLocal(new Date(Date.now() + 3600e3).toISOString())`))
	b.click("#wc-update")
	b.waitText("#wc-state", "update scheduled for")
	if items, _ := a.db.ScheduleItems(context.Background(), content.ScheduleFilter{}); len(items) != 1 || items[0].Action != content.ActionUpdate {
		t.Errorf("schedule after scheduling the update: %+v", items)
	}
	b.click("#wc-cancel-update")
	b.wait("the cancelled update", `!document.querySelector("#wc-state").textContent.includes("scheduled") && document.querySelector("#wc-cancel-update").hidden`)
	if p := public(); p != "Harbour wall vote delayed | An earlier version gave the wrong date." {
		t.Errorf("the public API shows %q with an update scheduled, want it unchanged", p)
	}
	if got := hk.settle(t, 2); len(got) != 2 {
		t.Errorf("webhooks at the end: %v, want the publication and the one update", got)
	}
	for _, c := range b.confirmed() {
		t.Logf("confirmed: %s", c)
	}
}
