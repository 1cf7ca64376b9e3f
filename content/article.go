// Package content is the newsroom domain of Dateline: articles (stories),
// tags, photos, related links, the workflow statuses and the rules that
// govern them. It imports nothing internal; storage and HTTP packages are
// adapters around it.
package content

import (
	"strconv"
	"time"
)

// Status is where an article stands in the newsroom workflow.
type Status string

// The workflow statuses of DESIGN.md §3.
const (
	StatusDraft       Status = "draft"
	StatusInReview    Status = "in_review"
	StatusScheduled   Status = "scheduled"
	StatusPublished   Status = "published"
	StatusUnpublished Status = "unpublished"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusDraft, StatusInReview, StatusScheduled, StatusPublished, StatusUnpublished}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Dateline is where (and in which zone) a story was filed.
type Dateline struct {
	Place    string `json:"place"`     // e.g. "MOSCOW"
	TimeZone string `json:"time_zone"` // IANA name, e.g. "Europe/Moscow"
}

// Photo is one image of an article. The first photo is the lead photo.
type Photo struct {
	MediaID string `json:"media_id,omitempty"` // uploaded media, if any
	URL     string `json:"url"`                // absolute https URL or a /media/ path
	Caption string `json:"caption"`
	Credit  string `json:"credit"`
	Alt     string `json:"alt"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
	// Size is the byte length of the uploaded file behind the photo, as
	// the media library recorded it at upload; 0 when unknown (an external
	// URL). Reads fill it (and Width and Height, from the media library,
	// for uploaded photos); it is never part of an edit or a revision.
	Size int64 `json:"-"`
	// Focus and Renditions are the uploaded image's focal point and
	// renditions (none yet, or none for an external URL), and Thumbnail
	// the URL to show it at thumbnail size; reads fill them, like Size.
	// Thumbnail is sent to the admin app and ignored when an edit comes
	// back (Normalize clears it).
	Focus      *Focus      `json:"-"`
	Renditions []Rendition `json:"-"`
	Thumbnail  string      `json:"thumbnail_url,omitempty"`
}

// LinkKind says where a related link points.
type LinkKind string

// The kinds of related links shown under a story.
const (
	LinkRelated    LinkKind = "related"     // in-house stories
	LinkOtherMedia LinkKind = "other_media" // "In other media"
	LinkPartner    LinkKind = "partner"     // "Partner news"
)

// Valid reports whether k is a known link kind.
func (k LinkKind) Valid() bool {
	return k == LinkRelated || k == LinkOtherMedia || k == LinkPartner
}

// RelatedLink is a link shown with a story: either an external URL or a
// reference to another story of this newsroom (ArticleID).
type RelatedLink struct {
	Kind      LinkKind `json:"kind"`
	Title     string   `json:"title"`
	URL       string   `json:"url,omitempty"`
	ArticleID string   `json:"article_id,omitempty"`
}

// SEO holds the fields search engines and social cards read.
type SEO struct {
	MetaTitle       string `json:"meta_title"`
	MetaDescription string `json:"meta_description"`
	CanonicalURL    string `json:"canonical_url"`
}

// Correction is a note appended to a published story after an edit.
type Correction struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// CorrectionEntry is one entry of the public corrections log: a correction
// and the published story it corrects.
type CorrectionEntry struct {
	ID int64 // the correction's id; with At, its place in the log
	Correction
	ArticleSlug string
	Headline    string
}

// Cursor returns the position of e in the corrections log, for
// CorrectionFilter.After.
func (e CorrectionEntry) Cursor() Cursor {
	return Cursor{Time: e.At, ID: strconv.FormatInt(e.ID, 10)}
}

// Tag is a topic readers can filter by. Slug is the identity: "Politics"
// and "politics " are one tag.
type Tag struct {
	ID          int64  `json:"-"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Count is the number of published articles with this tag, where a
	// query fills it in.
	Count int `json:"count"`
}

// Author is the public profile of a user who writes for the newsroom.
type Author struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	Bio  string `json:"bio"`
	// Count is the number of published articles that credit the author,
	// where a query fills it in.
	Count int `json:"-"`
}

// Edit is the editable state of an article: everything an editor writes.
// A save replaces it whole; a revision stores it whole.
type Edit struct {
	Slug       string        `json:"slug"`
	Headline   string        `json:"headline"`
	Standfirst string        `json:"standfirst"`
	Dateline   Dateline      `json:"dateline"`
	Body       string        `json:"body"`
	Byline     string        `json:"byline"`
	AuthorIDs  []string      `json:"author_ids"`
	Photos     []Photo       `json:"photos"`
	Links      []RelatedLink `json:"related_links"`
	Tags       []string      `json:"tags"` // tag names; slugs derive from them
	SEO        SEO           `json:"seo"`
	Featured   bool          `json:"featured"`
}

// Rendered is what the markdown pipeline derives from a body at save time.
type Rendered struct {
	HTML           string   // the whole body as sanitized HTML
	Text           string   // plain text, for search and feeds
	Pages          []string // the body split at page breaks, each sanitized HTML
	WordCount      int
	ReadingMinutes int
}

// Article is a story with its workflow state and derived fields.
type Article struct {
	ID string
	Edit
	Rendered

	Tags    []Tag
	Authors []Author
	// PageCount is the number of pages of the body (len(Pages) when the
	// pages are loaded); every read fills it, also without the pages.
	PageCount int

	Status      Status
	Version     int
	PublishAt   *time.Time // when the scheduler publishes it (UTC)
	UnpublishAt *time.Time // when the scheduler withdraws it (UTC)
	PublishedAt *time.Time // first publication; set once
	UpdatedAt   time.Time
	CreatedAt   time.Time
	Corrections []Correction
	CreatedBy   string // id of the user who created it; "" for the system

	// Match is how the article matched a full-text search; nil outside
	// search results.
	Match *Match
}

// Match is a search hit's relevance and the passage of its text around
// the matched words.
type Match struct {
	// Rank orders hits, higher first. It depends only on the article's own
	// text, the query and the candidates the search's first page ranked
	// (which a cursor carries), so it is stable while the article is
	// unchanged, from one page of a search to the next.
	Rank int64
	// Snippet is HTML-safe text with the matched words in <mark> elements.
	Snippet string
}

// LeadPhoto returns the first photo, if any.
func (a *Article) LeadPhoto() (Photo, bool) {
	if len(a.Photos) == 0 {
		return Photo{}, false
	}
	return a.Photos[0], true
}

// Location returns the article's dateline zone, falling back to fallback
// when the zone is empty or unknown.
func (a *Article) Location(fallback *time.Location) *time.Location {
	if a.Dateline.TimeZone == "" {
		return fallback
	}
	loc, err := time.LoadLocation(a.Dateline.TimeZone)
	if err != nil {
		return fallback
	}
	return loc
}
