package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

// publicArticle is the part of the delivery API's story the browser tests
// check.
type publicArticle struct {
	Slug        string `json:"slug"`
	Headline    string `json:"headline"`
	Standfirst  string `json:"standfirst"`
	PublishedAt string `json:"published_at"`
	Local       string `json:"published_at_local"`
	Featured    bool   `json:"featured"`
	Dateline    struct {
		Place    string `json:"place"`
		TimeZone string `json:"time_zone"`
	} `json:"dateline"`
	Tags []struct {
		Slug, Name string
	} `json:"tags"`
	Photos []struct {
		URL, Caption, Credit, Alt string
	} `json:"photos"`
	RelatedLinks []struct {
		Kind, Title, URL string
		Article          string `json:"article_slug"`
	} `json:"related_links"`
	SEO struct {
		MetaTitle       string `json:"meta_title"`
		MetaDescription string `json:"meta_description"`
	} `json:"seo"`
	BodyHTML  string `json:"body_html"`
	PageCount int    `json:"page_count"`
	WordCount int    `json:"word_count"`
}

// publishedStory creates a published story through the store.
func publishedStory(t *testing.T, a *app, headline string, tags ...string) *content.Article {
	t.Helper()
	ctx := context.Background()
	art, err := a.db.CreateArticle(ctx, content.Edit{Headline: headline, Body: "Text of " + headline, Tags: tags}, "")
	if err != nil {
		t.Fatal(err)
	}
	art, err = a.db.ChangeStatus(ctx, art.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
	return art
}

// draftBy creates a draft owned by u through the store.
func draftBy(t *testing.T, a *app, u auth.User, headline, body string) *content.Article {
	t.Helper()
	art, err := a.db.CreateArticle(context.Background(), content.Edit{Headline: headline, Body: body}, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return art
}

func TestBrowserAnEditorWritesAndSchedulesAStoryThatAppearsOnTime(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	older := publishedStory(t, a, "Harbour reopens after the storm", "Harbour")
	photo := writePNG(t, "ferry.png")

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/new", "#headline")
	b.typeInto("#headline", "Night ferry returns to Port Ellis")
	b.typeInto("#standfirst", "The crossing runs again from Monday.")
	b.typeInto("#place", "PORT ELLIS")
	b.setField("#body", "The night ferry is back.\n\nIt leaves at **23:40** every day.")
	b.waitText("#preview", "leaves at 23:40")
	b.waitText("#counts", "words")

	// Tags: a near-duplicate of an existing tag is offered and used.
	b.typeInto("#tag-input", "Harbor")
	b.waitText("#tag-hint", "Harbour")
	b.click("#tag-add")
	b.typeInto("#tag-input", "Ferries")
	b.click("#tag-add")
	b.wait("two tags", `document.querySelectorAll("#tag-list .tag").length === 2`)
	if got := b.text("#tag-list"); !strings.Contains(got, "Harbour") || strings.Contains(got, "Harbor×") {
		t.Errorf("tags = %q, want the existing Harbour and Ferries", got)
	}

	// A photo, uploaded, with caption, credit and alt text.
	b.upload("#photo-upload", photo)
	b.typeInto("#photo-0-caption", "The ferry at the quay")
	b.typeInto("#photo-0-credit", "© Ann Lee/Gazette")
	b.typeInto("#photo-0-alt", "A white ferry at a lit quay at night")

	// A related link of each kind.
	for range 3 {
		b.click("#link-add")
	}
	b.typeInto("#link-0-title", "The storm that closed the harbour")
	b.typeInto("#link-0-article", older.Headline)
	b.setField("#link-1-kind", "other_media")
	b.typeInto("#link-1-title", "Ferry timetables elsewhere")
	b.typeInto("#link-1-url", "https://other.example.com/ferries")
	b.setField("#link-2-kind", "partner")
	b.typeInto("#link-2-title", "Partner: island news")
	b.typeInto("#link-2-url", "https://partner.example.net/islands")

	b.typeInto("#meta_title", "Night ferry returns")
	b.typeInto("#meta_description", "The night crossing to the islands runs again.")
	b.click("#featured")

	// Ctrl+S creates the story; the page becomes its editor.
	b.saveKeys()
	b.wait("the story's own editor", `location.pathname.startsWith("/admin/articles/0")`)
	b.open(b.path(), "#wf-schedule")
	b.waitText("#version-label", "version ") // autosaves created the draft and saved since
	if got := b.value("#photo-0-credit"); got != "© Ann Lee/Gazette" {
		t.Errorf("credit after saving = %q", got)
	}
	b.screenshot("editor.png")

	// Schedule two seconds ahead in newsroom time; UTC shows beside it.
	zone := a.cfg.location()
	due := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	b.setField("#publish-at", due.In(zone).Format("2006-01-02T15:04:05"))
	b.waitText("#publish-utc", due.UTC().Format("2006-01-02 15:04:05")+" UTC")
	b.click("#wf-schedule")

	slug := "night-ferry-returns-to-port-ellis"
	_, seen := waitStatus(t, a, content.ArticleFilter{Slug: &slug}, content.StatusPublished)
	onTime(t, "published", seen, due)
	if !listed(t, base, slug) {
		t.Error("the first read after the publication does not list the story")
	}

	var got publicArticle
	if code := getJSON(t, base+"/api/v1/articles/night-ferry-returns-to-port-ellis", &got); code != 200 {
		t.Fatalf("the story: %d", code)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"headline", got.Headline == "Night ferry returns to Port Ellis"},
		{"standfirst", got.Standfirst == "The crossing runs again from Monday."},
		{"dateline", got.Dateline.Place == "PORT ELLIS" && got.Dateline.TimeZone == zone.String()},
		{"local time carries the zone's offset", strings.HasSuffix(got.Local, due.In(zone).Format("-07:00"))},
		{"published at its time", got.PublishedAt != "" && !mustTime(t, got.PublishedAt).Before(due)},
		{"tags", len(got.Tags) == 2 && slices.ContainsFunc(got.Tags, func(x struct{ Slug, Name string }) bool { return x.Slug == "harbour" }) &&
			slices.ContainsFunc(got.Tags, func(x struct{ Slug, Name string }) bool { return x.Slug == "ferries" })},
		{"photo", len(got.Photos) == 1 && strings.Contains(got.Photos[0].URL, "/media/") && got.Photos[0].Credit == "© Ann Lee/Gazette" &&
			got.Photos[0].Alt == "A white ferry at a lit quay at night" && got.Photos[0].Caption == "The ferry at the quay"},
		{"related links of each kind", len(got.RelatedLinks) == 3 &&
			got.RelatedLinks[0].Kind == "related" && got.RelatedLinks[0].Article == older.Slug &&
			got.RelatedLinks[1].Kind == "other_media" && got.RelatedLinks[1].URL == "https://other.example.com/ferries" &&
			got.RelatedLinks[2].Kind == "partner" && got.RelatedLinks[2].URL == "https://partner.example.net/islands"},
		{"seo", got.SEO.MetaTitle == "Night ferry returns" && got.SEO.MetaDescription == "The night crossing to the islands runs again."},
		{"featured", got.Featured},
		{"body", strings.Contains(got.BodyHTML, "<strong>23:40</strong>")},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("published %s is wrong: %+v", c.name, got)
		}
	}

	// The list shows it, newest first, with its status in words.
	b.open("/admin", "table.list")
	if row := b.text("table.list tbody tr"); !strings.Contains(row, "Night ferry returns") || !strings.Contains(strings.ToLower(row), "published") {
		t.Errorf("first row of the list = %q", row)
	}
	b.screenshot("list.png")
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestBrowserAContributorDraftsAndSubmitsButCannotPublish(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "cora@example.org", auth.RoleContributor)

	b := newBrowser(t, base)
	b.login("cora@example.org")
	b.open("/admin/articles/new", "#headline")
	if b.visible("#wf-publish") || b.visible("#schedule-box") {
		t.Error("a new story offers publishing to a contributor")
	}
	b.typeInto("#headline", "Fish market moves indoors")
	b.setField("#body", "The market opens in the old customs hall.")
	b.click("#save")
	b.wait("the story's own editor", `location.pathname.startsWith("/admin/articles/0")`)
	b.open(b.path(), "#wf-submit")
	id := strings.TrimPrefix(b.path(), "/admin/articles/")
	for _, sel := range []string{"#wf-publish", "#wf-schedule", "#wf-approve"} {
		if b.exists(sel) {
			t.Errorf("a contributor's draft offers %s", sel)
		}
	}
	if b.visible("#schedule-box") {
		t.Error("a contributor sees the schedule picker")
	}

	b.click("#wf-submit")
	b.waitText("#status-badge", "In review")
	b.waitText("#lock-banner", "You can read this story but not change it")
	if b.exists("#wf-publish") || b.exists("#wf-approve") {
		t.Error("a contributor's story in review offers publishing")
	}

	// A publish request forged from the page, with the contributor's
	// cookie, is refused by the server.
	status := eval[int](b, `fetch("/api/admin/v1/articles/`+id+`/publish", {method: "POST",
		headers: {"Content-Type": "application/json"}, body: "{}", credentials: "same-origin"}).then(r => r.status)`)
	if status != 403 {
		t.Errorf("a forged publish answered %d, want 403", status)
	}
	art, err := a.db.Article(context.Background(), content.ArticleFilter{ID: &id})
	if err != nil {
		t.Fatal(err)
	}
	if art.Status != content.StatusInReview {
		t.Errorf("status after the forged publish = %s", art.Status)
	}
}

func TestBrowserTwoEditorsOnOneStorySeeTheLockAndAConflictLosesNoText(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	edda := addUser(t, a, "edda@example.org", auth.RoleEditor)
	addUser(t, a, "eric@example.org", auth.RoleEditor)
	art := draftBy(t, a, edda, "Council votes on the harbour wall", "The vote is on Tuesday.")
	editor := "/admin/articles/" + art.ID

	first := newBrowser(t, base)
	first.login("edda@example.org")
	first.open(editor, "#body")
	first.wait("the first editor's lock", `window.dateline && window.dateline.editor.locked`)

	second := newBrowser(t, base)
	second.login("eric@example.org")
	second.open("/admin", "table.list")
	if row := second.text("table.list tbody tr"); !strings.Contains(row, "edda is editing") {
		t.Errorf("the list does not say who is editing: %q", row)
	}
	second.open(editor, "#body")
	second.waitText("#lock-banner", "edda is editing")
	if !second.exists("#save[disabled]") {
		t.Error("the second editor can save over a lock")
	}

	// The first editor saves; the second takes over with the stale version
	// and types: the save is refused with a conflict, and the text stays.
	first.setField("#body", "The vote is on Tuesday.\n\nEdda's paragraph.")
	first.saveKeys()
	first.waitText("#save-status", "Saved")

	mine := "The vote is on Tuesday.\n\nEric's paragraph, typed against the old version."
	second.setField("#body", mine)
	second.click("#take-over")
	second.wait("the take-over", `window.dateline.editor.locked`)
	second.saveKeys()
	second.waitText("#conflict-banner", "Not saved: edda saved a newer version")
	second.waitText("#save-status", "Not saved")
	if got := second.value("#body"); got != mine {
		t.Errorf("after the conflict the text is %q, want %q", got, mine)
	}

	// The first editor learns that the lock is gone when saving.
	first.setField("#body", "The vote is on Tuesday.\n\nEdda again.")
	first.saveKeys()
	first.waitText("#lock-banner", "eric is editing")
	if got := first.value("#body"); !strings.Contains(got, "Edda again.") {
		t.Errorf("the first editor's text after losing the lock: %q", got)
	}

	// The second editor keeps their text as the newest version; the first
	// editor's save stays in the revisions.
	second.click("#conflict-keep")
	second.waitText("#save-status", "Saved")
	cur, err := a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	if cur.Body != mine {
		t.Errorf("stored body = %q", cur.Body)
	}
	revs, err := a.db.Revisions(context.Background(), art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(revs, func(r content.Revision) bool { return strings.Contains(r.Edit.Body, "Edda's paragraph.") }) {
		t.Error("the first editor's save is not among the revisions")
	}
}

func TestBrowserThePreviewIsThePublishedHTML(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	edda := addUser(t, a, "edda@example.org", auth.RoleEditor)
	art := draftBy(t, a, edda, "Tide tables for the winter", "")
	body := "The winter tides, with a note.[^1]\n\n" +
		"| Day | High water | Low water |\n|:----|:----------:|----------:|\n| Mon | 06:12 | 12:30 |\n| Tue | 06:58 | 13:15 |\n\n" +
		content.PageBreak + "\n\n## Page two\n\nMore tides, *in italics* and `code`.\n\n[^1]: Times are local.\n"

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/"+art.ID, "#body")
	b.setField("#body", body)
	b.wait("the preview of the table", `document.querySelector("#preview table") !== null`)
	b.waitText("#counts", "2 pages")
	b.saveKeys()
	b.waitText("#save-status", "Saved")
	b.click("#wf-publish")
	b.waitText("#status-badge", "Published")
	if c := b.confirmed(); len(c) != 1 || !strings.Contains(c[0], "Publish") {
		t.Errorf("confirmations = %q, want one asking to publish", c)
	}
	b.wait("the preview after reload", `document.querySelector("#preview table") !== null`)

	var got publicArticle
	if code := getJSON(t, base+"/api/v1/articles/tide-tables-for-the-winter", &got); code != 200 {
		t.Fatalf("the published story: %d", code)
	}
	for _, want := range []string{"<table>", "footnote", "Page two"} {
		if !strings.Contains(got.BodyHTML, want) {
			t.Errorf("the published body has no %q: %s", want, got.BodyHTML)
		}
	}
	// The browser serialises HTML its own way, so both sides go through
	// the same parser before they are compared.
	preview := eval[string](b, `document.querySelector("#preview").innerHTML`)
	published := eval[string](b, fmt.Sprintf(`(() => { const t = document.createElement("template"); t.innerHTML = %q; return t.innerHTML; })()`, got.BodyHTML))
	if preview != published {
		t.Errorf("the preview differs from the published HTML\npreview:   %s\npublished: %s", preview, published)
	}
}

func TestBrowserPublishingWithAnUncreditedPhotoIsRefusedNextToThePhoto(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	edda := addUser(t, a, "edda@example.org", auth.RoleEditor)
	art := draftBy(t, a, edda, "Lighthouse keeper retires", "After forty years.")
	photo := writePNG(t, "lighthouse.png")

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/"+art.ID, "#body")
	b.upload("#photo-upload", photo)
	b.typeInto("#photo-0-alt", "A lighthouse on a rock")
	b.click("#wf-publish")
	slot := `.field-error[data-field="photos[0].credit"]`
	b.wait("the credit error next to the photo", `document.querySelector('`+slot+`').textContent.trim() !== ""`)
	if !strings.Contains(strings.ToLower(b.text(slot)), "credit") {
		t.Errorf("the error next to the photo says %q", b.text(slot))
	}
	if !b.exists(`#photo-0-credit[aria-invalid="true"]`) {
		t.Error("the credit field is not marked invalid")
	}
	if got := b.value("#photo-0-alt"); got != "A lighthouse on a rock" {
		t.Errorf("the alt text after the refusal = %q", got)
	}
	cur, err := a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	if cur.Status != content.StatusDraft {
		t.Errorf("status = %s, want draft", cur.Status)
	}

	// With a credit, the same button publishes.
	b.typeInto("#photo-0-credit", "© Ann Lee/Gazette")
	b.click("#wf-publish")
	b.waitText("#status-badge", "Published")
}

func TestBrowserAnEditorSendsAStoryBackFromTheEditorWithAReason(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	co := addUser(t, a, "cora@example.org", auth.RoleContributor)
	addUser(t, a, "eddie@example.org", auth.RoleEditor)
	art := draftBy(t, a, co, "Ferry fares rise", "The ferry company raises fares in May.")
	ctx := context.Background()
	if _, err := a.db.ChangeStatus(ctx, art.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusInReview}); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, base)
	b.login("eddie@example.org")
	b.open("/admin/articles/"+art.ID, "#wf-reject")
	if !b.visible("#reject-box") {
		t.Fatal("the editor of a story in review shows no field for the reason to send it back")
	}
	b.typeInto("#reject-reason", "Which fares, and by how much? Ask the company.")
	b.click("#wf-reject")
	b.waitText("#status-badge", "Draft")
	if b.visible("#reject-box") {
		t.Error("a draft still offers the send-back reason")
	}
	notes, err := a.db.ReviewNotes(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || notes[0].Text != "Which fares, and by how much? Ask the company." {
		t.Errorf("review notes %+v, want the reason typed in the editor", notes)
	}
}
