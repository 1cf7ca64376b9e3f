package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dateline/auth"
	"dateline/content"
)

// inView is a JavaScript test of whether the element sel is on screen.
func inView(sel string) string {
	return `(() => { const r = document.querySelector("` + sel + `").getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })()`
}

func TestBrowserARefusedPublishShowsAnErrorSummaryThatLinksToEachField(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	edda := addUser(t, a, "edda@example.org", auth.RoleEditor)
	older := publishedStory(t, a, "Harbour wall vote")
	ctx := context.Background()
	art, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Lighthouse keeper retires", Body: "After forty years.",
		Photos: []content.Photo{{URL: "https://images.example.org/l.jpg", Caption: "The lighthouse"}}}, edda.ID)
	if err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/"+art.ID, "#body")
	b.wait("the edit lock", `window.dateline.editor.locked`)

	// Publishing from far down the page: the summary comes into view at
	// the top with the focus, one line per problem, each a link.
	eval[bool](b, `(scrollTo(0, document.body.scrollHeight), true)`)
	b.click("#wf-publish")
	b.wait("the error summary", `!document.querySelector("#error-summary").hidden`)
	b.wait("the focus on the summary", `document.activeElement.id === "error-summary"`)
	if !eval[bool](b, inView("#error-summary")) {
		t.Error("the error summary is not on screen")
	}
	if role := eval[string](b, `document.querySelector("#error-summary").getAttribute("role")`); role != "alert" {
		t.Errorf("the summary's role is %q", role)
	}
	sum := b.text("#error-summary")
	for _, want := range []string{"Not published", "Add a credit to photo 1 before publishing.", "Add alt text to photo 1 before publishing"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary says %q, want %q in it", sum, want)
		}
	}
	if !b.exists(`#error-summary a[href="#photo-0-credit"]`) || !b.exists(`#error-summary a[href="#photo-0-alt"]`) {
		t.Fatalf("the summary does not link to the photo's credit and alt fields: %s", eval[string](b, `document.querySelector("#error-summary").innerHTML`))
	}
	b.screenshot("editor-error-summary.png")
	b.click(`#error-summary a[href="#photo-0-credit"]`)
	b.wait("the focus on the credit field", `document.activeElement.id === "photo-0-credit"`)
	if !eval[bool](b, inView("#photo-0-credit")) {
		t.Error("the credit field is not scrolled into view")
	}
	if !b.exists(`#photo-0-credit[aria-invalid="true"]`) {
		t.Error("the credit field is not marked invalid")
	}

	// An autosave that the server refuses marks the field but leaves the
	// focus where the user types; Ctrl+S shows the summary.
	b.setField("#photo-0-credit", "© Ann Lee/Gazette")
	b.setField("#photo-0-alt", "A lighthouse on a rock")
	b.setField("#canonical_url", "not a web address")
	b.do("focus the headline", chromedp.Focus(chromedp.CSS("#headline")))
	b.waitText("#save-status", "Not saved")
	if got := eval[string](b, `document.activeElement.id`); got != "headline" {
		t.Errorf("a refused autosave moved the focus to %q", got)
	}
	b.saveKeys()
	b.wait("the focus on the summary", `document.activeElement.id === "error-summary"`)
	if sum := b.text("#error-summary"); !strings.Contains(sum, "Not saved") || !strings.Contains(sum, "The canonical URL must be an absolute http or https URL.") {
		t.Errorf("the summary of the refused save says %q", sum)
	}
	b.click(`#error-summary a[href="#canonical_url"]`)
	b.wait("the focus on the canonical URL", `document.activeElement.id === "canonical_url"`)

	// A link to one of our stories needs no title: it gets the headline.
	b.setField("#canonical_url", "")
	b.click("#link-add")
	b.typeInto("#link-0-article", older.Headline)
	b.saveKeys()
	b.waitText("#save-status", "Saved")
	if !eval[bool](b, `document.querySelector("#error-summary").hidden`) {
		t.Errorf("the summary stays after a good save: %q", b.text("#error-summary"))
	}
	cur, err := a.db.Article(ctx, content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(cur.Links) != 1 || cur.Links[0].ArticleID != older.ID || cur.Links[0].Title != older.Headline {
		t.Errorf("the stored link: %+v", cur.Links)
	}
	b.click("#wf-publish")
	b.waitText("#status-badge", "Published")
}
