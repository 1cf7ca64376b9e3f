package delivery

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// FeedSize is how many of the latest published stories a feed carries.
const FeedSize = 50

type feedFormat int

// The feed formats, each site-wide (/feeds/…) and per tag (/tags/{slug}/…).
const (
	formatRSS      feedFormat = iota // RSS 2.0
	formatAtom                       // Atom (RFC 4287)
	formatJSONFeed                   // JSON Feed 1.1
)

// feed is what every format is built from: the channel and its stories.
type feed struct {
	title, description string
	home, self         string // the site's home page; this feed's URL
	tag                *content.Tag
	updated            time.Time // the latest item change; the epoch if empty
	articles           []*content.Article
}

// handleFeed serves the latest FeedSize published stories, site-wide or,
// under /tags/{slug}/, only those with that tag (404 if no published story
// has it; 301 to the same feed under the current slug if slug is an old
// slug of a renamed or merged tag).
func (api *API) handleFeed(format feedFormat) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if err := noParams(c); err != nil {
			api.problem(c, err)
			return
		}
		fd := feed{title: api.SiteName, description: "The latest stories from " + api.SiteName,
			home: api.homeURL(), self: api.BaseURL + c.Request.URL.Path, updated: time.Unix(0, 0).UTC()}
		f := content.ArticleFilter{Statuses: publishedOnly, Sort: content.SortPublished, Limit: FeedSize, Full: true}
		if slug := c.Param("slug"); slug != "" {
			tag, err := api.publishedTag(c, slug)
			if content.ErrorCode(err) == content.ENOTFOUND && content.ValidSlug(slug) && api.redirectTag(c, slug) {
				return
			}
			if err != nil {
				api.problem(c, err)
				return
			}
			fd.tag = &tag
			fd.title = api.SiteName + ": " + tag.Name
			fd.description = "The latest stories on " + tag.Name + " from " + api.SiteName
			if tag.Description != "" {
				fd.description = tag.Description
			}
			f.Tags = []string{tag.Slug}
		}
		as, err := api.Store.Articles(ctx, f)
		if err != nil {
			api.problem(c, err)
			return
		}
		fd.articles = as
		for _, a := range as {
			if t := modified(a); t.After(fd.updated) {
				fd.updated = t
			}
		}
		keys := []string{"articles", "feeds"}
		if fd.tag != nil {
			keys = append(keys, "tag:"+fd.tag.Slug)
		}
		surrogateKeys(c, keys)
		switch format {
		case formatRSS:
			api.writeXML(c, rssType, api.rss(fd))
		case formatAtom:
			api.writeXML(c, atomType, api.atom(fd))
		default:
			var buf bytes.Buffer
			if err := encodeJSON(&buf, api.jsonFeed(fd)); err != nil {
				api.problem(c, err)
				return
			}
			api.writeTyped(c, http.StatusOK, jsonFeedType, buf.Bytes())
		}
	}
}

// publishedTag returns the tag with this slug if it has published stories,
// or a not-found error.
func (api *API) publishedTag(c *gin.Context, slug string) (content.Tag, error) {
	notFound := content.Errorf(content.ENOTFOUND, "no tag with published stories has this slug")
	if !content.ValidSlug(slug) {
		return content.Tag{}, notFound
	}
	t, err := api.Store.Tag(c.Request.Context(), content.TagFilter{Slug: &slug, Published: true})
	if content.ErrorCode(err) == content.ENOTFOUND {
		return content.Tag{}, notFound
	}
	return t, err
}

// articleURL is the public link of a story: the ArticleURL pattern with
// {slug} replaced, or the story's API URL.
func (api *API) articleURL(slug string) string {
	if api.ArticleURL != "" {
		return strings.ReplaceAll(api.ArticleURL, "{slug}", url.PathEscape(slug))
	}
	return api.BaseURL + "/api/v1/articles/" + url.PathEscape(slug)
}

// homeURL is the site's front page: the origin of the ArticleURL pattern,
// or this server's base URL.
func (api *API) homeURL() string {
	if u, err := url.Parse(api.ArticleURL); err == nil && api.ArticleURL != "" && u.Host != "" {
		return u.Scheme + "://" + u.Host + "/"
	}
	return api.BaseURL + "/"
}

// modified is when a published story last changed: its update, but never
// before its publication.
func modified(a *content.Article) time.Time {
	t := a.UpdatedAt.UTC()
	if a.PublishedAt != nil && a.PublishedAt.After(t) {
		t = a.PublishedAt.UTC()
	}
	return t
}

func published(a *content.Article) time.Time {
	if a.PublishedAt == nil {
		return a.UpdatedAt.UTC()
	}
	return a.PublishedAt.UTC()
}

// authorNames are the linked authors' names, or else the byline.
func authorNames(a *content.Article) []string {
	var names []string
	for _, au := range a.Authors {
		names = append(names, au.Name)
	}
	if len(names) == 0 && a.Byline != "" {
		names = append(names, a.Byline)
	}
	return names
}

// xmlText returns s without the characters XML 1.0 does not allow (most C0
// controls, U+FFFE and U+FFFF), with invalid UTF-8 replaced by U+FFFD;
// encoding/xml escapes the rest.
func xmlText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	clean := true
	for _, r := range s {
		if !xmlChar(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return -1
	}, s)
}

func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}

// writeXML writes v as an XML document with the given content type, with
// an ETag and the caching policy of every read.
func (api *API) writeXML(c *gin.Context, contentType []string, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		api.problem(c, err)
		return
	}
	buf.WriteByte('\n')
	api.writeTyped(c, http.StatusOK, contentType, buf.Bytes())
}
