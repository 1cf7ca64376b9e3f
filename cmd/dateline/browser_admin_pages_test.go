package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/webhook"
)

// receiver is a webhook endpoint on loopback that answers with a status
// the test sets and keeps what it was sent.
type receiver struct {
	mu     sync.Mutex
	status int
	got    []received
	url    string
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := &receiver{status: http.StatusOK}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{header: r.Header.Clone(), body: b})
		status := rc.status
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	rc.url = srv.URL
	return rc
}

func (rc *receiver) answer(status int) {
	rc.mu.Lock()
	rc.status = status
	rc.mu.Unlock()
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("waiting for %s: not after 10 s", what)
}

// status fetches the current page's URL again and returns its status.
func (b *browser) status() int {
	b.t.Helper()
	return eval[int](b, `fetch(location.href, {credentials: "same-origin"}).then(r => r.status)`)
}

func TestBrowserAnAdminAddsTestsAndRetriesAWebhook(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSiteWith(t, func(c *Config) { c.WebhooksAllowPrivate = true })
	addUser(t, a, "ada@example.org", auth.RoleAdmin)
	rc := newReceiver(t)

	b := newBrowser(t, base)
	b.login("ada@example.org")
	b.click(`header nav a[href="/admin/webhooks"]`)
	b.wait("the webhooks page", `document.querySelector("#hook-create") !== null`)
	b.checkLabels("Webhooks")
	if !b.exists("#no-hooks") {
		t.Error("the empty page does not say there are no webhooks")
	}

	// An empty URL is refused in words; a good one adds the webhook and
	// shows its secret once.
	b.click("#hook-create button[type=submit]")
	b.waitText("#hooks-error", "Give the URL")
	b.typeInto("#h-url", rc.url+"/in")
	b.typeInto("#h-desc", "Site rebuild")
	b.click("#hook-create button[type=submit]")
	b.wait("the secret", `document.querySelector("#h-secret").value.startsWith("whsec_")`)
	secret := b.value("#h-secret")
	if !eval[bool](b, `document.activeElement.id === "h-secret"`) {
		t.Error("the new secret is not focused for copying")
	}
	b.waitText("section.hook h2", rc.url+"/in")
	b.waitText("section.hook table.deliveries", "No deliveries yet")
	b.checkLabels("Webhooks with a new hook")

	// Test: a webhook.test event through the dispatcher, signed with the
	// secret shown.
	b.click("section.hook .hook-test")
	b.waitText("section.hook .hook-status", "The test event was delivered: HTTP 200.")
	reqs := rc.requests()
	if len(reqs) != 1 {
		t.Fatalf("the receiver got %d requests, want 1", len(reqs))
	}
	if err := webhook.Verify(secret, reqs[0].header, reqs[0].body, time.Now(), 5*time.Minute); err != nil {
		t.Errorf("the test event's signature does not verify with the secret shown: %v", err)
	}
	if !strings.Contains(string(reqs[0].body), `"type":"webhook.test"`) {
		t.Errorf("the test body: %s", reqs[0].body)
	}
	b.waitText("section.hook tr.delivery-row", "Delivered")
	if got := b.text("section.hook tr.delivery-row .delivery-response"); got != "HTTP 200" {
		t.Errorf("the delivery's response shows %q", got)
	}

	// A story published while the receiver fails: the dispatcher tries,
	// then gives up (as after its last attempt); Retry sends it again.
	rc.answer(http.StatusServiceUnavailable)
	art := publishedStory(t, a, "Harbour wall vote")
	waitFor(t, "the failed attempt", func() bool { return len(rc.requests()) == 2 })
	hooks, err := a.db.Webhooks(context.Background())
	if err != nil || len(hooks) != 1 {
		t.Fatalf("webhooks: %v %v", hooks, err)
	}
	var failed content.Delivery
	waitFor(t, "the pending retry", func() bool {
		ds, _ := a.db.Deliveries(context.Background(), content.DeliveryFilter{WebhookID: hooks[0].ID, Status: content.DeliveryPending})
		if len(ds) == 1 && ds[0].LastStatusCode == http.StatusServiceUnavailable {
			failed = ds[0]
			return true
		}
		return false
	})
	if err := a.db.FinishDelivery(context.Background(), failed.ID, content.Attempt{At: time.Now(), StatusCode: 503, Err: "HTTP 503"}); err != nil {
		t.Fatal(err)
	}
	rc.answer(http.StatusOK)
	b.click("section.hook .hook-refresh")
	row := fmt.Sprintf(`section.hook tr.delivery-row[data-id=%q]`, failed.ID)
	b.waitText(row, "Failed")
	if got := b.text(row + " .delivery-response"); !strings.Contains(got, "HTTP 503") {
		t.Errorf("the failed delivery's response shows %q", got)
	}
	b.click(row + " .delivery-retry")
	b.waitText("section.hook .hook-status", "The retried article.published delivery was delivered: HTTP 200.")
	reqs = rc.requests()
	if len(reqs) != 3 || reqs[2].header.Get(webhook.HeaderID) != reqs[1].header.Get(webhook.HeaderID) {
		t.Errorf("the retry is not the same message again: %d requests", len(reqs))
	} else if !strings.Contains(string(reqs[2].body), art.ID) {
		t.Errorf("the retried body: %s", reqs[2].body)
	}
	if got := b.text(row + " .delivery-attempts"); got != "2" {
		t.Errorf("attempts after the retry: %q, want 2", got)
	}
	b.screenshot("webhooks.png")

	// Turned off, then deleted after a confirmation.
	b.click("section.hook .hook-toggle")
	b.waitText("section.hook .hook-state", "Off")
	b.open("/admin/webhooks", "section.hook")
	b.waitText("section.hook .hook-state", "Off")
	b.click("section.hook .hook-delete")
	b.wait("the webhook gone", `document.querySelector("section.hook") === null`)
	if c := b.confirmed(); len(c) != 1 || !strings.Contains(c[0], "Delete the webhook for "+rc.url+"/in") {
		t.Errorf("confirmations %q", c)
	}
	if hooks, _ := a.db.Webhooks(context.Background()); len(hooks) != 0 {
		t.Errorf("%d webhooks left", len(hooks))
	}
}

func TestBrowserAnEditorMovesAStoryToTheTrashRestoresAndPurgesIt(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	art := publishedStory(t, a, "Pier closes for repairs")
	publicCode := func() int { return getJSON(t, base+"/api/v1/articles/"+art.Slug, nil) }
	if publicCode() != http.StatusOK {
		t.Fatal("the story is not public to start with")
	}

	b := newBrowser(t, base)
	b.login("edda@example.org")
	live := eval[string](b, `(document.querySelector("a.view-live") || {}).href || ""`)
	if live != base+"/api/v1/articles/"+art.Slug {
		t.Errorf("View live links to %q", live)
	}
	b.click(fmt.Sprintf(`button.story-trash[data-id=%q]`, art.ID))
	b.waitText("#flash", "is in the Trash")
	if b.exists(fmt.Sprintf(`button.story-trash[data-id=%q]`, art.ID)) {
		t.Error("the deleted story is still in the list")
	}
	if c := b.confirmed(); len(c) != 1 || !strings.Contains(c[0], "leaves the public site") {
		t.Errorf("confirmations %q", c)
	}
	if code := publicCode(); code != http.StatusNotFound {
		t.Errorf("the deleted story answers %d in the public API", code)
	}

	b.click(`header nav a[href="/admin/trash"]`)
	b.wait("the Trash", `location.pathname === "/admin/trash"`)
	b.checkLabels("Trash")
	row := fmt.Sprintf(`tr.trash-row[data-id=%q]`, art.ID)
	b.waitText(row, "Pier closes for repairs")
	if got := b.text(row); !strings.Contains(got, "by edda") || !strings.Contains(got, "Published") {
		t.Errorf("the Trash row says %q", got)
	}
	b.screenshot("trash.png")
	b.click(row + " .trash-restore")
	b.waitText("#flash", "is restored, withdrawn")
	b.waitText("#trash-list", "The Trash is empty.")
	if !eval[bool](b, `document.activeElement.id === "trash-title"`) {
		t.Error("focus is lost after the restore")
	}
	if code := publicCode(); code != http.StatusNotFound {
		t.Errorf("the restored story answers %d in the public API before it is republished", code)
	}
	b.open("/admin", "table.list")
	b.waitText("table.list", "Pier closes for repairs")
	b.waitText("table.list", "Withdrawn")

	// Deleted again and purged for good.
	b.click(fmt.Sprintf(`button.story-trash[data-id=%q]`, art.ID))
	b.waitText("#flash", "is in the Trash")
	b.open("/admin/trash", row)
	b.click(row + " .trash-purge")
	b.waitText("#flash", "is purged")
	if c := b.confirmed(); len(c) != 3 || !strings.Contains(c[2], "cannot be undone") {
		t.Errorf("confirmations %q", c)
	}
	if items, err := a.db.Trash(context.Background(), content.TrashFilter{}); err != nil || len(items) != 0 {
		t.Errorf("the Trash holds %d stories (%v)", len(items), err)
	}
}

func TestBrowserAnEditorDeletesATagMovingItsStories(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	publishedStory(t, a, "Count goes on", "Elections")
	publishedStory(t, a, "Turnout falls", "Voting")
	tagged := func(slug string) int {
		var out struct{ Articles []struct{ Slug string } }
		getJSON(t, base+"/api/v1/articles?tag="+slug, &out)
		return len(out.Articles)
	}

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/tags", "form.tag-delete")
	b.checkLabels("Tags")
	b.setField("#delete-elections", "voting")
	b.click(`form.tag-delete[data-slug="elections"] button[type=submit]`)
	b.wait("the tag gone", `document.querySelector('form.tag-delete[data-slug="elections"]') === null && document.querySelector("form.tag-delete") !== null`)
	if c := b.confirmed(); len(c) != 1 || !strings.Contains(c[0], "Delete the tag “Elections”? Its story moves to “Voting”") {
		t.Errorf("confirmations %q", c)
	}
	if n := tagged("voting"); n != 2 {
		t.Errorf("the public API lists %d stories tagged voting, want 2", n)
	}
	if code := getJSON(t, base+"/api/v1/tags/voting", nil); code != http.StatusOK {
		t.Errorf("tag voting answers %d", code)
	}
	// A plain delete: the stories lose the tag.
	b.click(`form.tag-delete[data-slug="voting"] button[type=submit]`)
	b.wait("the last tag gone", `document.querySelector("form.tag-delete") === null`)
	if n := tagged("voting"); n != 0 {
		t.Errorf("the public API lists %d stories tagged voting after its deletion", n)
	}
}

func TestBrowserARoleChangeNeedsAConfirmation(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "ada@example.org", auth.RoleAdmin)
	cora := addUser(t, a, "cora@example.org", auth.RoleContributor)
	role := func() auth.Role {
		u, err := a.db.UserByID(context.Background(), cora.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u.Role
	}

	b := newBrowser(t, base)
	b.login("ada@example.org")
	b.open("/admin/users", "tr.user-row")
	b.checkLabels("Users")
	sel := "#role-" + cora.ID
	apply := fmt.Sprintf(`tr.user-row[data-id=%q] .role-apply`, cora.ID)
	if !eval[bool](b, `document.querySelector(`+fmt.Sprintf("%q", apply)+`).disabled`) {
		t.Error("Change role is enabled before a new role is chosen")
	}
	b.setField(sel, "editor")
	b.waitText(fmt.Sprintf(`tr.user-row[data-id=%q] .role-hint`, cora.ID), "Not changed yet")
	time.Sleep(300 * time.Millisecond)
	if r := role(); r != auth.RoleContributor {
		t.Fatalf("choosing a role in the list changed it to %s", r)
	}

	// Cancelled: nothing changes and the list shows the role again.
	eval[bool](b, `(() => { window.confirm = () => false; return true; })()`)
	b.click(apply)
	b.waitText(fmt.Sprintf(`tr.user-row[data-id=%q] .role-hint`, cora.ID), "Role not changed.")
	if v := b.value(sel); v != "contributor" {
		t.Errorf("after a cancel the list shows %q", v)
	}
	if r := role(); r != auth.RoleContributor {
		t.Fatalf("a cancelled change made cora %s", r)
	}

	// Confirmed: the role changes.
	b.open("/admin/users", "tr.user-row")
	b.setField(sel, "author")
	b.click(apply)
	b.waitText("#flash", "cora is now author.")
	if c := b.confirmed(); len(c) != 1 || !strings.Contains(c[0], "Change the role of cora from contributor to author?") {
		t.Errorf("confirmations %q", c)
	}
	if r := role(); r != auth.RoleAuthor {
		t.Errorf("after the confirmation cora is %s", r)
	}
}

func TestBrowserAdminErrorPagesUseTheAdminLayout(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)

	b := newBrowser(t, base)
	b.open("/admin/no-such-page", "#error-title")
	if got := b.text("#error-title"); got != "Page not found" || !b.exists(`a[href="/admin/login"]`) || b.status() != http.StatusNotFound {
		t.Errorf("without a session: %q, status %d", got, b.status())
	}

	b.login("edda@example.org")
	for _, tc := range []struct {
		path, heading string
		status        int
	}{
		{"/admin/no-such-page", "Page not found", http.StatusNotFound},
		{"/admin/articles/0190a000-0000-7000-8000-000000000009", "Not found", http.StatusNotFound},
		{"/admin/webhooks", "Not allowed", http.StatusForbidden},
		{"/admin/settings", "Not allowed", http.StatusForbidden},
	} {
		b.open(tc.path, "#error-title")
		if got := b.text("#error-title"); got != tc.heading {
			t.Errorf("%s: heading %q, want %q", tc.path, got, tc.heading)
		}
		if got := b.status(); got != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, got, tc.status)
		}
		if !b.visible("#logout") || !b.exists(`header nav a[href="/admin/trash"]`) {
			t.Errorf("%s: the page lacks the admin layout's header", tc.path)
		}
		if strings.Contains(b.text("main"), "No stories match") {
			t.Errorf("%s: shows an empty story list", tc.path)
		}
	}
	b.open("/admin/articles/0190a000-0000-7000-8000-000000000009", "#error-title")
	b.click(`a[href="/admin/trash"].button`)
	b.wait("the Trash", `location.pathname === "/admin/trash"`)
}

func TestBrowserAnAdminReadsTheSettingsAndTheirSources(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSiteWith(t, func(c *Config) {
		c.SiteName = "The Harbour Gazette"
		c.note("site_name", "config file config.yaml")
		c.TrashDays = 14
		c.noteEnv("DATELINE_TRASH_DAYS")
	})
	addUser(t, a, "ada@example.org", auth.RoleAdmin)
	b := newBrowser(t, base)
	b.login("ada@example.org")
	b.click(`header nav a[href="/admin/settings"]`)
	b.wait("the settings", `document.querySelector("#settings") !== null`)
	for key, want := range map[string][]string{
		"site_name":  {"The Harbour Gazette", "config file config.yaml"},
		"trash_days": {"14 days", "environment DATELINE_TRASH_DAYS"},
		"base_url":   {base},
		"time_zone":  {"Europe/Moscow", "default"},
		"language":   {"en"},
		"preview":    {base + "/preview/{code}", "follows base_url"},
	} {
		got := b.text(fmt.Sprintf(`#settings tr[data-key=%q]`, key))
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("setting %s shows %q, lacking %q", key, got, w)
			}
		}
	}
	if !strings.Contains(b.text("#settings-readonly"), "restart Dateline") {
		t.Error("the page does not say how to change a setting")
	}
}

func TestBrowserAnEditorSendsAStoryBackWithAReasonTheAuthorReads(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	cora := addUser(t, a, "cora@example.org", auth.RoleContributor)
	ctx := context.Background()
	art, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Harbour dredging begins", Body: "Text."}, cora.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.ChangeStatus(ctx, art.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusInReview}); err != nil {
		t.Fatal(err)
	}

	ed := newBrowser(t, base)
	ed.login("edda@example.org")
	form := fmt.Sprintf(`form.send-back-form[data-id=%q]`, art.ID)
	ed.click("details.send-back summary")
	ed.checkLabels("Stories with the send-back form")
	ed.screenshot("list-send-back.png")
	ed.typeInto(form+" textarea", "Who paid for the dredging? Add the source.")
	ed.click(form + " button[type=submit]")
	ed.waitText("#flash", "is sent back to its author")
	got, err := a.db.Article(ctx, content.ArticleFilter{ID: &art.ID})
	if err != nil || got.Status != content.StatusDraft {
		t.Fatalf("after sending back: %v %v", got.Status, err)
	}

	co := newBrowser(t, base)
	co.login("cora@example.org")
	co.waitText(".review-note", "Sent back by edda")
	if note := co.text(".review-note"); !strings.Contains(note, "Who paid for the dredging? Add the source.") {
		t.Errorf("the author's list shows %q", note)
	}
	co.checkLabels("Stories with a review note")
}
