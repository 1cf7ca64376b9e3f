package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dateline/auth"
	"dateline/content"
	"dateline/content/shape"
)

// libraryPhoto writes a small PNG into the media directory, records it in
// the media library with caption and credit, and waits for its
// renditions.
func libraryPhoto(t *testing.T, a *app, name, caption, credit string) content.Media {
	t.Helper()
	b, err := os.ReadFile(writePNG(t, name))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(a.cfg.DataDir, "media")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := a.db.CreateMedia(context.Background(), content.Media{ID: uuid.NewString(), FileName: name, ContentType: "image/png",
		Width: 64, Height: 40, Size: int64(len(b)), Caption: caption, Credit: credit, Alt: "Alt of " + caption})
	if err != nil {
		t.Fatal(err)
	}
	if a.renditions != nil {
		a.renditions.Kick()
	}
	return waitRenditions(t, a, m.ID)
}

// previewStory is a draft with everything the preview page shows: a
// dateline, a standfirst, a byline and an author, two photos, three pages,
// related links of every kind and tags.
func previewStory(t *testing.T, a *app, author auth.User) *content.Article {
	t.Helper()
	ctx := context.Background()
	lead := libraryPhoto(t, a, "quay.png", "Ferries wait at the quay", "© Edda Vik/Gazette")
	second := libraryPhoto(t, a, "market.png", "The fish market at six", "© Colm Tidewell")
	linked := publishedStory(t, a, "The ferry timetable for the winter")
	body := "The first page of the story.\n\n" + content.PageBreak + "\n\nThe second page, with *emphasis*.\n\n" +
		content.PageBreak + "\n\n## The third page\n\nIt ends here."
	art, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Storm closes the harbour for two days",
		Standfirst: "Ferries stay in port while the swell passes.", Dateline: content.Dateline{Place: "PORT ELLIS"},
		Body: body, Byline: "Harbour desk", AuthorIDs: []string{author.ID},
		Photos: []content.Photo{
			{MediaID: lead.ID, URL: lead.URL, Caption: lead.Caption, Credit: lead.Credit, Alt: lead.Alt},
			{MediaID: second.ID, URL: second.URL, Caption: second.Caption, Credit: second.Credit, Alt: second.Alt},
		},
		Links: []content.RelatedLink{
			{Kind: content.LinkPartner, Title: "Island weather", URL: "https://partner.example.net/weather"},
			{Kind: content.LinkRelated, ArticleID: linked.ID, Title: "Winter timetable"},
			{Kind: content.LinkOtherMedia, Title: "The storm on the coast", URL: "https://other.example.com/storm"},
		},
		Tags: []string{"Harbour", "Weather"}}, author.ID)
	if err != nil {
		t.Fatal(err)
	}
	return art
}

// previewDOM is what the preview page shows, read from its DOM.
type previewDOM struct {
	Place, Headline, Standfirst, Byline string
	Authors                             []string
	Lead                                struct{ Src, Alt, Caption, Credit string }
	Photos                              []struct{ Src, Caption, Credit string }
	Pages                               []string // each page's body HTML
	PageLabels                          []string
	Links                               []struct{ Kind, Title, Href string }
	Tags                                []string
	Expires                             string
}

const readPreviewDOM = `(() => {
  const t = s => { const e = document.querySelector(s); return e ? e.textContent.trim() : ""; };
  const fig = f => ({Src: f.querySelector("img").getAttribute("src"), Alt: f.querySelector("img").getAttribute("alt"),
    Caption: (f.querySelector(".caption") || {textContent: ""}).textContent, Credit: (f.querySelector(".credit") || {textContent: ""}).textContent});
  const lead = document.querySelector("figure.lead-photo");
  return {
    Place: t(".dateline .place"), Headline: t("h1.headline"), Standfirst: t(".standfirst"), Byline: t(".byline .byline-text"),
    Authors: [...document.querySelectorAll(".byline .author")].map(e => e.textContent),
    Lead: lead ? fig(lead) : {Src: "", Alt: "", Caption: "", Credit: ""},
    Photos: [...document.querySelectorAll(".photos figure")].map(fig),
    Pages: [...document.querySelectorAll("section.page .body")].map(e => e.innerHTML),
    PageLabels: [...document.querySelectorAll("section.page .page-number")].map(e => e.textContent),
    Links: [...document.querySelectorAll(".related ul.links")].flatMap(ul => [...ul.querySelectorAll("a")].map(a =>
      ({Kind: ul.dataset.kind, Title: a.textContent, Href: a.getAttribute("href")}))),
    Tags: [...document.querySelectorAll(".tags .tag")].map(e => e.textContent),
    Expires: t("#preview-expires"),
  };
})()`

// TestBrowserThePreviewPageShowsWhatTheDeliveryAPIReturns makes a preview
// link in the editor, opens it, and compares the page with the delivery
// API's JSON for the same link's token: lead photo, caption, credit,
// byline, authors, pages, related links by kind and tags.
func TestBrowserThePreviewPageShowsWhatTheDeliveryAPIReturns(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	ed := addUser(t, a, "edda@example.org", auth.RoleEditor)
	art := previewStory(t, a, ed)

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/"+art.ID, "#preview-link")
	b.click("#preview-link")
	b.wait("the preview link", `document.querySelector("#preview-url a") !== null`)
	href := eval[string](b, `document.querySelector("#preview-url a").href`)
	shown := b.text("#preview-url")
	code, ok := strings.CutPrefix(href, base+"/preview/")
	if !ok || len(href) > len(base)+40 {
		t.Fatalf("the preview link %q is not a short link on %s", href, base)
	}
	grants, err := a.db.PreviewGrants(context.Background(), art.ID)
	if err != nil || len(grants) != 1 {
		t.Fatalf("grants %v %v", grants, err)
	}
	g := grants[0]
	wantExpiry := g.ExpiresAt.In(a.cfg.location()).Format("2 Jan 2006 15:04") + " (" + a.cfg.location().String() + ")"
	if !strings.Contains(shown, wantExpiry) {
		t.Errorf("the editor shows %q, want the expiry in newsroom time %q", shown, wantExpiry)
	}

	// The delivery API serves the same grant through a token.
	tok, err := newTokens(a).IssuePreview(g.ID, g.ArticleID, g.Version, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var story shape.Story
	if status := getJSON(t, base+"/api/v1/preview/"+tok, &story); status != http.StatusOK {
		t.Fatalf("the delivery API's preview: %d", status)
	}
	if story.Pages == nil || len(*story.Pages) != 3 || story.LeadPhoto == nil {
		t.Fatalf("the delivery JSON has no three pages or no lead photo: %+v", story)
	}

	b.open("/preview/"+code, "h1.headline")
	got := eval[previewDOM](b, readPreviewDOM)
	t.Logf("the page: %+v", got)
	lead := story.Photos[0]
	checks := []struct {
		what      string
		got, want any
	}{
		{"headline", got.Headline, story.Headline},
		{"standfirst", got.Standfirst, story.Standfirst},
		{"dateline place", got.Place, story.Dateline.Place},
		{"byline", got.Byline, story.Byline},
		{"authors", fmt.Sprint(got.Authors), fmt.Sprint(names(story.Authors))},
		{"lead photo", got.Lead.Src, lead.URL},
		{"lead photo alt", got.Lead.Alt, lead.Alt},
		{"lead caption", got.Lead.Caption, lead.Caption},
		{"lead credit", got.Lead.Credit, lead.Credit},
		{"other photos", len(got.Photos), len(story.Photos) - 1},
		{"pages", len(got.Pages), len(*story.Pages)},
		{"page labels", fmt.Sprint(got.PageLabels), "[Page 1 of 3 Page 2 of 3 Page 3 of 3]"},
		{"tags", fmt.Sprint(got.Tags), fmt.Sprint(tagNames(story.Tags))},
		{"expiry", got.Expires, wantExpiry},
	}
	if len(got.Photos) == 1 {
		checks = append(checks, struct {
			what      string
			got, want any
		}{"second photo", got.Photos[0].Src + " " + got.Photos[0].Caption + " " + got.Photos[0].Credit,
			story.Photos[1].URL + " " + story.Photos[1].Caption + " " + story.Photos[1].Credit})
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: the page shows %v, the delivery API %v", c.what, c.got, c.want)
		}
	}
	if lead.Caption != "Ferries wait at the quay" || lead.Credit != "© Edda Vik/Gazette" {
		t.Errorf("the lead photo in the JSON: %+v", lead)
	}
	// Pages: both sides through the browser's own HTML parser.
	for i, pg := range *story.Pages {
		if i >= len(got.Pages) {
			break
		}
		want := eval[string](b, fmt.Sprintf(`(() => { const t = document.createElement("template"); t.innerHTML = %q; return t.innerHTML; })()`, pg.HTML))
		if got.Pages[i] != want {
			t.Errorf("page %d: the page shows\n%s\nthe delivery API has\n%s", i+1, got.Pages[i], want)
		}
	}
	// Related links: grouped by kind in the page's order (related, other
	// media, partner), each as the JSON has it.
	var want []string
	for _, kind := range []string{"related", "other_media", "partner"} {
		for _, l := range story.RelatedLinks {
			if l.Kind == kind {
				want = append(want, l.Kind+" "+l.Title+" "+l.URL)
			}
		}
	}
	var gotLinks []string
	for _, l := range got.Links {
		gotLinks = append(gotLinks, l.Kind+" "+l.Title+" "+l.Href)
	}
	if strings.Join(gotLinks, "\n") != strings.Join(want, "\n") || len(want) != 3 {
		t.Errorf("related links: the page shows\n%s\nthe delivery API has (by kind)\n%s", strings.Join(gotLinks, "\n"), strings.Join(want, "\n"))
	}
	b.wait("the lead photo loaded", `document.querySelector("figure.lead-photo img").complete && document.querySelector("figure.lead-photo img").naturalWidth > 0`)
	b.screenshot("preview-page.png")
	if !eval[bool](b, `document.querySelector("meta[name=robots]").content.includes("noindex")`) {
		t.Error("the preview page may be indexed")
	}

	t.Run("a revoked link shows a page saying so", func(t *testing.T) {
		b := b.in(t)
		if _, err := a.db.RevokePreviewGrant(context.Background(), art.ID, g.ID, ed.ID); err != nil {
			t.Fatal(err)
		}
		b.open("/preview/"+code, "main.problem")
		if !strings.Contains(b.text("main"), "expired or was revoked") {
			t.Errorf("the page says %q", b.text("main"))
		}
		if status := getJSON(t, base+"/api/v1/preview/"+tok, nil); status != http.StatusUnauthorized {
			t.Errorf("the delivery API still serves a revoked grant: %d", status)
		}
	})
}

func names(as []shape.Author) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func tagNames(ts []shape.TagRef) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}
