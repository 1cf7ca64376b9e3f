package main

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"dateline/auth"
	"dateline/content"
)

// waitRenditions waits until media item id has renditions made under the
// current focal point (no job queued) and returns it.
func waitRenditions(t *testing.T, a *app, id string) content.Media {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		m, err := a.db.MediaItem(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Renditions) > 0 && !m.RenditionsPending {
			return m
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no renditions of %s after 30 s", id)
	return content.Media{}
}

func squareCrop(m content.Media) string {
	for _, r := range m.Renditions {
		if r.Crop == "1:1" && r.ContentType == "image/webp" {
			return r.FileName
		}
	}
	return ""
}

func TestBrowserAnEditorSetsAPhotosFocalPointByClickAndByKeyboard(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	ctx := context.Background()
	ed := addUser(t, a, "edda@example.org", auth.RoleEditor)
	b := newBrowser(t, base)
	b.login("edda@example.org")

	b.open("/admin/media", "#media-upload")
	b.upload("#media-file", writePNG(t, "quay.png"))
	b.setField("#media-credit", "© Edda Vik/Gazette")
	b.setField("#media-alt", "The quay at dusk")
	b.click("#media-upload button[type=submit]")
	b.wait("the uploaded photo", `document.querySelector("form.media-item") !== null`)
	ms, err := a.db.MediaItems(ctx, content.MediaFilter{Limit: 1})
	if err != nil || len(ms) != 1 {
		t.Fatalf("media: %v %v", ms, err)
	}
	m := waitRenditions(t, a, ms[0].ID)
	before := squareCrop(m)

	t.Run("the library shows a small rendition and links to the photo's page", func(t *testing.T) {
		b := b.in(t)
		b.open("/admin/media", "form.media-item img")
		if src := eval[string](b, `document.querySelector("form.media-item img").getAttribute("src")`); src != m.ThumbnailURL || !strings.HasSuffix(src, ".webp") {
			t.Errorf("thumbnail %q, want the rendition %q", src, m.ThumbnailURL)
		}
		b.click(`form.media-item a[href="/admin/media/` + m.ID + `"]`)
		b.wait("the photo's page", `location.pathname === "/admin/media/`+m.ID+`"`)
		b.wait("the picker", `document.querySelector("#focal img") && document.querySelector("#focal img").complete`)
		b.checkLabels("photo")
		if got := b.text("table.renditions"); !strings.Contains(got, "image/webp") || !strings.Contains(got, "1:1") {
			t.Errorf("renditions table: %q", got)
		}
	})

	t.Run("a click sets the focal point where it lands", func(t *testing.T) {
		b := b.in(t)
		rect := eval[[]float64](b, `(() => { const r = document.querySelector("#focal").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
		b.do("click the photo", chromedp.MouseClickXY(rect[0]+0.25*rect[2], rect[1]+0.75*rect[3]))
		if x, y := b.value("#focal-x"), b.value("#focal-y"); x != "25" || y != "75" {
			t.Errorf("after the click the fields say %s%% across, %s%% down; want 25, 75", x, y)
		}
		b.waitText("#focal-where", "25% across, 75% down")
	})

	t.Run("the arrow keys move it and Enter saves it", func(t *testing.T) {
		b := b.in(t)
		b.do("focus the photo", chromedp.Focus(chromedp.CSS("#focal")))
		b.do("press →, →, →", chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight))
		b.do("press Shift+↓", chromedp.KeyEvent(kb.ArrowDown, chromedp.KeyModifiers(chromedp.ModifierShift)))
		if x, y := b.value("#focal-x"), b.value("#focal-y"); x != "28" || y != "85" {
			t.Errorf("after the keys the fields say %s, %s; want 28, 85", x, y)
		}
		b.do("press Enter", chromedp.KeyEvent(kb.Enter))
		b.waitText("#photo-status", "Focal point saved")
		got, err := a.db.MediaItem(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got.Focus.X-0.28) > 0.002 || math.Abs(got.Focus.Y-0.85) > 0.002 {
			t.Errorf("stored focal point %+v, want 0.28, 0.85", got.Focus)
		}
		after := waitRenditions(t, a, m.ID)
		if squareCrop(after) == before {
			t.Errorf("the square crop %s was not made again", before)
		}
	})

	t.Run("the editor shows the photo's small rendition", func(t *testing.T) {
		b := b.in(t)
		m := waitRenditions(t, a, m.ID)
		art := draftBy(t, a, ed, "Dusk at the quay", "The quay at dusk.")
		e := art.Edit
		e.Photos = []content.Photo{{MediaID: m.ID, URL: m.URL, Caption: "The quay", Credit: m.Credit, Alt: m.Alt}}
		if _, err := a.db.UpdateArticle(ctx, art.ID, content.Save{Update: true, Version: art.Version, Edit: e, By: ed.ID}); err != nil {
			t.Fatal(err)
		}
		b.open("/admin/articles/"+art.ID, "#photos img")
		if src := eval[string](b, `document.querySelector("#photos img").getAttribute("src")`); src != m.ThumbnailURL {
			t.Errorf("the editor shows %q, want the rendition %q", src, m.ThumbnailURL)
		}
		b.click("#media-pick")
		b.wait("the media picker", `document.querySelector("#media-picker img") !== null`)
		if src := eval[string](b, `document.querySelector("#media-picker img").getAttribute("src")`); src != m.ThumbnailURL {
			t.Errorf("the picker shows %q, want the rendition %q", src, m.ThumbnailURL)
		}
	})
}
