package demo

import (
	"github.com/google/uuid"
	"slices"
	"strconv"
	"strings"
	"time"

	"dateline/content"
)

// story is one demo story as the data files write it.
type story struct {
	key      string         // names the photo files; in-house links point at it
	state    content.Status // zero means published
	on       when           // published and unpublished stories: when they first appeared
	due      time.Duration  // scheduled stories: how long after the seeding they publish
	featured bool

	headline   string
	standfirst string
	place      string // the dateline place, in capitals
	zone       string // the dateline zone; empty means the newsroom's
	byline     string
	tags       []string
	photos     []photo
	links      []link
	meta       string // SEO meta description
	body       string // markdown
	// correction, if set, was appended a day after publication.
	correction string
}

// when is a newsroom-local time a number of days before the seeding day.
type when struct{ daysAgo, hour, minute int }

// at returns the time daysAgo days before the seeding day at hour:minute,
// newsroom time. daysAgo is at least 1, so the time is always past.
func at(daysAgo, hour, minute int) when { return when{daysAgo, hour, minute} }

func (w when) time(now time.Time, loc *time.Location) time.Time {
	d := now.In(loc)
	return time.Date(d.Year(), d.Month(), d.Day()-w.daysAgo, w.hour, w.minute, 0, 0, loc).UTC()
}

// photo is a generated picture with the words that go with it.
type photo struct {
	scene   scene
	light   timeOfDay
	caption string
	credit  string
	alt     string
}

// link is a related link: an external url, or the key of another story.
type link struct {
	kind  content.LinkKind
	title string
	url   string
	to    string
}

// stories returns every demo story in a fixed order; a story's place in it
// seeds its photos.
func stories() []story {
	return slices.Concat(cityStories(), harbourStories(), scienceStories(), cultureStories(), longRead(), deskStories())
}

func (s story) status() content.Status {
	if s.state == "" {
		return content.StatusPublished
	}
	return s.state
}

func (s story) linksInHouse() bool {
	return slices.ContainsFunc(s.links, func(l link) bool { return l.to != "" })
}

// photoName is the file name of photo n of the story.
func (s story) photoName(n int) string {
	return s.key + "-" + strconv.Itoa(n+1) + ".png"
}

// photoID is the media library id of photo n of the story: a UUID made
// from its file name, the same at every seeding.
func (s story) photoID(n int) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://dateline.dev/demo/"+s.photoName(n))).String()
}

// item turns the story into an import, with times relative to now and
// in-house links resolved through ids (story key to article id).
func (s story) item(now time.Time, loc *time.Location, ids map[string]string) content.Import {
	it := content.Import{
		Edit: content.Edit{
			Headline:   s.headline,
			Standfirst: s.standfirst,
			Dateline:   content.Dateline{Place: s.place, TimeZone: s.zone},
			Body:       s.body,
			Byline:     s.byline,
			Tags:       slices.Clone(s.tags),
			SEO:        content.SEO{MetaDescription: s.meta},
			Featured:   s.featured,
		},
		Status: s.status(),
	}
	for n, p := range s.photos {
		it.Edit.Photos = append(it.Edit.Photos, content.Photo{
			MediaID: s.photoID(n),
			URL:     "/media/" + s.photoName(n),
			Caption: p.caption,
			Credit:  p.credit,
			Alt:     p.alt,
			Width:   photoWidth,
			Height:  photoHeight,
		})
	}
	for _, l := range s.links {
		it.Edit.Links = append(it.Edit.Links, content.RelatedLink{Kind: l.kind, Title: l.title, URL: l.url, ArticleID: ids[l.to]})
	}
	created := now.Add(-2 * time.Hour)
	switch it.Status {
	case content.StatusPublished, content.StatusUnpublished:
		t := s.on.time(now, loc)
		it.PublishedAt = &t
		created = t.Add(-3 * time.Hour)
		if s.correction != "" {
			it.Corrections = []content.Correction{{At: t.Add(26 * time.Hour), Text: s.correction}}
		}
	case content.StatusScheduled:
		t := now.Add(s.due)
		it.PublishAt = &t
		created = now.Add(-5 * time.Hour)
	}
	it.CreatedAt = &created
	return it
}

// pages joins the pages of a multi-page body with page-break markers, each
// on its own line.
func pages(ps ...string) string {
	return strings.Join(ps, "\n\n"+content.PageBreak+"\n\n")
}
