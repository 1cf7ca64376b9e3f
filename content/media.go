package content

import (
	"math"
	"time"
)

// Focus is the focal point of a photo: where crops are centred, as
// fractions of the width and height from the top left corner (0.5, 0.5 is
// the middle).
type Focus struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Centre is the default focal point, the middle of the photo.
var Centre = Focus{X: 0.5, Y: 0.5}

// Valid reports whether both coordinates are between 0 and 1.
func (f Focus) Valid() bool {
	return f.X >= 0 && f.X <= 1 && f.Y >= 0 && f.Y <= 1 && !math.IsNaN(f.X) && !math.IsNaN(f.Y)
}

// Rendition is one stored rendition of an uploaded image: a width of the
// whole image, or of a crop to an aspect ratio around its focal point, in
// one format. Its file name holds a hash of its content, so its URL is
// served as immutable.
type Rendition struct {
	FileName    string `json:"file_name"`
	URL         string `json:"url"` // /media/<file_name>
	ContentType string `json:"content_type"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Size        int64  `json:"size"`
	Crop        string `json:"crop,omitempty"` // "16:9"; "" for the whole image
}

// ThumbnailWidth is the width of the rendition the admin app shows as a
// thumbnail.
const ThumbnailWidth = 320

// Thumbnail returns the URL to show an image at thumbnail size: its
// narrowest WebP of the whole image at least ThumbnailWidth wide (or its
// widest, if all are narrower), else original while it has none.
func Thumbnail(rs []Rendition, original string) string {
	best := -1
	for i, r := range rs {
		if r.Crop != "" || r.ContentType != "image/webp" {
			continue
		}
		switch {
		case best < 0:
			best = i
		case rs[best].Width < ThumbnailWidth && r.Width > rs[best].Width:
			best = i
		case r.Width >= ThumbnailWidth && r.Width < rs[best].Width:
			best = i
		}
	}
	if best < 0 {
		return original
	}
	return rs[best].URL
}

// RenditionJob is a queued request to make the renditions of one media
// item: its durable row survives a crash, and a job whose lease ran out is
// claimed again. Seq grows every time the job is asked for again (a new
// focal point), so that a worker finishing an older request stores nothing.
type RenditionJob struct {
	MediaID  string
	Seq      int64
	Attempts int // claims so far, this one included
	Media    Media
}

// MediaUse is a story whose photos use a media item.
type MediaUse struct {
	ArticleID string    `json:"article_id"`
	Headline  string    `json:"headline"`
	Status    Status    `json:"status"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UsesMedia reports whether photo p shows media item m: by its media id,
// or, for a photo without one, by m's /media/ URL.
func (p Photo) UsesMedia(m Media) bool {
	if p.MediaID != "" {
		return p.MediaID == m.ID
	}
	return m.URL != "" && p.URL == m.URL
}

// MediaText names the texts of a media item that can be copied into the
// photos of stories that use it.
type MediaText struct {
	Caption bool `json:"caption"`
	Credit  bool `json:"credit"`
}

// WithMediaText returns e with the caption and/or credit (as which says)
// of every photo that shows media item m set to m's, and whether anything
// changed. e is not modified.
func WithMediaText(e Edit, m Media, which MediaText) (Edit, bool) {
	photos := make([]Photo, len(e.Photos))
	copy(photos, e.Photos)
	changed := false
	for i, p := range photos {
		if !p.UsesMedia(m) {
			continue
		}
		if which.Caption && p.Caption != m.Caption {
			photos[i].Caption, changed = m.Caption, true
		}
		if which.Credit && p.Credit != m.Credit {
			photos[i].Credit, changed = m.Credit, true
		}
	}
	e.Photos = photos
	return e, changed
}

// ExternalPhoto is an image that stories show but the media library does
// not hold: an absolute URL, or a /media/ path with no media item (an
// import's, say). Caption and Credit are those of its most recently
// updated story.
type ExternalPhoto struct {
	URL     string     `json:"url"`
	Caption string     `json:"caption"`
	Credit  string     `json:"credit"`
	Uses    []MediaUse `json:"uses"`
}
