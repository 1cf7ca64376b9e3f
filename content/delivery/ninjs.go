package delivery

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dateline/content"
	"dateline/content/shape"
)

// The IPTC ninjs 2.1 shape of a story (https://iptc.org/standards/ninjs/),
// served by GET /articles/{slug}?format=ninjs. Field names follow the
// standard, which writes them in lower case without separators.

const ninjsSchema = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"

type ninjsItem struct {
	URI                string             `json:"uri"`
	Type               string             `json:"type"`
	RepresentationType string             `json:"representationtype"`
	Standard           ninjsStandard      `json:"standard"`
	Version            string             `json:"version"`
	FirstCreated       string             `json:"firstcreated"`
	VersionCreated     string             `json:"versioncreated"`
	PubStatus          string             `json:"pubstatus"`
	Expires            string             `json:"expires,omitempty"`
	Language           string             `json:"language,omitempty"`
	Slugline           string             `json:"slugline"`
	Headlines          []ninjsText        `json:"headlines"`
	Descriptions       []ninjsText        `json:"descriptions,omitempty"`
	Bodies             []ninjsBody        `json:"bodies"`
	By                 string             `json:"by,omitempty"`
	Located            string             `json:"located,omitempty"`
	Subjects           []ninjsSubject     `json:"subjects,omitempty"`
	AltIDs             []ninjsAltID       `json:"altids"`
	Renditions         []ninjsRendition   `json:"renditions"`
	Associations       []ninjsAssociation `json:"associations,omitempty"`
}

type ninjsStandard struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Schema  string `json:"schema"`
}

type ninjsText struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contenttype,omitempty"`
	Value       string `json:"value"`
}

type ninjsBody struct {
	Role        string `json:"role"`
	ContentType string `json:"contenttype"`
	CharCount   int    `json:"charcount"`
	WordCount   int    `json:"wordcount"`
	Value       string `json:"value"`
}

type ninjsSubject struct {
	Name    string `json:"name"`
	Literal string `json:"literal"`
	URI     string `json:"uri"`
}

type ninjsAltID struct {
	Role  string `json:"role"`
	Value string `json:"value"`
}

type ninjsRendition struct {
	Name        string `json:"name"`
	Href        string `json:"href"`
	ContentType string `json:"contenttype"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	SizeInBytes int64  `json:"sizeinbytes,omitempty"`
}

type ninjsAssociation struct {
	Name               string           `json:"name"`
	URI                string           `json:"uri"`
	Type               string           `json:"type"`
	RepresentationType string           `json:"representationtype"`
	By                 string           `json:"by,omitempty"`
	CopyrightNotice    string           `json:"copyrightnotice,omitempty"`
	Descriptions       []ninjsText      `json:"descriptions,omitempty"`
	Renditions         []ninjsRendition `json:"renditions"`
}

// ninjs builds the ninjs 2.1 item of a published story. The item's uri is
// the story's stable id as a URN; version is the story's edit version;
// firstcreated is its first publication and versioncreated its last change.
func (api *API) ninjs(a *content.Article) ninjsItem {
	apiURL := api.BaseURL + "/api/v1/articles/" + url.PathEscape(a.Slug)
	out := ninjsItem{
		URI:                itemID(a),
		Type:               "text",
		RepresentationType: "full",
		Standard:           ninjsStandard{Name: "ninjs", Version: "2.1", Schema: ninjsSchema},
		Version:            strconv.Itoa(a.Version),
		FirstCreated:       published(a).Format(time.RFC3339),
		VersionCreated:     modified(a).Format(time.RFC3339),
		PubStatus:          "usable",
		Language:           api.Language,
		Slugline:           a.Slug,
		Headlines:          []ninjsText{{Role: "main", ContentType: "text/plain", Value: a.Headline}},
		Bodies: []ninjsBody{
			{Role: "main", ContentType: "text/html", CharCount: utf8.RuneCountInString(a.HTML), WordCount: a.WordCount, Value: a.HTML},
			{Role: "main", ContentType: "text/plain", CharCount: utf8.RuneCountInString(a.Text), WordCount: a.WordCount, Value: a.Text},
		},
		By:      strings.Join(authorNames(a), ", "),
		Located: a.Dateline.Place,
		AltIDs:  []ninjsAltID{{Role: "id", Value: a.ID}, {Role: "slug", Value: a.Slug}},
		Renditions: []ninjsRendition{
			{Name: "json", Href: apiURL, ContentType: "application/json"},
			{Name: "ninjs", Href: apiURL + "?format=ninjs", ContentType: "application/json"},
		},
	}
	if a.UnpublishAt != nil {
		out.Expires = a.UnpublishAt.UTC().Format(time.RFC3339)
	}
	if a.Standfirst != "" {
		out.Descriptions = []ninjsText{{Role: "summary", ContentType: "text/plain", Value: a.Standfirst}}
	}
	if a.SEO.CanonicalURL != "" {
		out.AltIDs = append(out.AltIDs, ninjsAltID{Role: "canonical", Value: a.SEO.CanonicalURL})
	}
	if api.ArticleURL != "" {
		out.Renditions = append(out.Renditions, ninjsRendition{Name: "web", Href: api.articleURL(a.Slug), ContentType: "text/html"})
	}
	for _, t := range a.Tags {
		out.Subjects = append(out.Subjects, ninjsSubject{Name: t.Name, Literal: t.Slug, URI: api.BaseURL + "/api/v1/tags/" + url.PathEscape(t.Slug)})
	}
	for i, p := range a.Photos {
		ph := api.shapes.Photo(p)
		as := ninjsAssociation{
			Name:               "photo-" + strconv.Itoa(i+1),
			URI:                ph.URL,
			Type:               "picture",
			RepresentationType: "partial",
			By:                 ph.Credit,
			CopyrightNotice:    ph.Credit,
			Renditions: []ninjsRendition{{Name: "original", Href: ph.URL, ContentType: shape.ImageType(ph.URL),
				Width: ph.Width, Height: ph.Height, SizeInBytes: p.Size}},
		}
		for _, r := range p.Renditions {
			as.Renditions = append(as.Renditions, ninjsRendition{Name: renditionName(r), Href: api.shapes.Absolute(r.URL),
				ContentType: r.ContentType, Width: r.Width, Height: r.Height, SizeInBytes: r.Size})
		}
		if i == 0 {
			as.Name = "featureimage"
		}
		if ph.Caption != "" {
			as.Descriptions = append(as.Descriptions, ninjsText{Role: "caption", ContentType: "text/plain", Value: ph.Caption})
		}
		if ph.Alt != "" {
			as.Descriptions = append(as.Descriptions, ninjsText{Role: "alt", ContentType: "text/plain", Value: ph.Alt})
		}
		out.Associations = append(out.Associations, as)
	}
	return out
}

// renditionName names a photo's rendition among its ninjs renditions: its
// crop (16x9 for 16:9, if any), its width and its format, as in
// "16x9-w640-webp" or "w1024-jpeg".
func renditionName(r content.Rendition) string {
	name := "w" + strconv.Itoa(r.Width) + "-" + strings.TrimPrefix(r.ContentType, "image/")
	if r.Crop != "" {
		name = strings.ReplaceAll(r.Crop, ":", "x") + "-" + name
	}
	return name
}
