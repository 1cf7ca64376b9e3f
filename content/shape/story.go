package shape

import (
	"fmt"
	"strings"
	"time"

	"dateline/content"
)

// Formats are the body representations a story carries besides body_html.
// The zero value is the default shape: body_html, and pages only when the
// story has more than one page.
type Formats struct {
	Text  bool // body_text: the body as plain text
	Pages bool // pages, also for a one-page story
}

// formatNames are the values ParseFormats accepts, in the order the
// OpenAPI document lists them; html is always included.
var formatNames = []string{"html", "text", "pages"}

// ParseFormats reads a comma-separated list of representations (e.g.
// "text,pages"; blanks around commas are ignored). An unknown value is an
// error that names it and the values allowed.
func ParseFormats(s string) (Formats, error) {
	var f Formats
	for _, v := range strings.Split(s, ",") {
		switch strings.TrimSpace(v) {
		case "html", "":
		case "text":
			f.Text = true
		case "pages":
			f.Pages = true
		default:
			return Formats{}, fmt.Errorf("%q is not one of %s", strings.TrimSpace(v), strings.Join(formatNames, ", "))
		}
	}
	return f, nil
}

// Query is f as the formats query parameter value that asks for it ("" for
// the default shape).
func (f Formats) Query() string {
	var vs []string
	if f.Text {
		vs = append(vs, "text")
	}
	if f.Pages {
		vs = append(vs, "pages")
	}
	return strings.Join(vs, ",")
}

// Summary builds the list item of a.
func (r *Renderer) Summary(a *content.Article) Summary {
	loc := r.Location(a)
	s := Summary{
		ID:             a.ID,
		Slug:           a.Slug,
		Headline:       a.Headline,
		Standfirst:     a.Standfirst,
		Dateline:       Dateline{Place: a.Dateline.Place, TimeZone: loc.String()},
		UpdatedAt:      a.UpdatedAt.UTC(),
		Byline:         a.Byline,
		Authors:        make([]Author, 0, len(a.Authors)),
		Tags:           make([]TagRef, 0, len(a.Tags)),
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
		s.Authors = append(s.Authors, Author{Slug: au.Slug, Name: au.Name, Bio: au.Bio})
	}
	for _, t := range a.Tags {
		s.Tags = append(s.Tags, TagRef{Slug: t.Slug, Name: t.Name})
	}
	if p, ok := a.LeadPhoto(); ok {
		lead := r.Photo(p)
		s.LeadPhoto = &lead
	}
	return s
}

// Story builds the whole story with the representations f asks for. linked
// maps internal link targets that are published to their slugs; links to
// anything else are left out. a must be loaded in full.
func (r *Renderer) Story(a *content.Article, linked map[string]string, f Formats) Story {
	out := Story{
		Summary:      r.Summary(a),
		BodyHTML:     a.HTML,
		Photos:       make([]Photo, 0, len(a.Photos)),
		RelatedLinks: make([]RelatedLink, 0, len(a.Links)),
		Corrections:  make([]Correction, 0, len(a.Corrections)),
		SEO:          SEO{MetaTitle: a.SEO.MetaTitle, MetaDescription: a.SEO.MetaDescription, CanonicalURL: a.SEO.CanonicalURL},
	}
	if f.Text {
		text := a.Text
		out.BodyText = &text
	}
	if f.Pages || len(a.Pages) > 1 {
		pages := make([]Page, 0, len(a.Pages))
		for i, h := range a.Pages {
			pages = append(pages, Page{Number: i + 1, HTML: h})
		}
		out.Pages = &pages
	}
	for _, p := range a.Photos {
		out.Photos = append(out.Photos, r.Photo(p))
	}
	for _, l := range a.Links {
		rl := RelatedLink{Kind: string(l.Kind), Title: l.Title, URL: l.URL}
		if l.ArticleID != "" {
			slug, ok := linked[l.ArticleID]
			if !ok {
				continue
			}
			rl.Article = slug
			rl.URL = r.baseURL + "/api/v1/articles/" + slug
		}
		out.RelatedLinks = append(out.RelatedLinks, rl)
	}
	for _, c := range a.Corrections {
		out.Corrections = append(out.Corrections, Correction{At: c.At.UTC(), Text: c.Text})
	}
	return out
}

// Photo builds the public shape of p, its URLs absolute.
func (r *Renderer) Photo(p content.Photo) Photo {
	u := r.Absolute(p.URL)
	out := Photo{URL: u, Caption: p.Caption, Credit: p.Credit, Alt: p.Alt, Width: p.Width, Height: p.Height,
		Renditions: make([]Rendition, 0, max(len(p.Renditions), 1))}
	if p.Focus != nil {
		out.FocalPoint = &FocalPoint{X: p.Focus.X, Y: p.Focus.Y}
	}
	for _, rd := range p.Renditions {
		out.Renditions = append(out.Renditions, Rendition{URL: r.Absolute(rd.URL), ContentType: rd.ContentType,
			Width: rd.Width, Height: rd.Height, Crop: rd.Crop})
	}
	if len(out.Renditions) == 0 {
		out.Renditions = append(out.Renditions, Rendition{URL: u, ContentType: ImageType(u), Width: p.Width, Height: p.Height})
	}
	return out
}
