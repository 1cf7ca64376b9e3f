package shape

import "time"

// The public JSON shapes. They are built field by field from content types,
// so nothing internal (status, version, revision authors) can leak by
// accident.

// Summary is a story as a list item.
type Summary struct {
	ID               string    `json:"id"`
	Slug             string    `json:"slug"`
	Headline         string    `json:"headline"`
	Standfirst       string    `json:"standfirst"`
	Dateline         Dateline  `json:"dateline"`
	PublishedAt      time.Time `json:"published_at"`
	PublishedAtLocal string    `json:"published_at_local"`
	UpdatedAt        time.Time `json:"updated_at"`
	Byline           string    `json:"byline"`
	Authors          []Author  `json:"authors"`
	Tags             []TagRef  `json:"tags"`
	LeadPhoto        *Photo    `json:"lead_photo"`
	Featured         bool      `json:"featured"`
	WordCount        int       `json:"word_count"`
	ReadingMinutes   int       `json:"reading_minutes"`
	PageCount        int       `json:"page_count"`
	// Snippet is set in search results only: HTML-safe text around the
	// matched words, which are in <mark> elements. It is the last field,
	// so that a stored item can take it by appending.
	Snippet string `json:"snippet,omitempty"`
}

// Story is the whole story, as GET /articles/{slug} answers it. It carries
// its body once by default: BodyHTML, and Pages only when the story has
// more than one page; BodyText, and Pages of a one-page story, only when
// the request asks for them (Formats).
type Story struct {
	Summary
	BodyHTML     string        `json:"body_html"`
	BodyText     *string       `json:"body_text,omitempty"`
	Pages        *[]Page       `json:"pages,omitempty"`
	Photos       []Photo       `json:"photos"`
	RelatedLinks []RelatedLink `json:"related_links"`
	Corrections  []Correction  `json:"corrections"`
	SEO          SEO           `json:"seo"`
}

// Dateline is where a story was filed and the zone of its local times.
type Dateline struct {
	Place    string `json:"place"`
	TimeZone string `json:"time_zone"`
}

// Author is a story's author as the story shows them.
type Author struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	Bio  string `json:"bio"`
}

// TagRef is a tag as a story shows it.
type TagRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Photo is a photo with its renditions, for srcset: every width of the
// whole image and of each crop around the focal point, in JPEG and WebP;
// until they are made (and for an image given by an external URL) the one
// rendition listed is the original.
type Photo struct {
	URL        string      `json:"url"`
	Caption    string      `json:"caption"`
	Credit     string      `json:"credit"`
	Alt        string      `json:"alt"`
	Width      int         `json:"width,omitempty"`
	Height     int         `json:"height,omitempty"`
	FocalPoint *FocalPoint `json:"focal_point,omitempty"`
	Renditions []Rendition `json:"renditions"`
}

// FocalPoint is the point of a photo that crops keep, as fractions of its
// width and height.
type FocalPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Rendition is one file made from a photo.
type Rendition struct {
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	Crop        string `json:"crop,omitempty"`
}

// Page is one page of a story's body, as sanitized HTML.
type Page struct {
	Number int    `json:"number"`
	HTML   string `json:"html"`
}

// RelatedLink is a link a story lists; internal links name the published
// story they point to.
type RelatedLink struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	URL     string `json:"url"`
	Article string `json:"article_slug,omitempty"` // internal links
}

// Correction is a correction a story carries.
type Correction struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// SEO are a story's search engine fields.
type SEO struct {
	MetaTitle       string `json:"meta_title"`
	MetaDescription string `json:"meta_description"`
	CanonicalURL    string `json:"canonical_url"`
}
