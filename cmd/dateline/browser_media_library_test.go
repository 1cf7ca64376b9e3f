package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

// maxThumbBytes bounds the file behind each thumbnail of the media
// library: a small rendition, never a photo at full size.
const maxThumbBytes = 24 << 10

// demoLibrarySite is a browser site with the demo newsroom loaded, its
// renditions made (one width, no crops, so the making is quick).
func demoLibrarySite(t *testing.T) (*app, string) {
	t.Helper()
	a, base := newBrowserSiteWith(t, func(c *Config) {
		c.RenditionWidths, c.RenditionCrops = []int{320}, nil
	})
	ctx := context.Background()
	if err := a.seedDemo(ctx, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	a.renditions.Kick()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		n, err := a.db.RenditionJobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d demo photos still without renditions after 2 minutes", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return a, base
}

type libraryCard struct {
	ID, Src, Caption, Credit, File string
	Uses                           []string
	Buttons                        []string
	Inputs                         int
}

const readLibrary = `[...document.querySelectorAll("form.media-item")].map(f => ({
  ID: f.dataset.id,
  Src: (f.querySelector("img.thumb") || {getAttribute: () => ""}).getAttribute("src") || "",
  Caption: f.querySelector("[name=caption]") ? f.querySelector("[name=caption]").value : f.querySelector(".media-caption").textContent,
  Credit: f.querySelector("[name=credit]") ? f.querySelector("[name=credit]").value : f.querySelector(".media-credit").textContent,
  File: f.querySelector(".media-file").textContent,
  Uses: [...f.querySelectorAll(".media-uses a")].map(a => a.textContent),
  Buttons: [...f.querySelectorAll("button")].filter(b => !b.closest("[hidden]")).map(b => b.textContent),
  Inputs: f.querySelectorAll("input").length,
}))`

// TestBrowserTheMediaLibraryShowsEveryDemoPhotoSmallWithItsStories loads
// the demo newsroom and checks the library: every photo a story uses is
// there, as a small rendition, with the stories that use it; the search
// finds photos by caption, credit and file name; a contributor sees no
// button they cannot use, and the server refuses them anyway.
func TestBrowserTheMediaLibraryShowsEveryDemoPhotoSmallWithItsStories(t *testing.T) {
	chromiumPath(t)
	a, base := demoLibrarySite(t)
	ctx := context.Background()
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	addUser(t, a, "colm@example.org", auth.RoleContributor)

	// Every photo of every story, as the stories have them.
	arts, err := a.db.Articles(ctx, content.ArticleFilter{Sort: content.SortUpdated, Limit: content.MaxLimit, Full: true})
	if err != nil {
		t.Fatal(err)
	}
	used := map[string][]string{} // media id → headlines
	for _, art := range arts {
		for _, p := range art.Photos {
			used[p.MediaID] = append(used[p.MediaID], art.Headline)
		}
	}
	if len(used) < 20 || used[""] != nil {
		t.Fatalf("the demo's stories use %d photos (%d without a media id)", len(used), len(used[""]))
	}

	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/media", "form.media-item")
	cards := eval[[]libraryCard](b, readLibrary)
	if len(cards) != len(used) {
		t.Errorf("the library shows %d photos; the stories use %d", len(cards), len(used))
	}
	var thumbs, originals int64
	for _, c := range cards {
		if used[c.ID] == nil {
			t.Errorf("the library shows %s, which no story uses", c.ID)
			continue
		}
		m, err := a.db.MediaItem(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(a.cfg.DataDir, "media", strings.TrimPrefix(c.Src, "/media/")))
		switch {
		case c.Src == "" || c.Src == m.URL || !strings.HasSuffix(c.Src, ".webp"):
			t.Errorf("%s: thumbnail %q, want a WebP rendition, not the original %s", m.FileName, c.Src, m.URL)
		case err != nil:
			t.Errorf("%s: thumbnail %s: %v", m.FileName, c.Src, err)
		case st.Size() > maxThumbBytes:
			t.Errorf("%s: thumbnail of %d bytes, over %d", m.FileName, st.Size(), maxThumbBytes)
		default:
			thumbs += st.Size()
			originals += m.Size
		}
		if fmt.Sprint(slices.Sorted(slices.Values(c.Uses))) != fmt.Sprint(slices.Sorted(slices.Values(used[c.ID]))) {
			t.Errorf("%s: used in %v, the stories say %v", m.FileName, c.Uses, used[c.ID])
		}
		if c.File != m.FileName || c.Caption != m.Caption || c.Credit != m.Credit {
			t.Errorf("card %+v, media %+v", c, m)
		}
		if fmt.Sprint(c.Buttons) != "[Save Delete]" {
			t.Errorf("an editor's buttons: %v", c.Buttons)
		}
	}
	t.Logf("library thumbnails: %d photos, %d bytes of thumbnails; the originals are %d bytes", len(cards), thumbs, originals)
	if !strings.Contains(b.text(".media-uploaded"), "Uploaded") {
		t.Errorf("no upload date: %q", b.text(".media-uploaded"))
	}
	b.checkLabels("media library")
	b.screenshot("media-library.png")

	search := func(t *testing.T, b *browser, q string) []libraryCard {
		t.Helper()
		b.open("/admin/media", "#media-q")
		b.setField("#media-q", q)
		b.click("#media-search button[type=submit]")
		b.wait("the search", fmt.Sprintf(`new URLSearchParams(location.search).get("q") === %q && document.readyState === "complete"`, q))
		return eval[[]libraryCard](b, readLibrary)
	}
	pick := cards[len(cards)/2]
	for _, tt := range []struct{ name, q string }{
		{"by a word of a caption", strings.Fields(pick.Caption)[len(strings.Fields(pick.Caption))-1]},
		{"by a credit", strings.ToUpper(pick.Credit)},
		{"by a file name", strings.TrimSuffix(pick.File, ".png")},
	} {
		t.Run("the search finds photos "+tt.name, func(t *testing.T) {
			b := b.in(t)
			got := search(t, b, tt.q)
			want, err := a.db.MediaItems(ctx, content.MediaFilter{Query: tt.q, Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, c := range got {
				found = found || c.ID == pick.ID
				text := strings.ToLower(c.Caption + " " + c.Credit + " " + c.File)
				if !strings.Contains(text, strings.ToLower(tt.q)) {
					t.Errorf("%q found %+v", tt.q, c)
				}
			}
			if !found || len(got) != len(want) || len(got) >= len(cards) {
				t.Errorf("%q: %d photos shown (the one searched for among them: %v), the store has %d of %d", tt.q, len(got), found, len(want), len(cards))
			}
		})
	}
	t.Run("a search that matches nothing says so", func(t *testing.T) {
		b := b.in(t)
		if got := search(t, b, "no such photo anywhere"); len(got) != 0 || !strings.Contains(b.text("main"), "No library photo matches") {
			t.Errorf("%d photos, page %q", len(got), b.text("main"))
		}
	})

	t.Run("photos stories show from other sites are listed with their stories", func(t *testing.T) {
		b := b.in(t)
		_, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Lighthouse keepers remembered", Body: "Text.",
			Photos: []content.Photo{{URL: "https://images.example.org/lighthouse.jpg", Caption: "The old keeper", Credit: "© Archive", Alt: "A keeper"}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		b.open("/admin/media", "tr.external-photo")
		row := b.text("tr.external-photo")
		for _, want := range []string{"https://images.example.org/lighthouse.jpg", "The old keeper", "© Archive", "Lighthouse keepers remembered"} {
			if !strings.Contains(row, want) {
				t.Errorf("the row %q does not show %q", row, want)
			}
		}
		if n := eval[int](b, `document.querySelectorAll("tr.external-photo").length`); n != 1 {
			t.Errorf("%d photos from other sites, want 1", n)
		}
		if got := search(t, b, "keeper"); len(got) != 0 || !b.exists("tr.external-photo") {
			t.Errorf("the search for a caption of a photo from elsewhere: %d library photos, row shown %v", len(got), b.exists("tr.external-photo"))
		}
	})

	t.Run("a contributor sees no button they cannot use, and is refused anyway", func(t *testing.T) {
		c := newBrowser(t, base)
		c.login("colm@example.org")
		c.open("/admin/media", "form.media-item")
		for _, card := range eval[[]libraryCard](c, readLibrary) {
			if len(card.Buttons) != 0 || card.Inputs != 0 {
				t.Errorf("a contributor sees buttons %v and %d fields on %s", card.Buttons, card.Inputs, card.File)
				break
			}
		}
		if !c.visible("#media-upload button[type=submit]") {
			t.Error("a contributor cannot upload")
		}
		status := eval[string](c, fmt.Sprintf(`Promise.all([api("PATCH", "/media/%s", {credit: "© Someone else"}),
			api("POST", "/media/%s/apply", {credit: true}), api("DELETE", "/media/%s")]).then(rs => rs.map(r => r.status).join(" "))`, pick.ID, pick.ID, pick.ID))
		if status != "403 403 403" {
			t.Errorf("a contributor's change, copy and delete: %s, want 403 403 403", status)
		}
		if m, _ := a.db.MediaItem(ctx, pick.ID); m.Credit != pick.Credit {
			t.Errorf("the credit became %q", m.Credit)
		}
	})
}
