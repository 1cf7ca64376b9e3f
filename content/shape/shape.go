// Package shape owns the public JSON shapes of published stories and list
// items and renders them: the JSON the store keeps at write time and the
// delivery API serves. It imports nothing internal but content, so that the
// store and the HTTP layer can both use it without either calling back
// into the other.
package shape

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"dateline/content"
)

// Version names the public JSON shapes of this package. Bump it whenever a
// change alters the JSON of a story or list item: public JSON stored under
// another render key is then rendered again (Renderer.Key).
//
// 2: page_count on list items; photo sizes from the media library; whole
// seconds. 3: photo renditions and focal points. 4: one body
// representation by default (body_text, and pages of a one-page story, only
// on request).
const Version = "4"

// Options configure New.
type Options struct {
	// BaseURL is the public URL of the server, for absolute media and
	// story URLs; a trailing slash is dropped.
	BaseURL string
	// Zone is the newsroom's zone, for stories without one; default UTC.
	Zone *time.Location
}

// Renderer renders the public shapes. It is complete when New returns and
// safe for concurrent use.
type Renderer struct {
	baseURL string
	zone    *time.Location
	key     string
	zones   sync.Map // zone name → *time.Location, see Location
}

// New returns a renderer configured by o.
func New(o Options) *Renderer {
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	r := &Renderer{baseURL: strings.TrimRight(o.BaseURL, "/"), zone: o.Zone}
	r.key = "shape=" + Version + " base=" + r.baseURL + " zone=" + r.zone.String()
	return r
}

// Key names everything besides the stored story that the JSON Render makes
// depends on: the shapes' version, the base URL and the newsroom zone.
// Stored JSON made under another key is stale and is not served.
func (r *Renderer) Key() string { return r.key }

// BaseURL is the public URL the renderer makes URLs absolute with.
func (r *Renderer) BaseURL() string { return r.baseURL }

// Render makes the public JSON of published story a exactly as the list
// and by-slug handlers answer it by default: Summary is the list item
// (without a trailing newline), Full the body of GET /articles/{slug} (with
// one) and Keys its Surrogate-Key value. linked maps the ids of the
// published stories a's related links point to to their slugs; links to
// anything else are left out. a must be loaded in full
// (content.ArticleFilter.Full).
func (r *Renderer) Render(a *content.Article, linked map[string]string) (content.PublicJSON, error) {
	var summary, full bytes.Buffer
	if err := Encode(&summary, r.Summary(a)); err != nil {
		return content.PublicJSON{}, fmt.Errorf("encode summary of %s: %w", a.ID, err)
	}
	if err := Encode(&full, r.Story(a, linked, Formats{})); err != nil {
		return content.PublicJSON{}, fmt.Errorf("encode article %s: %w", a.ID, err)
	}
	return content.PublicJSON{
		Summary: bytes.TrimSuffix(summary.Bytes(), []byte("\n")),
		Full:    full.Bytes(),
		Keys:    strings.Join(Keys(a), " "),
	}, nil
}

// Keys are the surrogate keys of a whole story: the story, its slug, its
// tags and its authors.
func Keys(a *content.Article) []string {
	keys := make([]string, 0, 2+len(a.Tags)+len(a.Authors))
	keys = append(keys, "article:"+a.ID, "slug:"+a.Slug)
	for _, t := range a.Tags {
		keys = append(keys, "tag:"+t.Slug)
	}
	for _, au := range a.Authors {
		keys = append(keys, "author:"+au.Slug)
	}
	return keys
}

// Encode writes v as JSON and a newline, without HTML escaping (bodies
// carry HTML on purpose; the content type is JSON).
func Encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Location returns a's dateline zone (the newsroom's when it has none or an
// unknown one). time.LoadLocation reads the zone database on every call, so
// each zone is loaded once; stored zones are validated IANA names, so the
// map stays small.
func (r *Renderer) Location(a *content.Article) *time.Location {
	name := a.Dateline.TimeZone
	if name == "" {
		return r.zone
	}
	if loc, ok := r.zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc := a.Location(r.zone)
	r.zones.Store(name, loc)
	return loc
}

// Absolute makes a path on this server (a /media/ URL) absolute.
func (r *Renderer) Absolute(u string) string {
	if strings.HasPrefix(u, "/") {
		return r.baseURL + u
	}
	return u
}

// ImageType guesses a photo's media type from its URL's extension; uploads
// are limited to these four.
func ImageType(u string) string {
	p := strings.ToLower(u)
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	switch {
	case strings.HasSuffix(p, ".jpg"), strings.HasSuffix(p, ".jpeg"):
		return "image/jpeg"
	case strings.HasSuffix(p, ".png"):
		return "image/png"
	case strings.HasSuffix(p, ".webp"):
		return "image/webp"
	case strings.HasSuffix(p, ".gif"):
		return "image/gif"
	}
	return "application/octet-stream"
}
