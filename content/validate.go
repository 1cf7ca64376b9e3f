package content

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on the editable fields. They are part of the API contract.
const (
	MaxHeadline        = 300
	MaxStandfirst      = 1000
	MaxPlace           = 100
	MaxBody            = 500_000 // bytes of markdown
	MaxByline          = 200
	MaxPhotos          = 50
	MaxCaption         = 1000
	MaxCredit          = 200
	MaxAlt             = 500
	MaxLinks           = 50
	MaxLinkTitle       = 300
	MaxURL             = 2000
	MaxTags            = 20
	MaxTagName         = 60
	MaxAuthors         = 10
	MaxMetaTitle       = 200
	MaxMetaDescription = 500
	MaxCorrection      = 2000
	MaxSlug            = 100
)

// Normalize trims and normalizes the edit in place: NFC text without
// invisible characters (see text.go), trimmed single line fields, tag names
// normalized and deduplicated by slug, and the dateline zone defaulted to
// defaultZone when empty. It never fails; Validate reports what is still
// wrong.
func (e *Edit) Normalize(defaultZone string) {
	e.Slug = strings.ToLower(line(e.Slug))
	e.Headline = line(e.Headline)
	e.Standfirst = multiline(e.Standfirst)
	e.Dateline.Place = line(e.Dateline.Place)
	e.Dateline.TimeZone = strings.TrimSpace(e.Dateline.TimeZone)
	if e.Dateline.TimeZone == "" {
		e.Dateline.TimeZone = defaultZone
	}
	e.Body = strings.ReplaceAll(norm.NFC.String(e.Body), "\r\n", "\n")
	e.Byline = line(e.Byline)
	for i := range e.Photos {
		p := &e.Photos[i]
		p.URL = strings.TrimSpace(p.URL)
		p.Caption = multiline(p.Caption)
		p.Credit = line(p.Credit)
		p.Alt = line(p.Alt)
		p.Thumbnail, p.Focus, p.Renditions, p.Size = "", nil, nil, 0
	}
	for i := range e.Links {
		l := &e.Links[i]
		l.Title = line(l.Title)
		l.URL = strings.TrimSpace(l.URL)
		l.ArticleID = strings.TrimSpace(l.ArticleID)
		if l.Kind == "" {
			l.Kind = LinkRelated
		}
	}
	seen := make(map[string]bool, len(e.Tags))
	tags := e.Tags[:0:0]
	for _, name := range e.Tags {
		name = NormalizeTagName(name)
		key := Slugify(name)
		if name == "" || (key != "" && seen[key]) {
			continue
		}
		seen[key] = true
		tags = append(tags, name)
	}
	e.Tags = tags
	seenAuthor := make(map[string]bool, len(e.AuthorIDs))
	authors := e.AuthorIDs[:0:0]
	for _, id := range e.AuthorIDs {
		id = strings.TrimSpace(id)
		if id != "" && !seenAuthor[id] {
			seenAuthor[id] = true
			authors = append(authors, id)
		}
	}
	e.AuthorIDs = authors
	e.SEO.MetaTitle = line(e.SEO.MetaTitle)
	e.SEO.MetaDescription = line(e.SEO.MetaDescription)
	e.SEO.CanonicalURL = strings.TrimSpace(e.SEO.CanonicalURL)
}

// Validate checks a normalized edit and returns a validation *Error naming
// every field at fault, or nil. Credits and alt texts may still be missing
// here; ReadyToPublish checks those.
func (e *Edit) Validate() error {
	var p Problems
	switch n := utf8.RuneCountInString(e.Headline); {
	case n == 0:
		p.Add("headline", "is required")
	case !visible(e.Headline):
		p.Add("headline", "must have at least one visible character")
	case n > MaxHeadline:
		p.Add("headline", "must be at most %d characters", MaxHeadline)
	}
	checkText(&p, "headline", e.Headline, false)
	if utf8.RuneCountInString(e.Standfirst) > MaxStandfirst {
		p.Add("standfirst", "must be at most %d characters", MaxStandfirst)
	}
	checkText(&p, "standfirst", e.Standfirst, true)
	if e.Slug != "" && !ValidSlug(e.Slug) {
		p.Add("slug", "may contain only lowercase letters, digits and single hyphens (at most %d)", MaxSlug)
	}
	if utf8.RuneCountInString(e.Dateline.Place) > MaxPlace {
		p.Add("dateline.place", "must be at most %d characters", MaxPlace)
	}
	checkText(&p, "dateline.place", e.Dateline.Place, false)
	if err := checkZone(e.Dateline.TimeZone); err != nil {
		p.Add("dateline.time_zone", "%v", err)
	}
	checkBody(&p, e.Body)
	if utf8.RuneCountInString(e.Byline) > MaxByline {
		p.Add("byline", "must be at most %d characters", MaxByline)
	}
	checkText(&p, "byline", e.Byline, false)
	if len(e.AuthorIDs) > MaxAuthors {
		p.Add("author_ids", "at most %d authors", MaxAuthors)
	}
	e.validatePhotos(&p)
	e.validateLinks(&p)
	if len(e.Tags) > MaxTags {
		p.Add("tags", "at most %d tags", MaxTags)
	}
	for i, name := range e.Tags {
		field := fmt.Sprintf("tags[%d]", i)
		switch {
		case utf8.RuneCountInString(name) > MaxTagName:
			p.Add(field, "must be at most %d characters", MaxTagName)
		case Slugify(name) == "":
			p.Add(field, "needs at least one letter or digit")
		}
		checkText(&p, field, name, false)
	}
	if utf8.RuneCountInString(e.SEO.MetaTitle) > MaxMetaTitle {
		p.Add("seo.meta_title", "must be at most %d characters", MaxMetaTitle)
	}
	if utf8.RuneCountInString(e.SEO.MetaDescription) > MaxMetaDescription {
		p.Add("seo.meta_description", "must be at most %d characters", MaxMetaDescription)
	}
	if e.SEO.CanonicalURL != "" {
		if err := checkWebURL(e.SEO.CanonicalURL); err != nil {
			p.Add("seo.canonical_url", "%v", err)
		}
	}
	return p.Err()
}

func (e *Edit) validatePhotos(p *Problems) {
	if len(e.Photos) > MaxPhotos {
		p.Add("photos", "at most %d photos", MaxPhotos)
	}
	for i, ph := range e.Photos {
		field := fmt.Sprintf("photos[%d]", i)
		switch {
		case ph.URL == "":
			p.Add(field+".url", "is required")
		case strings.HasPrefix(ph.URL, "/media/"):
			if strings.Contains(ph.URL, "..") || strings.ContainsAny(ph.URL, "?#\\") {
				p.Add(field+".url", "is not a valid media path")
			}
		default:
			u, err := url.Parse(ph.URL)
			if err != nil || u.Scheme != "https" || u.Host == "" || len(ph.URL) > MaxURL {
				p.Add(field+".url", "must be an absolute https URL or an uploaded /media/ path")
			}
		}
		if utf8.RuneCountInString(ph.Caption) > MaxCaption {
			p.Add(field+".caption", "must be at most %d characters", MaxCaption)
		}
		if utf8.RuneCountInString(ph.Credit) > MaxCredit {
			p.Add(field+".credit", "must be at most %d characters", MaxCredit)
		}
		if utf8.RuneCountInString(ph.Alt) > MaxAlt {
			p.Add(field+".alt", "must be at most %d characters", MaxAlt)
		}
		checkText(p, field+".caption", ph.Caption, true)
		checkText(p, field+".credit", ph.Credit, false)
		checkText(p, field+".alt", ph.Alt, false)
		if ph.Width < 0 || ph.Height < 0 {
			p.Add(field, "dimensions must not be negative")
		}
	}
}

func (e *Edit) validateLinks(p *Problems) {
	if len(e.Links) > MaxLinks {
		p.Add("related_links", "at most %d links", MaxLinks)
	}
	for i, l := range e.Links {
		field := fmt.Sprintf("related_links[%d]", i)
		if !l.Kind.Valid() {
			p.Add(field+".kind", "must be one of related, other_media, partner")
		}
		// A link to a story of ours needs no title: the store gives it the
		// linked story's headline (see RelatedLink).
		switch n := utf8.RuneCountInString(l.Title); {
		case n == 0 && l.ArticleID == "":
			p.Add(field+".title", "is required for a link to another site")
		case n > MaxLinkTitle:
			p.Add(field+".title", "must be at most %d characters", MaxLinkTitle)
		}
		checkText(p, field+".title", l.Title, false)
		switch {
		case l.URL == "" && l.ArticleID == "":
			p.Add(field+".url", "a URL or an internal article is required")
		case l.URL != "" && l.ArticleID != "":
			p.Add(field+".url", "give either a URL or an internal article, not both")
		case l.URL != "":
			if err := checkWebURL(l.URL); err != nil {
				p.Add(field+".url", "%v", err)
			}
		}
	}
}

// CheckBody validates a markdown body on its own, as Validate does: at most
// MaxBody bytes of UTF-8 that Render can turn into HTML in linear time (see
// MaxNesting). It returns a validation *Error naming "body", or nil.
func CheckBody(body string) error {
	var p Problems
	checkBody(&p, body)
	return p.Err()
}

func checkBody(p *Problems, body string) {
	switch {
	case len(body) > MaxBody:
		p.Add("body", "must be at most %d bytes", MaxBody)
	case !utf8.ValidString(body):
		p.Add("body", "must be valid UTF-8")
	default:
		if msg := renderCost(body); msg != "" {
			p.Add("body", "%s", msg)
		}
	}
}

// ReadyToPublish reports what stops the edit from being published or
// scheduled: every photo needs a credit and an alt text.
func (e *Edit) ReadyToPublish() error {
	var p Problems
	for i, ph := range e.Photos {
		if ph.Credit == "" {
			p.Add(fmt.Sprintf("photos[%d].credit", i), "a photo credit is required before publishing")
		}
		if ph.Alt == "" {
			p.Add(fmt.Sprintf("photos[%d].alt", i), "alt text is required before publishing")
		}
	}
	if err := p.Err(); err != nil {
		return &Error{Code: EINVALID, Message: "the story is not ready to publish", Fields: p}
	}
	return nil
}

// checkWebURL accepts absolute http and https URLs only.
func checkWebURL(raw string) error {
	if len(raw) > MaxURL {
		return fmt.Errorf("must be at most %d characters", MaxURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("must be an absolute http or https URL")
	}
	return nil
}

func checkZone(name string) error {
	if name == "" {
		return fmt.Errorf("is required")
	}
	if name == "Local" {
		return fmt.Errorf("must be an IANA time zone name such as Europe/Berlin")
	}
	if _, err := time.LoadLocation(name); err != nil {
		return fmt.Errorf("unknown time zone %q", name)
	}
	return nil
}

// checkText refuses invalid UTF-8, control characters (newlines only where
// multiline) and the bidi override and isolate characters that can disguise
// text.
func checkText(p *Problems, field, s string, multiline bool) {
	if !utf8.ValidString(s) {
		p.Add(field, "must be valid UTF-8")
		return
	}
	for _, r := range s {
		switch {
		case r == '\n' && multiline, r == '\t' && multiline:
		case isBidiControl(r):
			p.Add(field, "must not contain bidirectional override characters")
			return
		case unicode.IsControl(r):
			p.Add(field, "must not contain control characters")
			return
		}
	}
}

func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// CheckCorrection validates the text of a correction note.
func CheckCorrection(text string) error {
	var p Problems
	if utf8.RuneCountInString(text) > MaxCorrection {
		p.Add("correction", "must be at most %d characters", MaxCorrection)
	}
	checkText(&p, "correction", text, true)
	return p.Err()
}
