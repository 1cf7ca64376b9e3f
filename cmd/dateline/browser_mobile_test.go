package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"dateline/auth"
	"dateline/content"
)

// The admin app on a phone: a 390 × 844 CSS pixel screen (an iPhone 14's)
// at three device pixels per CSS pixel, with the mobile viewport rules.

// phoneHeaderMax is the tallest the closed header may be on a phone, in
// CSS pixels: one row, brand and menu button.
const phoneHeaderMax = 64

// phone makes b's page a phone screen until the test ends.
func (b *browser) phone() {
	b.t.Helper()
	b.viewport(390, 844, 3, true)
}

// viewport sets the page's screen to width × height CSS pixels.
func (b *browser) viewport(width, height int64, scale float64, mobile bool) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: width, Height: height, DeviceScaleFactor: scale, Mobile: mobile}); err != nil {
		b.t.Fatalf("emulate a %d px screen: %v", width, err)
	}
}

// typeAtEnd types s at the end of the text of field sel, key by key.
func (b *browser) typeAtEnd(sel, s string) {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.focus(); e.setSelectionRange(e.value.length, e.value.length); return true; })()`, sel))
	b.do("type into "+sel, chromedp.KeyEvent(s))
}

// overflow lists what sticks out of the page sideways: the page's and
// body's widths beyond the screen's, and the widest elements doing it.
const overflow = `(() => {
  const w = Math.min(window.innerWidth, screen.width), out = [];
  const de = document.documentElement;
  if (de.scrollWidth > w) out.push("page " + de.scrollWidth + " px wide on a " + w + " px screen");
  if (out.length) for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > w + 1 && !e.closest("table.stack > thead")) out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
      (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + " reaches " + Math.round(r.right) + " px");
  }
  return out.slice(0, 8);
})()`

// activeLabel names the focused element: its id, else its aria-label,
// else its tag ("body" when the focus is lost).
const activeLabel = `(() => { const e = document.activeElement; return !e ? "" : e.id || e.getAttribute("aria-label") || e.tagName.toLowerCase(); })()`

func TestBrowserEveryAdminPageFitsAPhoneScreenWithACompactHeader(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	ctx := context.Background()
	ada := addUser(t, a, "ada@example.org", auth.RoleAdmin)
	addUser(t, a, "cora.longname-for-a-narrow-screen@example.org", auth.RoleContributor)
	hook := "https://hooks.example.org/dateline/rebuild-the-whole-newsroom-site-after-every-change"
	if _, err := a.db.CreateWebhook(ctx, content.WebhookEdit{URL: &hook}); err != nil {
		t.Fatal(err)
	}
	_, prefix, hash := auth.NewAPIKey()
	if _, err := a.db.CreateAPIKey(ctx, auth.APIKey{UserID: ada.ID, Name: "Wire import from the agency desk", Prefix: prefix, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	live := publishedStory(t, a, "Storm warning for the whole of the northern coast and its islands", "Storms", "Coastal weather")
	gone := publishedStory(t, a, "Pier closes for repairs over the winter months")
	if err := a.db.DeleteArticle(ctx, gone.ID, ada.ID); err != nil {
		t.Fatal(err)
	}
	story := previewStory(t, a, ada)
	e := story.Edit
	e.Body += "\n\n| Ferry | Leaves | Arrives | Notes |\n|---|---|---|---|\n| Island Queen | 06:40 | 08:15 | Cancelled until the swell passes, check the harbour office |\n"
	story, err := a.db.UpdateArticle(ctx, story.ID, content.Save{Update: true, Version: story.Version, Edit: e, By: ada.ID})
	if err != nil {
		t.Fatal(err)
	}
	later := draftBy(t, a, ada, "Regatta on Sunday", "Boats.")
	due := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	if _, err := a.db.ChangeStatus(ctx, later.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &due}); err != nil {
		t.Fatal(err)
	}
	photo := story.Edit.Photos[0].MediaID

	top := newBrowser(t, base)
	top.login("ada@example.org")
	top.phone()
	pages := []struct{ name, path, ready string }{
		{"story list", "/admin", "table.list"},
		{"editor", "/admin/articles/" + story.ID, "#body"},
		{"live story's editor", "/admin/articles/" + live.ID, "#working-copy"},
		{"revisions", "/admin/articles/" + story.ID + "/revisions", "table.list"},
		{"tags", "/admin/tags", "table.list"},
		{"media library", "/admin/media", "#media-upload"},
		{"photo", "/admin/media/" + photo, "table.renditions"},
		{"users", "/admin/users", "table.list"},
		{"schedule", "/admin/schedule", "table.list"},
		{"API keys", "/admin/api-keys", "#key-list"},
		{"Trash", "/admin/trash", "tr.trash-row"},
		{"webhooks", "/admin/webhooks", "section.hook tr.delivery-row"},
		{"settings", "/admin/settings", "table#settings"},
		{"not found", "/admin/no-such-page", "#error-title"},
	}
	for _, p := range pages {
		t.Run("the "+p.name+" page has no sideways scrolling and a one-row header", func(t *testing.T) {
			b := top.in(t)
			b.open(p.path, p.ready)
			// A phone widens the layout to fit what sticks out.
			if w := eval[int](b, `window.innerWidth`); w != 390 {
				t.Errorf("%s: the page is laid out %d px wide, want 390", p.name, w)
			}
			for _, o := range eval[[]string](b, overflow) {
				t.Errorf("%s: %s", p.name, o)
			}
			h := eval[float64](b, `document.querySelector("header.bar").getBoundingClientRect().height`)
			if h > phoneHeaderMax {
				t.Errorf("%s: the header is %.0f px tall, want at most %d", p.name, h, phoneHeaderMax)
			}
			t.Logf("%s: header %.0f px tall, page %d px wide, %d px long", p.name, h,
				eval[int](b, `document.documentElement.scrollWidth`), eval[int](b, `document.documentElement.scrollHeight`))
			if b.visible("header.bar nav") || !b.visible("#menu-button") {
				t.Errorf("%s: the navigation shows without the menu, or there is no menu button", p.name)
			}
			// Every table of the admin's own is cards (or scrolls by itself).
			for _, s := range eval[[]string](b, `[...document.querySelectorAll("main table")].filter(t => !t.closest(".preview") && !t.classList.contains("stack")).map(t => t.outerHTML.slice(0, 60))`) {
				t.Errorf("%s: a table is not shown as cards: %s", p.name, s)
			}
			b.checkLabels(p.name)
		})
	}

	t.Run("a table row's cells are named after their columns", func(t *testing.T) {
		b := top.in(t)
		b.open("/admin/users", "table.list")
		got := eval[string](b, `(() => { const td = document.querySelector("tr.user-row td:nth-child(2)"); return td.dataset.label + "|" + getComputedStyle(td, "::before").content + "|" + getComputedStyle(td).display; })()`)
		if got != `Email|"Email"|block` {
			t.Errorf("an email cell: %q, want its column's name shown before it, as a block", got)
		}
		if r := eval[string](b, `document.querySelector("table.list").getAttribute("role") + "/" + document.querySelector("tr.user-row td").getAttribute("role")`); r != "table/cell" {
			t.Errorf("the table's roles are %q, want table/cell kept for screen readers", r)
		}
		// Rows a page's script adds later are named too.
		b.open("/admin/webhooks", "section.hook tr.delivery-row")
		if got := eval[string](b, `document.querySelector("tr.delivery-row td").dataset.label || ""`); got != "Event" {
			t.Errorf("a delivery row added by script: its first cell is labelled %q, want Event", got)
		}
	})

	t.Run("a story's own table scrolls inside the preview", func(t *testing.T) {
		b := top.in(t)
		b.open("/admin/articles/"+story.ID, "#body")
		b.click("#tab-preview")
		b.wait("the preview's table", `document.querySelector("#preview table")`)
		if got := eval[string](b, `getComputedStyle(document.querySelector("#preview table")).overflowX`); got != "auto" {
			t.Errorf("the preview's table has overflow-x %q, want auto", got)
		}
		for _, o := range eval[[]string](b, overflow) {
			t.Errorf("editor preview: %s", o)
		}
	})

	t.Run("a desktop screen keeps the one-line header and the side-by-side editor", func(t *testing.T) {
		b := top.in(t)
		b.viewport(1280, 900, 1, false)
		defer b.phone()
		b.open("/admin/articles/"+story.ID, "#body")
		if b.visible("#menu-button") || !b.visible("header.bar nav") || !b.visible("#logout") || b.visible(".editor-tabs") {
			t.Errorf("at 1280 px: menu button shown %v, nav %v, log out %v, tabs %v; want the nav and log out without a menu or tabs",
				b.visible("#menu-button"), b.visible("header.bar nav"), b.visible("#logout"), b.visible(".editor-tabs"))
		}
		same := eval[bool](b, `(() => { const s = document.querySelector(".editor .side").getBoundingClientRect(), p = document.querySelector(".preview-col").getBoundingClientRect(); return Math.abs(s.top - p.top) < 2 && p.left > s.right; })()`)
		if !same {
			t.Error("at 1280 px the preview is not beside the fields")
		}
		if r := eval[string](b, `String(document.querySelector(".preview-col").getAttribute("role"))`); r != "null" {
			t.Errorf("at 1280 px the preview column has role %q, want none", r)
		}
		if h := eval[float64](b, `document.querySelector("header.bar").getBoundingClientRect().height`); h > phoneHeaderMax {
			t.Errorf("at 1280 px the header is %.0f px tall", h)
		}
	})
}

func TestBrowserThePhoneMenuOpensAndClosesFromTheKeyboard(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "ada@example.org", auth.RoleAdmin)
	b := newBrowser(t, base)
	b.login("ada@example.org")
	b.phone()
	b.open("/admin/tags", "#menu-button")

	expanded := func() string {
		return eval[string](b, `document.querySelector("#menu-button").getAttribute("aria-expanded")`)
	}
	if c := eval[string](b, `document.querySelector("#menu-button").getAttribute("aria-controls")`); c == "" || !b.exists("#"+c) {
		t.Fatalf("the menu button controls %q, which is not on the page", c)
	}
	if expanded() != "false" || b.visible("header nav a") {
		t.Fatalf("the menu starts open (aria-expanded %s)", expanded())
	}
	// Tab from the top of the page: skip link, brand, the menu button.
	b.do("tab to the menu button", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab))
	if got := eval[string](b, activeLabel); got != "menu-button" {
		t.Fatalf("three tabs reach %q, want the menu button", got)
	}
	b.do("press Enter", chromedp.KeyEvent(kb.Enter))
	b.wait("the open menu", `document.querySelector("header nav a[href='/admin/tags']").offsetParent !== null`)
	if expanded() != "true" || !b.visible("#logout") {
		t.Errorf("after Enter: aria-expanded %s, log out shown %v", expanded(), b.visible("#logout"))
	}
	b.do("tab into the menu", chromedp.KeyEvent(kb.Tab))
	if got := eval[string](b, `document.activeElement.getAttribute("href") || ""`); got != "/admin" {
		t.Errorf("Tab from the open menu's button goes to %q, want the first section, /admin", got)
	}
	b.do("press Escape", chromedp.KeyEvent(kb.Escape))
	if expanded() != "false" || b.visible("header nav a") {
		t.Errorf("after Escape: aria-expanded %s, nav shown %v", expanded(), b.visible("header nav a"))
	}
	if got := eval[string](b, activeLabel); got != "menu-button" {
		t.Errorf("after Escape the focus is on %q, want the menu button", got)
	}
	b.do("press Space", chromedp.KeyEvent(" "))
	b.wait("the menu open again", `document.querySelector("#menu-button").getAttribute("aria-expanded") === "true"`)
	if h := eval[float64](b, `document.querySelector("header.bar").getBoundingClientRect().height`); h <= phoneHeaderMax {
		t.Errorf("the open menu's header is %.0f px tall: the sections are not shown below it", h)
	}
	b.do("press Space", chromedp.KeyEvent(" "))
	if expanded() != "false" || b.visible("header nav a") {
		t.Errorf("Space again leaves the menu open (aria-expanded %s)", expanded())
	}
	// Tabbing on past the open menu's last control leaves the header, and
	// the menu closes behind the focus.
	b.do("press Space", chromedp.KeyEvent(" "))
	b.wait("the menu open again", `document.querySelector("#menu-button").getAttribute("aria-expanded") === "true"`)
	controls := eval[int](b, `document.querySelectorAll("header a[href], header button:not([hidden]), header input").length`)
	for range controls + 1 {
		b.do("tab", chromedp.KeyEvent(kb.Tab))
		if !eval[bool](b, `document.querySelector("header.bar").contains(document.activeElement)`) {
			break
		}
	}
	if eval[bool](b, `document.querySelector("header.bar").contains(document.activeElement)`) {
		t.Fatalf("%d tabs never left the header", controls+1)
	}
	if expanded() != "false" || b.visible("header nav a") {
		t.Errorf("the focus left the header and the menu stays open (aria-expanded %s)", expanded())
	}
	// Following a section from the menu works as a link.
	b.click("#menu-button")
	b.click("header nav a[href='/admin/media']")
	b.wait("the media page", `location.pathname === "/admin/media"`)
}

func TestBrowserThePhoneEditorShowsThePreviewAsATabAndKeepsTheFocusAfterRemovals(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	ada := addUser(t, a, "ada@example.org", auth.RoleAdmin)
	story := previewStory(t, a, ada)
	b := newBrowser(t, base)
	b.login("ada@example.org")
	b.phone()
	b.open("/admin/articles/"+story.ID, "#body")
	b.wait("the lock", `window.dateline.editor.locked`)

	t.Run("fields take the screen's width", func(t *testing.T) {
		b := b.in(t)
		for _, sel := range []string{"#headline", "#body", "#tag-input", "#photo-0-credit", "#slug"} {
			w := eval[float64](b, fmt.Sprintf(`document.querySelector(%q).getBoundingClientRect().width`, sel))
			if w < 300 || w > 390 {
				t.Errorf("%s is %.0f px wide on a 390 px screen", sel, w)
			}
		}
	})

	t.Run("Edit and Preview are tabs worked with the arrow keys", func(t *testing.T) {
		b := b.in(t)
		state := `[...document.querySelectorAll("[role=tab]")].map(t => t.textContent + ":" + t.getAttribute("aria-selected") + ":" + t.tabIndex).join(" ") +
			" | fields " + (document.querySelector("#headline").offsetParent !== null) + " preview " + (document.querySelector("#pv-headline").offsetParent !== null)`
		if got := eval[string](b, state); got != "Edit:true:0 Preview:false:-1 | fields true preview false" {
			t.Fatalf("at first: %s", got)
		}
		if got := eval[string](b, `[...document.querySelectorAll("[role=tab]")].map(t => { const p = document.getElementById(t.getAttribute("aria-controls")); return p.getAttribute("role") + ">" + p.getAttribute("aria-labelledby"); }).join(" ")`); got != "tabpanel>tab-edit tabpanel>tab-preview" {
			t.Errorf("the panels: %s", got)
		}
		if got := eval[string](b, `document.querySelector("[role=tablist]").getAttribute("aria-label")`); got == "" {
			t.Error("the tab list has no name")
		}
		b.typeAtEnd("#headline", " tonight")
		eval[bool](b, `(document.querySelector("#tab-edit").focus(), true)`)
		b.do("press →", chromedp.KeyEvent(kb.ArrowRight))
		if got := eval[string](b, state); got != "Edit:false:-1 Preview:true:0 | fields false preview true" {
			t.Errorf("after →: %s", got)
		}
		if got := eval[string](b, activeLabel); got != "tab-preview" {
			t.Errorf("after → the focus is on %q, want the Preview tab", got)
		}
		if got := b.text("#pv-headline"); got != "Storm closes the harbour for two days tonight" {
			t.Errorf("the preview's headline is %q", got)
		}
		if y := eval[float64](b, `document.querySelector("#pv-headline").getBoundingClientRect().top + scrollY`); y > 1200 {
			t.Errorf("the preview's headline is %.0f px down the page", y)
		}
		b.do("press Tab into the panel", chromedp.KeyEvent(kb.Tab))
		if got := eval[string](b, activeLabel); got != "preview-panel" {
			t.Errorf("Tab from the Preview tab goes to %q, want its panel", got)
		}
		eval[bool](b, `(document.querySelector("#tab-preview").focus(), true)`)
		b.do("press →", chromedp.KeyEvent(kb.ArrowRight)) // wraps round to Edit
		if got := eval[string](b, state); !strings.HasPrefix(got, "Edit:true:0") || eval[string](b, activeLabel) != "tab-edit" {
			t.Errorf("→ on the last tab: %s, focus on %s", got, eval[string](b, activeLabel))
		}
		b.do("press End", chromedp.KeyEvent(kb.End))
		if got := eval[string](b, state); !strings.HasPrefix(got, "Edit:false:-1 Preview:true:0") {
			t.Errorf("after End: %s", got)
		}
		b.do("press ←", chromedp.KeyEvent(kb.ArrowLeft))
		if got := eval[string](b, state); got != "Edit:true:0 Preview:false:-1 | fields true preview false" {
			t.Errorf("after ←: %s", got)
		}
	})

	t.Run("a link of the error summary brings back the fields from the Preview tab", func(t *testing.T) {
		b := b.in(t)
		b.setField("#headline", "")
		b.click("#tab-preview")
		b.saveKeys()
		b.wait("the error summary", `!document.querySelector("#error-summary").hidden`)
		b.click("#error-summary a[href='#headline']")
		if got := eval[string](b, activeLabel); got != "headline" || eval[string](b, `document.querySelector("#tab-edit").getAttribute("aria-selected")`) != "true" {
			t.Errorf("after the summary's link the focus is on %q, Edit selected %s; want the headline, in the Edit tab",
				got, eval[string](b, `document.querySelector("#tab-edit").getAttribute("aria-selected")`))
		}
		b.setField("#headline", "Storm closes the harbour for two days tonight")
	})

	t.Run("removing a tag moves the focus to the next tag, then to the input", func(t *testing.T) {
		b := b.in(t)
		eval[bool](b, `(document.querySelector("[aria-label='Remove tag Harbour']").focus(), true)`)
		b.do("press Enter", chromedp.KeyEvent(kb.Enter))
		if got := eval[string](b, activeLabel); got != "Remove tag Weather" {
			t.Errorf("after removing Harbour the focus is on %q, want Remove tag Weather", got)
		}
		b.waitText("#tag-hint", "Removed tag Harbour")
		b.do("press Enter", chromedp.KeyEvent(kb.Enter))
		if got := eval[string](b, activeLabel); got != "tag-input" {
			t.Errorf("after removing the last tag the focus is on %q, want the tag input", got)
		}
	})

	t.Run("moving and removing a photo keeps the focus on its buttons", func(t *testing.T) {
		b := b.in(t)
		eval[bool](b, `(document.querySelector("[aria-label='Move photo 1 down']").focus(), true)`)
		b.do("press Enter", chromedp.KeyEvent(kb.Enter))
		if got := eval[string](b, activeLabel); got != "Move photo 2 up" {
			t.Errorf("after moving photo 1 down the focus is on %q, want Move photo 2 up (down is off for the last)", got)
		}
		if got := b.value("#photo-0-caption"); got != "The fish market at six" {
			t.Errorf("the lead photo after the move: %q", got)
		}
		eval[bool](b, `(document.querySelector("[aria-label='Remove photo 1']").focus(), true)`)
		b.do("press Enter", chromedp.KeyEvent(kb.Enter))
		if got := eval[string](b, activeLabel); got != "Remove photo 1" || b.value("#photo-0-caption") != "Ferries wait at the quay" {
			t.Errorf("after removing photo 1 the focus is on %q (want the next photo's Remove, now photo 1)", got)
		}
		b.do("press Enter", chromedp.KeyEvent(kb.Enter))
		if got := eval[string](b, activeLabel); got != "media-pick" {
			t.Errorf("after removing the last photo the focus is on %q, want the media library button", got)
		}
	})

	t.Run("removing a related link keeps the focus in the links", func(t *testing.T) {
		b := b.in(t)
		eval[bool](b, `(document.querySelector("[aria-label='Remove link 3']").focus(), true)`)
		b.do("press Enter", chromedp.KeyEvent(kb.Enter))
		if got := eval[string](b, activeLabel); got != "Remove link 2" {
			t.Errorf("after removing the last of three links the focus is on %q, want Remove link 2", got)
		}
	})

	b.saveKeys()
	b.waitText("#save-status", "Saved")
	got, err := a.db.Article(context.Background(), content.ArticleFilter{ID: &story.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Edit.Tags) != 0 || len(got.Edit.Photos) != 0 || len(got.Edit.Links) != 2 {
		t.Errorf("saved after the removals: tags %v, %d photos, %d links; want none, none and 2", got.Edit.Tags, len(got.Edit.Photos), len(got.Edit.Links))
	}
}

// statusLog records, in window.statusLog, the text the editor's status
// region shows each time it is changed; setting its text to what it
// already says counts too, since a screen reader may read it again.
const statusLog = `(() => {
  if (window.statusObserver) window.statusObserver.disconnect();
  window.statusLog = [];
  window.statusObserver = new MutationObserver(rs => { for (const r of rs) if (r.addedNodes.length || r.type === "characterData")
    window.statusLog.push(r.target.nodeType === 3 ? r.target.data : [...r.addedNodes].map(n => n.textContent).join("")); })
  window.statusObserver.observe(document.querySelector("#save-status"), { childList: true, characterData: true, subtree: true });
  return true;
})()`

func TestBrowserTheStatusRegionAnnouncesEachAutosaveStateOnce(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	ada := addUser(t, a, "ada@example.org", auth.RoleAdmin)
	art := draftBy(t, a, ada, "Ferry fares rise", "Fares rise by five per cent.")
	b := newBrowser(t, base)
	b.login("ada@example.org")
	b.phone()
	b.open("/admin/articles/"+art.ID, "#body")
	b.wait("the lock", `window.dateline.editor.locked`)
	if got := eval[string](b, `document.querySelector("#save-status").getAttribute("aria-live") + "/" + document.querySelector("#save-status").getAttribute("role")`); got != "polite/status" {
		t.Fatalf("the save status is %s, want a polite status region", got)
	}
	log := func() []string { return eval[[]string](b, `window.statusLog`) }

	t.Run("typing, saving and saved are said once each", func(t *testing.T) {
		b := b.in(t)
		eval[bool](b, statusLog)
		b.typeAtEnd("#headline", " again")
		b.waitText("#save-status", "Saved")
		got := log()
		if len(got) != 3 || got[0] != "Unsaved changes" || got[1] != "Saving…" || !strings.HasPrefix(got[2], "Saved ") {
			t.Errorf("the status said %q, want Unsaved changes, Saving…, Saved once each for six keystrokes", got)
		}
	})

	t.Run("offline, more typing and failed retries add nothing until it is saved", func(t *testing.T) {
		b := b.in(t)
		b.offline(true)
		defer b.offline(false)
		b.typeAtEnd("#body", " More.")
		b.waitText("#save-status", "Offline: not saved yet")
		eval[bool](b, statusLog)
		b.typeAtEnd("#body", " And more.")
		// The autosave after this typing is tried, and fails, 2.5 s later.
		time.Sleep(3500 * time.Millisecond)
		if got := log(); len(got) != 0 {
			t.Errorf("while offline the status said %q again", got)
		}
		b.offline(false)
		b.waitText("#save-status", "Saved")
		got := log()
		if len(got) != 2 || got[0] != "Back online: saving…" || !strings.HasPrefix(got[1], "Saved ") {
			t.Errorf("back online the status said %q, want Back online: saving… then Saved", got)
		}
	})

	saved, err := a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	if saved.Edit.Headline != "Ferry fares rise again" || !strings.HasSuffix(saved.Edit.Body, " More. And more.") {
		t.Errorf("saved: %q / %q", saved.Edit.Headline, saved.Edit.Body)
	}
}
