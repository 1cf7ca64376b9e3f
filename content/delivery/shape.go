package delivery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"dateline/content"
)

// The public JSON shapes. They are built field by field from content types,
// so nothing internal (status, version, revision authors) can leak by
// accident.

type articleSummary struct {
	ID               string    `json:"id"`
	Slug             string    `json:"slug"`
	Headline         string    `json:"headline"`
	Standfirst       string    `json:"standfirst"`
	Dateline         dateline  `json:"dateline"`
	PublishedAt      time.Time `json:"published_at"`
	PublishedAtLocal string    `json:"published_at_local"`
	UpdatedAt        time.Time `json:"updated_at"`
	Byline           string    `json:"byline"`
	Authors          []author  `json:"authors"`
	Tags             []tagRef  `json:"tags"`
	LeadPhoto        *photo    `json:"lead_photo"`
	Featured         bool      `json:"featured"`
	WordCount        int       `json:"word_count"`
	ReadingMinutes   int       `json:"reading_minutes"`
	PageCount        int       `json:"page_count"`
	// Snippet is set in search results only: HTML-safe text around the
	// matched words, which are in <mark> elements.
	Snippet string `json:"snippet,omitempty"`
}

type article struct {
	articleSummary
	BodyHTML     string        `json:"body_html"`
	BodyText     string        `json:"body_text"`
	Pages        []page        `json:"pages"`
	Photos       []photo       `json:"photos"`
	RelatedLinks []relatedLink `json:"related_links"`
	Corrections  []correction  `json:"corrections"`
	SEO          seo           `json:"seo"`
}

type dateline struct {
	Place    string `json:"place"`
	TimeZone string `json:"time_zone"`
}

type author struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	Bio  string `json:"bio"`
}

type tagRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// photo is a photo with its renditions, for srcset: every width of the
// whole image and of each crop around the focal point, in JPEG and WebP;
// until they are made (and for an image given by an external URL) the one
// rendition listed is the original.
type photo struct {
	URL        string      `json:"url"`
	Caption    string      `json:"caption"`
	Credit     string      `json:"credit"`
	Alt        string      `json:"alt"`
	Width      int         `json:"width,omitempty"`
	Height     int         `json:"height,omitempty"`
	FocalPoint *focalPoint `json:"focal_point,omitempty"`
	Renditions []rendition `json:"renditions"`
}

type focalPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

type rendition struct {
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	Crop        string `json:"crop,omitempty"`
}

type page struct {
	Number int    `json:"number"`
	HTML   string `json:"html"`
}

type relatedLink struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	URL     string `json:"url"`
	Article string `json:"article_slug,omitempty"` // internal links
}

type correction struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

type seo struct {
	MetaTitle       string `json:"meta_title"`
	MetaDescription string `json:"meta_description"`
	CanonicalURL    string `json:"canonical_url"`
}

type tagJSON struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	ArticleCount int    `json:"article_count"`
}

type authorJSON struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Bio          string `json:"bio"`
	ArticleCount int    `json:"article_count"`
}

// correctionEntry is one entry of the corrections log: the correction and
// the published story it corrects.
type correctionEntry struct {
	correction
	ArticleSlug string `json:"article_slug"`
	Headline    string `json:"headline"`
}

func (api *API) summary(a *content.Article) articleSummary {
	loc := api.location(a)
	s := articleSummary{
		ID:             a.ID,
		Slug:           a.Slug,
		Headline:       a.Headline,
		Standfirst:     a.Standfirst,
		Dateline:       dateline{Place: a.Dateline.Place, TimeZone: loc.String()},
		UpdatedAt:      a.UpdatedAt.UTC(),
		Byline:         a.Byline,
		Authors:        make([]author, 0, len(a.Authors)),
		Tags:           make([]tagRef, 0, len(a.Tags)),
		Featured:       a.Featured,
		WordCount:      a.WordCount,
		ReadingMinutes: a.ReadingMinutes,
		PageCount:      a.PageCount,
	}
	if a.Pages != nil { // a story built from its body (a preview) rather than read
		s.PageCount = len(a.Pages)
	}
	if a.PublishedAt != nil {
		s.PublishedAt = a.PublishedAt.UTC()
		s.PublishedAtLocal = a.PublishedAt.In(loc).Format(time.RFC3339)
	}
	for _, au := range a.Authors {
		s.Authors = append(s.Authors, author{Slug: au.Slug, Name: au.Name, Bio: au.Bio})
	}
	for _, t := range a.Tags {
		s.Tags = append(s.Tags, tagRef{Slug: t.Slug, Name: t.Name})
	}
	if p, ok := a.LeadPhoto(); ok {
		lead := api.photo(p)
		s.LeadPhoto = &lead
	}
	return s
}

// full builds the whole story. linked maps internal link targets that are
// published to their slugs; links to anything else are left out.
func (api *API) full(a *content.Article, linked map[string]string) article {
	out := article{
		articleSummary: api.summary(a),
		BodyHTML:       a.HTML,
		BodyText:       a.Text,
		Pages:          make([]page, 0, len(a.Pages)),
		Photos:         make([]photo, 0, len(a.Photos)),
		RelatedLinks:   make([]relatedLink, 0, len(a.Links)),
		Corrections:    make([]correction, 0, len(a.Corrections)),
		SEO:            seo{MetaTitle: a.SEO.MetaTitle, MetaDescription: a.SEO.MetaDescription, CanonicalURL: a.SEO.CanonicalURL},
	}
	for i, h := range a.Pages {
		out.Pages = append(out.Pages, page{Number: i + 1, HTML: h})
	}
	for _, p := range a.Photos {
		out.Photos = append(out.Photos, api.photo(p))
	}
	for _, l := range a.Links {
		rl := relatedLink{Kind: string(l.Kind), Title: l.Title, URL: l.URL}
		if l.ArticleID != "" {
			slug, ok := linked[l.ArticleID]
			if !ok {
				continue
			}
			rl.Article = slug
			rl.URL = api.BaseURL + "/api/v1/articles/" + slug
		}
		out.RelatedLinks = append(out.RelatedLinks, rl)
	}
	for _, c := range a.Corrections {
		out.Corrections = append(out.Corrections, correction{At: c.At.UTC(), Text: c.Text})
	}
	return out
}

func (api *API) photo(p content.Photo) photo {
	u := api.absolute(p.URL)
	out := photo{URL: u, Caption: p.Caption, Credit: p.Credit, Alt: p.Alt, Width: p.Width, Height: p.Height,
		Renditions: make([]rendition, 0, max(len(p.Renditions), 1))}
	if p.Focus != nil {
		out.FocalPoint = &focalPoint{X: p.Focus.X, Y: p.Focus.Y}
	}
	for _, r := range p.Renditions {
		out.Renditions = append(out.Renditions, rendition{URL: api.absolute(r.URL), ContentType: r.ContentType,
			Width: r.Width, Height: r.Height, Crop: r.Crop})
	}
	if len(out.Renditions) == 0 {
		out.Renditions = append(out.Renditions, rendition{URL: u, ContentType: imageType(u), Width: p.Width, Height: p.Height})
	}
	return out
}

// absolute makes a path on this server (a /media/ URL) absolute.
func (api *API) absolute(u string) string {
	if strings.HasPrefix(u, "/") {
		return api.BaseURL + u
	}
	return u
}

// encodeJSON writes v without HTML escaping (bodies carry HTML on purpose;
// the content type is JSON).
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// shapeVersion names the public JSON shapes of this file. Bump it whenever
// a change here alters the JSON of a story or list item: public JSON
// stored under another render key is then rendered again (RenderKey).
const shapeVersion = "3" // 2: page_count on list items; photo sizes from the media library; whole seconds. 3: photo renditions and focal points

// RenderKey names everything besides the stored story that the JSON
// RenderJSON makes depends on: the shapes' version, the base URL and the
// newsroom zone. Stored JSON made under another key is not served.
func (api *API) RenderKey() string {
	return "shape=" + shapeVersion + " base=" + api.BaseURL + " zone=" + api.Zone.String()
}

// RenderJSON makes the public JSON of published story a exactly as the
// list and by-slug handlers would answer it: Summary is the list item
// (without a trailing newline), Full the body of GET /articles/{slug}
// (with one) and Keys its Surrogate-Key value. linked maps the ids of the
// published stories a's related links point to to their slugs; links to
// anything else are left out. a must be loaded in full (content.ArticleFilter.Full).
func (api *API) RenderJSON(a *content.Article, linked map[string]string) (content.PublicJSON, error) {
	var summary, full bytes.Buffer
	if err := encodeJSON(&summary, api.summary(a)); err != nil {
		return content.PublicJSON{}, fmt.Errorf("encode summary of %s: %w", a.ID, err)
	}
	if err := encodeJSON(&full, api.full(a, linked)); err != nil {
		return content.PublicJSON{}, fmt.Errorf("encode article %s: %w", a.ID, err)
	}
	return content.PublicJSON{
		Summary: bytes.TrimSuffix(summary.Bytes(), []byte("\n")),
		Full:    full.Bytes(),
		Keys:    strings.Join(articleKeys(a), " "),
	}, nil
}
