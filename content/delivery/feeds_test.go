package delivery_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/content/delivery"
)

// What a feed reader reads, parsed with encoding/xml (namespaces resolved).

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title         string    `xml:"title"`
		Links         []rssLink `xml:"link"` // <link> and <atom:link>
		Description   string    `xml:"description"`
		Language      string    `xml:"language"`
		LastBuildDate string    `xml:"lastBuildDate"`
		Items         []rssItem `xml:"item"`
	} `xml:"channel"`
}

type rssLink struct {
	XMLName xml.Name
	Href    string `xml:"href,attr"`
	Rel     string `xml:"rel,attr"`
	Value   string `xml:",chardata"`
}

// links returns the channel's RSS link and its Atom self link.
func (d rssDoc) links() (home, self string) {
	for _, l := range d.Channel.Links {
		switch {
		case l.XMLName.Space == "":
			home = l.Value
		case l.XMLName.Space == "http://www.w3.org/2005/Atom" && l.Rel == "self":
			self = l.Href
		}
	}
	return home, self
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        string   `xml:"guid"`
	Description string   `xml:"description"`
	Content     string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	PubDate     string   `xml:"pubDate"`
	Creators    []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
	Categories  []string `xml:"category"`
	Enclosure   struct {
		URL    string `xml:"url,attr"`
		Length string `xml:"length,attr"`
		Type   string `xml:"type,attr"`
	} `xml:"enclosure"`
	Media struct {
		URL    string `xml:"url,attr"`
		Credit string `xml:"http://search.yahoo.com/mrss/ credit"`
	} `xml:"http://search.yahoo.com/mrss/ content"`
}

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Author struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Links     []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
		} `xml:"link"`
		Authors []struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Categories []struct {
			Term  string `xml:"term,attr"`
			Label string `xml:"label,attr"`
		} `xml:"category"`
		Summary string `xml:"summary"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

type jsonFeedDoc struct {
	Version     string `json:"version"`
	Title       string `json:"title"`
	HomePageURL string `json:"home_page_url"`
	FeedURL     string `json:"feed_url"`
	Items       []struct {
		ID            string   `json:"id"`
		URL           string   `json:"url"`
		Title         string   `json:"title"`
		ContentHTML   *string  `json:"content_html"`
		ContentText   *string  `json:"content_text"`
		Image         string   `json:"image"`
		DatePublished string   `json:"date_published"`
		DateModified  string   `json:"date_modified"`
		Tags          []string `json:"tags"`
		Authors       []struct {
			Name string `json:"name"`
		} `json:"authors"`
		Ext struct {
			LeadPhoto struct {
				Credit string `json:"credit"`
			} `json:"lead_photo"`
		} `json:"_dateline"`
	} `json:"items"`
}

// feedTitles fetches target and returns the item titles and links after
// parsing it in its own format; it fails the test on any parse error.
func feedTitles(t *testing.T, env *testEnv, target string) (titles, links []string) {
	t.Helper()
	rec := env.get(t, target)
	if rec.Code != 200 {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	body := rec.Body.Bytes()
	ct := rec.Header().Get("Content-Type")
	switch {
	case strings.HasSuffix(target, "rss.xml"):
		if ct != "application/rss+xml; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		var doc rssDoc
		decodeXML(t, body, &doc)
		if home, self := doc.links(); doc.Version != "2.0" || doc.Channel.Title == "" || home == "" || self != "https://news.example.org"+target {
			t.Errorf("rss channel lacks required fields: %+v", doc.Channel)
		}
		for _, it := range doc.Channel.Items {
			if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
				t.Errorf("pubDate %q: %v", it.PubDate, err)
			}
			titles, links = append(titles, it.Title), append(links, it.Link)
		}
	case strings.HasSuffix(target, "atom.xml"):
		if ct != "application/atom+xml; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		var doc atomDoc
		decodeXML(t, body, &doc)
		if doc.ID == "" || doc.Title == "" || doc.Updated == "" || doc.Author.Name == "" {
			t.Errorf("atom feed lacks required fields: %+v", doc)
		}
		for _, e := range doc.Entries {
			if e.ID == "" || e.Updated == "" || len(e.Links) == 0 {
				t.Errorf("atom entry lacks required fields: %+v", e)
			}
			titles, links = append(titles, e.Title), append(links, e.Links[0].Href)
		}
	default:
		if ct != "application/feed+json; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		var doc jsonFeedDoc
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatalf("json feed: %v\n%s", err, body)
		}
		if doc.Version != "https://jsonfeed.org/version/1.1" || doc.Title == "" || doc.Items == nil {
			t.Errorf("json feed lacks required fields: %+v", doc)
		}
		for _, it := range doc.Items {
			if it.ID == "" || (it.ContentHTML == nil && it.ContentText == nil) {
				t.Errorf("json feed item lacks id or content: %+v", it)
			}
			titles, links = append(titles, it.Title), append(links, it.URL)
		}
	}
	return titles, links
}

func decodeXML(t *testing.T, body []byte, v any) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(v); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, body)
	}
}

func TestFeedsListOnlyPublishedStoriesAndParse(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	cleanNasty := strings.ReplaceAll(nastyHeadline, "\uFFFE", "")
	tests := []struct {
		name   string
		target string
		want   []string // titles, newest first
	}{
		{"the site-wide RSS feed lists the published stories, newest first", "/api/v1/feeds/rss.xml", []string{cleanNasty, "Fog over the estuary", "Old harbour news"}},
		{"the site-wide Atom feed lists the published stories", "/api/v1/feeds/atom.xml", []string{cleanNasty, "Fog over the estuary", "Old harbour news"}},
		{"the site-wide JSON feed lists the published stories", "/api/v1/feeds/feed.json", []string{nastyHeadline, "Fog over the estuary", "Old harbour news"}},
		{"the weather RSS feed lists only weather stories", "/api/v1/tags/weather/rss.xml", []string{"Fog over the estuary"}},
		{"the weather Atom feed lists only weather stories", "/api/v1/tags/weather/atom.xml", []string{"Fog over the estuary"}},
		{"the weather JSON feed lists only weather stories", "/api/v1/tags/weather/feed.json", []string{"Fog over the estuary"}},
		{"the harbour RSS feed lists the harbour stories", "/api/v1/tags/harbour/rss.xml", []string{cleanNasty, "Fog over the estuary", "Old harbour news"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			titles, links := feedTitles(t, env, tt.target)
			if !slices.Equal(titles, tt.want) {
				t.Errorf("titles = %q, want %q", titles, tt.want)
			}
			for _, l := range links {
				if !strings.HasPrefix(l, "https://news.example.org/api/v1/articles/") {
					t.Errorf("link %q is not the story's API URL", l)
				}
			}
			body := env.get(t, tt.target).Body.String()
			for _, h := range append(s.hiddenHeadlines, s.draft, s.scheduled, s.withdrawn, s.review, "Secret") {
				if strings.Contains(body, h) {
					t.Errorf("feed shows %q", h)
				}
			}
		})
	}
}

func TestFeedItemsCarryPhotoAuthorsTagsAndTimes(t *testing.T) {
	env := newEnv(t, delivery.Options{ArticleURL: "https://gazette.example.com/news/{slug}"})
	s := env.seed(t)

	var rss rssDoc
	decodeXML(t, env.get(t, "/api/v1/feeds/rss.xml").Body.Bytes(), &rss)
	it := rss.Channel.Items[0]
	if home, _ := rss.links(); it.Link != "https://gazette.example.com/news/"+s.nasty || home != "https://gazette.example.com/" {
		t.Errorf("rss links follow article_url: item %q channel %q", it.Link, home)
	}
	if it.Enclosure.URL != "https://images.example.org/quay.jpg" || it.Enclosure.Type != "image/jpeg" || it.Enclosure.Length != "0" {
		t.Errorf("enclosure = %+v", it.Enclosure)
	}
	if it.Media.Credit != "© Ann Lee/Agency" || !slices.Equal(it.Creators, []string{"By Marta Quell"}) || !slices.Equal(it.Categories, []string{"Harbour"}) {
		t.Errorf("media credit %q, creators %q, categories %q", it.Media.Credit, it.Creators, it.Categories)
	}
	if !strings.Contains(it.Content, "Waves &amp; wind ]]&gt;") || strings.Contains(it.Content, "\x01") || strings.Contains(it.Content, "<script") {
		t.Errorf("content:encoded = %q", it.Content)
	}
	// The stories were stored (updated) at now, after they were published.
	if it.PubDate != now.Add(-time.Hour).Format(time.RFC1123Z) || rss.Channel.LastBuildDate != now.Format(time.RFC1123Z) {
		t.Errorf("pubDate %q, lastBuildDate %q", it.PubDate, rss.Channel.LastBuildDate)
	}

	var atom atomDoc
	decodeXML(t, env.get(t, "/api/v1/tags/weather/atom.xml").Body.Bytes(), &atom)
	e := atom.Entries[0]
	if atom.Lang != "en" || !strings.Contains(atom.Title, "Weather") || e.Published != now.Add(-3*time.Hour).Format(time.RFC3339) || e.Updated != now.Format(time.RFC3339) {
		t.Errorf("atom lang %q title %q published %q updated %q", atom.Lang, atom.Title, e.Published, e.Updated)
	}
	if len(e.Links) != 2 || e.Links[1].Rel != "enclosure" || e.Links[1].Type != "image/jpeg" {
		t.Errorf("atom entry links = %+v", e.Links)
	}
	if len(e.Categories) != 2 || e.Categories[0].Term != "weather" || len(e.Authors) != 1 || e.Summary == "" || e.Content == "" {
		t.Errorf("atom entry = %+v", e)
	}

	var jf jsonFeedDoc
	if err := json.Unmarshal(env.get(t, "/api/v1/feeds/feed.json").Body.Bytes(), &jf); err != nil {
		t.Fatal(err)
	}
	j := jf.Items[1]
	if j.Image != "https://images.example.org/quay.jpg" || j.Ext.LeadPhoto.Credit != "© Ann Lee/Agency" || !slices.Equal(j.Tags, []string{"Weather", "Harbour"}) ||
		j.Authors[0].Name != "By Marta Quell" || j.DateModified == "" || jf.FeedURL != "https://news.example.org/api/v1/feeds/feed.json" {
		t.Errorf("json feed item = %+v", j)
	}
}

func TestFeedsRefuseUnknownTagsAndParameters(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	env.seed(t)
	tests := []struct {
		name   string
		target string
		status int
	}{
		{"a tag only drafts carry has no feed", "/api/v1/tags/secret/rss.xml", 404},
		{"a tag nobody uses has no feed", "/api/v1/tags/nothing/feed.json", 404},
		{"a malformed tag slug has no feed", "/api/v1/tags/Not%20A%20Tag/atom.xml", 404},
		{"a query parameter is refused", "/api/v1/feeds/rss.xml?limit=5", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.get(t, tt.target)
			if rec.Code != tt.status || rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
		})
	}
}

func TestFeedsCarryAtMostFiftyStories(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	env.seedMany(t, 60, "city", -time.Hour)
	for _, target := range []string{"/api/v1/feeds/rss.xml", "/api/v1/tags/city/atom.xml", "/api/v1/feeds/feed.json"} {
		titles, _ := feedTitles(t, env, target)
		if len(titles) != delivery.FeedSize {
			t.Errorf("%s: %d items, want %d", target, len(titles), delivery.FeedSize)
		}
		if titles[0] != "Story 0059" {
			t.Errorf("%s: first item %q, want the newest", target, titles[0])
		}
	}
}
