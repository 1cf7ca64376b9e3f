package admin

import (
	"github.com/gin-gonic/gin"

	"dateline/content"
)

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
