package delivery

import (
	"encoding/xml"
	"strconv"
	"time"

	"dateline/content"
	"dateline/content/shape"
)

// Every feed item, in every format, has the same permanent id: the story's
// UUID as a URN (RFC 9562), which ninjs uses as its uri too.
//
// The lead photo's byte length, which RSS requires on an enclosure and
// Atom allows, is the uploaded file's size as the media library recorded
// it. A photo that is an external URL has no known size: RSS then says
// length="0", as the RSS Best Practices Profile advises when the size
// cannot be determined, and Atom leaves length out (it is optional there).
// Once its renditions are made, RSS lists the lead photo as a media:group
// of media:content elements, the original (isDefault) and each rendition,
// with their widths, heights and sizes.

// itemID is the permanent id of story a in every feed.
func itemID(a *content.Article) string { return "urn:uuid:" + a.ID }

// RSS 2.0 with the content, Dublin Core, Media RSS and Atom (self link)
// extensions. Every text goes through xmlText.

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	NSAtom    string     `xml:"xmlns:atom,attr"`
	NSContent string     `xml:"xmlns:content,attr"`
	NSDC      string     `xml:"xmlns:dc,attr"`
	NSMedia   string     `xml:"xmlns:media,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string      `xml:"title"`
	Link          string      `xml:"link"`
	Description   string      `xml:"description"`
	Language      string      `xml:"language,omitempty"`
	LastBuildDate string      `xml:"lastBuildDate"`
	Generator     string      `xml:"generator"`
	Self          atomLink    `xml:"atom:link"`
	Category      []rssCatDom `xml:"category,omitempty"`
	Items         []rssItem   `xml:"item"`
}

type rssItem struct {
	Title       string       `xml:"title"`
	Link        string       `xml:"link"`
	GUID        rssGUID      `xml:"guid"`
	Description string       `xml:"description,omitempty"`
	Content     string       `xml:"content:encoded,omitempty"`
	PubDate     string       `xml:"pubDate"`
	Creators    []string     `xml:"dc:creator"`
	Categories  []rssCatDom  `xml:"category"`
	Enclosure   *rssEnclose  `xml:"enclosure"`
	Media       *mediaObject `xml:"media:content"`
	MediaGroup  *mediaGroup  `xml:"media:group"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssCatDom struct {
	Domain string `xml:"domain,attr,omitempty"`
	Value  string `xml:",chardata"`
}

type rssEnclose struct {
	URL    string `xml:"url,attr"`
	Length string `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type mediaObject struct {
	URL         string      `xml:"url,attr"`
	IsDefault   string      `xml:"isDefault,attr,omitempty"`
	FileSize    int64       `xml:"fileSize,attr,omitempty"`
	Type        string      `xml:"type,attr"`
	Medium      string      `xml:"medium,attr"`
	Width       int         `xml:"width,attr,omitempty"`
	Height      int         `xml:"height,attr,omitempty"`
	Credit      string      `xml:"media:credit,omitempty"`
	Description *mediaDescr `xml:"media:description"`
}

// mediaGroup is a photo with its renditions: the original (isDefault) and
// every rendition, each a media:content with its size, and the credit and
// caption once for all.
type mediaGroup struct {
	Contents    []mediaObject `xml:"media:content"`
	Credit      string        `xml:"media:credit,omitempty"`
	Description *mediaDescr   `xml:"media:description"`
}

type mediaDescr struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomLink struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Length string `xml:"length,attr,omitempty"`
}

func (api *API) rss(fd feed) rssDoc {
	ch := rssChannel{
		Title:         xmlText(fd.title),
		Link:          xmlText(fd.home),
		Description:   xmlText(fd.description),
		Language:      xmlText(api.Language),
		LastBuildDate: fd.updated.Format(time.RFC1123Z),
		Generator:     "Dateline",
		Self:          atomLink{Href: xmlText(fd.self), Rel: "self", Type: "application/rss+xml"},
		Items:         make([]rssItem, 0, len(fd.articles)),
	}
	if fd.tag != nil {
		ch.Category = []rssCatDom{{Domain: api.BaseURL + "/api/v1/tags", Value: xmlText(fd.tag.Name)}}
	}
	for _, a := range fd.articles {
		link := xmlText(api.articleURL(a.Slug))
		it := rssItem{
			Title:       xmlText(a.Headline),
			Link:        link,
			GUID:        rssGUID{IsPermaLink: "false", Value: xmlText(itemID(a))},
			Description: xmlText(a.Standfirst),
			Content:     xmlText(a.HTML),
			PubDate:     published(a).Format(time.RFC1123Z),
		}
		for _, n := range authorNames(a) {
			it.Creators = append(it.Creators, xmlText(n))
		}
		for _, t := range a.Tags {
			it.Categories = append(it.Categories, rssCatDom{Domain: api.BaseURL + "/api/v1/tags", Value: xmlText(t.Name)})
		}
		if p, ok := a.LeadPhoto(); ok {
			ph := api.shapes.Photo(p)
			typ := shape.ImageType(ph.URL)
			it.Enclosure = &rssEnclose{URL: xmlText(ph.URL), Length: strconv.FormatInt(p.Size, 10), Type: typ}
			it.Media = &mediaObject{URL: xmlText(ph.URL), FileSize: p.Size, Type: typ, Medium: "image", Width: ph.Width, Height: ph.Height,
				Credit: xmlText(ph.Credit)}
			if ph.Caption != "" {
				it.Media.Description = &mediaDescr{Type: "plain", Value: xmlText(ph.Caption)}
			}
			if len(p.Renditions) > 0 {
				g := &mediaGroup{Credit: it.Media.Credit, Description: it.Media.Description}
				original := *it.Media
				original.IsDefault, original.Credit, original.Description = "true", "", nil
				g.Contents = append(g.Contents, original)
				for _, r := range p.Renditions {
					g.Contents = append(g.Contents, mediaObject{URL: xmlText(api.shapes.Absolute(r.URL)), FileSize: r.Size, Type: r.ContentType,
						Medium: "image", Width: r.Width, Height: r.Height})
				}
				it.Media, it.MediaGroup = nil, g
			}
		}
		ch.Items = append(ch.Items, it)
	}
	return rssDoc{Version: "2.0", NSAtom: "http://www.w3.org/2005/Atom", NSContent: "http://purl.org/rss/1.0/modules/content/",
		NSDC: "http://purl.org/dc/elements/1.1/", NSMedia: "http://search.yahoo.com/mrss/", Channel: ch}
}

// Atom (RFC 4287).

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Label  string `xml:"label,attr,omitempty"`
	Scheme string `xml:"scheme,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
	Content    atomText       `xml:"content"`
}

func (api *API) atom(fd feed) atomFeed {
	out := atomFeed{
		Lang:      xmlText(api.Language),
		ID:        xmlText(fd.self),
		Title:     xmlText(fd.title),
		Subtitle:  xmlText(fd.description),
		Updated:   fd.updated.Format(time.RFC3339),
		Links:     []atomLink{{Href: xmlText(fd.self), Rel: "self", Type: "application/atom+xml"}, {Href: xmlText(fd.home), Rel: "alternate", Type: "text/html"}},
		Author:    atomPerson{Name: xmlText(api.SiteName)},
		Generator: "Dateline",
		Entries:   make([]atomEntry, 0, len(fd.articles)),
	}
	for _, a := range fd.articles {
		e := atomEntry{
			ID:        xmlText(itemID(a)),
			Title:     atomText{Type: "text", Value: xmlText(a.Headline)},
			Links:     []atomLink{{Href: xmlText(api.articleURL(a.Slug)), Rel: "alternate"}},
			Published: published(a).Format(time.RFC3339),
			Updated:   modified(a).Format(time.RFC3339),
			Content:   atomText{Type: "html", Value: xmlText(a.HTML)},
		}
		if a.Standfirst != "" {
			e.Summary = &atomText{Type: "text", Value: xmlText(a.Standfirst)}
		}
		for _, n := range authorNames(a) {
			e.Authors = append(e.Authors, atomPerson{Name: xmlText(n)})
		}
		for _, t := range a.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: xmlText(t.Slug), Label: xmlText(t.Name), Scheme: api.BaseURL + "/api/v1/tags/"})
		}
		if p, ok := a.LeadPhoto(); ok {
			ph := api.shapes.Photo(p)
			enc := atomLink{Href: xmlText(ph.URL), Rel: "enclosure", Type: shape.ImageType(ph.URL)}
			if p.Size > 0 {
				enc.Length = strconv.FormatInt(p.Size, 10)
			}
			e.Links = append(e.Links, enc)
		}
		out.Entries = append(out.Entries, e)
	}
	return out
}

// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). The lead photo's
// credit, caption and alt text travel in the "_dateline" extension.

type jsonFeed struct {
	Version     string           `json:"version"`
	Title       string           `json:"title"`
	HomePageURL string           `json:"home_page_url"`
	FeedURL     string           `json:"feed_url"`
	Description string           `json:"description"`
	Language    string           `json:"language,omitempty"`
	Authors     []jsonFeedAuthor `json:"authors"`
	Items       []jsonFeedItem   `json:"items"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	Summary       string           `json:"summary,omitempty"`
	ContentHTML   string           `json:"content_html"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published"`
	DateModified  string           `json:"date_modified"`
	Authors       []jsonFeedAuthor `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
	Extension     *jsonFeedExt     `json:"_dateline,omitempty"`
}

type jsonFeedExt struct {
	LeadPhoto shape.Photo `json:"lead_photo"`
}

func (api *API) jsonFeed(fd feed) jsonFeed {
	out := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       fd.title,
		HomePageURL: fd.home,
		FeedURL:     fd.self,
		Description: fd.description,
		Language:    api.Language,
		Authors:     []jsonFeedAuthor{{Name: api.SiteName}},
		Items:       make([]jsonFeedItem, 0, len(fd.articles)),
	}
	for _, a := range fd.articles {
		it := jsonFeedItem{
			ID:            itemID(a),
			URL:           api.articleURL(a.Slug),
			Title:         a.Headline,
			Summary:       a.Standfirst,
			ContentHTML:   a.HTML,
			DatePublished: published(a).Format(time.RFC3339),
			DateModified:  modified(a).Format(time.RFC3339),
		}
		for _, n := range authorNames(a) {
			it.Authors = append(it.Authors, jsonFeedAuthor{Name: n})
		}
		for _, t := range a.Tags {
			it.Tags = append(it.Tags, t.Name)
		}
		if p, ok := a.LeadPhoto(); ok {
			ph := api.shapes.Photo(p)
			it.Image = ph.URL
			it.Extension = &jsonFeedExt{LeadPhoto: ph}
		}
		out.Items = append(out.Items, it)
	}
	return out
}
