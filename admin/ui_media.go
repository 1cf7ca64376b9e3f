package admin

import (
	"strings"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
)

// mediaListPage is what the media library shows: the items matching the
// search, each with its thumbnail and the stories that use it.
type mediaListPage struct {
	Query string
	Items []mediaRow
	// External are the images stories show from outside the library.
	External []content.ExternalPhoto
}

// mediaRow is one item of the library.
type mediaRow struct {
	content.Media
	// Thumb is the small rendition to show (Thumb.URL empty while there
	// is none and the original is too large to stand in for it).
	Thumb content.Rendition
	Uses  []content.MediaUse
	// CanChange says the user may change the item's texts (its uploader
	// and editors); CanDelete that they may delete it (editors).
	CanChange, CanDelete bool
	Uploaded             string // the upload time in the newsroom's zone
}

// mediaPageLimit is how many items the library page shows at once.
const mediaPageLimit = 200

// maxOriginalThumb is the largest original the library shows in place of
// a thumbnail while its renditions are being made; a larger one shows a
// placeholder, so that the page never loads photos at full size.
const maxOriginalThumb = 64 << 10

// handleMedia serves the media library: every uploaded photo (those of
// imports and the demo included), newest first, with a search over
// caption, credit and file name (?q=), small thumbnails, the upload time
// and the stories that use each; buttons only for what the user may do.
// Below them, the images stories show from outside the library (external
// URLs), with their stories, so that every photo of every story is listed.
func (ui *UI) handleMedia(c *gin.Context) {
	ctx := c.Request.Context()
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > content.MaxQueryLength {
		q = q[:content.MaxQueryLength]
	}
	items, err := ui.Store.MediaItems(ctx, content.MediaFilter{Limit: mediaPageLimit, Query: q})
	if err != nil {
		ui.fail(c, err)
		return
	}
	ids := make([]string, len(items))
	for i, m := range items {
		ids[i] = m.ID
	}
	uses, err := ui.Store.MediaUsesOf(ctx, ids)
	if err != nil {
		ui.fail(c, err)
		return
	}
	external, err := ui.Store.ExternalPhotos(ctx, q, mediaPageLimit)
	if err != nil {
		ui.fail(c, err)
		return
	}
	u, _ := authgin.UserFrom(c)
	editor := u.Role.AtLeast(auth.RoleEditor)
	page := mediaListPage{Query: q, Items: make([]mediaRow, len(items)), External: external}
	for i, m := range items {
		page.Items[i] = mediaRow{Media: m, Thumb: thumbOf(m), Uses: uses[m.ID], CanChange: editor || (m.UploadedBy != "" && m.UploadedBy == u.ID),
			CanDelete: editor, Uploaded: ui.local(m.CreatedAt)}
	}
	ui.render(c, "media", "Media", "media", page)
}

// thumbOf returns the rendition m.ThumbnailURL names, or the original
// standing in for it while it is small enough (maxOriginalThumb), else a
// rendition without URL.
func thumbOf(m content.Media) content.Rendition {
	for _, r := range m.Renditions {
		if r.URL == m.ThumbnailURL {
			return r
		}
	}
	if m.Size > 0 && m.Size <= maxOriginalThumb {
		return content.Rendition{URL: m.URL, Width: m.Width, Height: m.Height, Size: m.Size, ContentType: m.ContentType}
	}
	return content.Rendition{}
}

// mediaPage is what the photo page shows: the photo, a rendition to pick
// the focal point on, one small rendition of the whole photo and of each
// crop, and the stories that use it.
type mediaPage struct {
	Media   content.Media
	Preview string
	Crops   []content.Rendition
	Uses    []content.MediaUse
}

// previewWidth is the width of the rendition the focal point is picked on.
const previewWidth = 1024

// handleMediaItem serves the page of one photo: its focal point picker,
// its renditions and where it is used.
func (ui *UI) handleMediaItem(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		ui.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	m, err := ui.Store.MediaItem(ctx, id)
	if err != nil {
		ui.fail(c, err)
		return
	}
	uses, err := ui.Store.MediaUses(ctx, id)
	if err != nil {
		ui.fail(c, err)
		return
	}
	ui.render(c, "media_item", "Photo", "media", mediaPage{Media: m, Preview: previewOf(m), Crops: cropsOf(m.Renditions), Uses: uses})
}

// previewOf is the URL to pick the focal point on: the whole photo's
// narrowest WebP at least previewWidth wide (or its widest), else the
// original.
func previewOf(m content.Media) string {
	best := -1
	for i, r := range m.Renditions {
		if r.Crop != "" || r.ContentType != "image/webp" {
			continue
		}
		if best < 0 || (rWide(m.Renditions[best]) && r.Width >= previewWidth && r.Width < m.Renditions[best].Width) ||
			(!rWide(m.Renditions[best]) && r.Width > m.Renditions[best].Width) {
			best = i
		}
	}
	if best < 0 {
		return m.URL
	}
	return m.Renditions[best].URL
}

func rWide(r content.Rendition) bool { return r.Width >= previewWidth }

// cropsOf picks, for the whole photo and each crop, its narrowest WebP
// rendition, in the order they come.
func cropsOf(rs []content.Rendition) []content.Rendition {
	var out []content.Rendition
	seen := map[string]int{}
	for _, r := range rs {
		if r.ContentType != "image/webp" {
			continue
		}
		i, ok := seen[r.Crop]
		switch {
		case !ok:
			seen[r.Crop] = len(out)
			out = append(out, r)
		case r.Width < out[i].Width:
			out[i] = r
		}
	}
	return out
}
