package delivery_test

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/delivery"
)

func decodeJSON(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
}

func TestListItemsCarryTheirPageCount(t *testing.T) {
	for _, stored := range []bool{false, true} {
		name := "a list built from the tables"
		if stored {
			name = "a list of stored items"
		}
		t.Run(name+" gives each story's page count", func(t *testing.T) {
			open := newBuiltEnv
			if stored {
				open = newEnv
			}
			env := open(t, delivery.Options{})
			three := story("Three pages", "Harbour")
			three.Body = "One.\n\n" + content.PageBreak + "\n\nTwo.\n\n" + content.PageBreak + "\n\nThree."
			one := story("One page", "Harbour")
			one.Body = "Only one."
			if _, err := env.db.Import(context.Background(), []content.Import{
				{Edit: three, Status: content.StatusPublished, PublishedAt: at(-time.Hour)},
				{Edit: one, Status: content.StatusPublished, PublishedAt: at(-2 * time.Hour)},
			}, ""); err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"Three pages": 3, "One page": 1}
			for _, target := range []string{"/api/v1/articles", "/api/v1/articles?tag=harbour", "/api/v1/articles?q=pag*"} {
				var list struct {
					Articles []struct {
						Headline  string `json:"headline"`
						PageCount int    `json:"page_count"`
					} `json:"articles"`
				}
				decodeJSON(t, env.get(t, target).Body.Bytes(), &list)
				if len(list.Articles) != 2 {
					t.Fatalf("%s: %d stories", target, len(list.Articles))
				}
				for _, a := range list.Articles {
					if a.PageCount != want[a.Headline] {
						t.Errorf("%s: %q has page_count %d, want %d", target, a.Headline, a.PageCount, want[a.Headline])
					}
				}
			}
			var whole struct {
				PageCount int `json:"page_count"`
				Pages     []any
			}
			decodeJSON(t, env.get(t, "/api/v1/articles/three-pages").Body.Bytes(), &whole)
			if whole.PageCount != 3 || len(whole.Pages) != 3 {
				t.Errorf("the whole story has page_count %d and %d pages, want 3", whole.PageCount, len(whole.Pages))
			}
		})
	}
}

// photoEnv stores an uploaded image (in the media library, with its
// dimensions and byte size) and three published stories: one whose photo
// names the upload by media id without dimensions, one that names it by its
// /media/ URL only, and one with an external photo.
func photoEnv(t *testing.T) (*testEnv, content.Media) {
	t.Helper()
	env := newEnv(t, delivery.Options{})
	ctx := context.Background()
	m, err := env.db.CreateMedia(ctx, content.Media{ID: "0190f3c1-0000-7000-8000-000000000001", FileName: "0190f3c1-0000-7000-8000-000000000001.jpg",
		ContentType: "image/jpeg", Width: 1600, Height: 1067, Size: 48213})
	if err != nil {
		t.Fatal(err)
	}
	byID := story("Uploaded by id", "Harbour")
	byID.Photos = []content.Photo{{MediaID: m.ID, URL: m.URL, Caption: "The quay", Credit: "© Ann Lee/Agency", Alt: "An empty quay"}}
	byURL := story("Uploaded by URL", "Harbour")
	byURL.Photos = []content.Photo{{URL: m.URL, Caption: "The quay", Credit: "© Ann Lee/Agency", Alt: "An empty quay", Width: 10, Height: 10}}
	external := story("External photo", "Harbour")
	if _, err := env.db.Import(ctx, []content.Import{
		{Edit: byID, Status: content.StatusPublished, PublishedAt: at(-time.Hour)},
		{Edit: byURL, Status: content.StatusPublished, PublishedAt: at(-2 * time.Hour)},
		{Edit: external, Status: content.StatusPublished, PublishedAt: at(-3 * time.Hour)},
	}, ""); err != nil {
		t.Fatal(err)
	}
	return env, m
}

type photoJSON struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

func TestUploadedPhotosCarryTheImagesDimensions(t *testing.T) {
	env, m := photoEnv(t)
	tests := []struct {
		slug          string
		width, height int
	}{
		{"uploaded-by-id", m.Width, m.Height},
		{"uploaded-by-url", m.Width, m.Height}, // the library's, not the 10×10 it was saved with
		{"external-photo", 1200, 800},          // as saved: no library knows it
	}
	var list struct {
		Articles []struct {
			Slug      string     `json:"slug"`
			LeadPhoto *photoJSON `json:"lead_photo"`
		} `json:"articles"`
	}
	decodeJSON(t, env.get(t, "/api/v1/articles").Body.Bytes(), &list)
	lead := map[string]*photoJSON{}
	for _, a := range list.Articles {
		lead[a.Slug] = a.LeadPhoto
	}
	for _, tt := range tests {
		t.Run(tt.slug+" shows the dimensions in the story, the list and ninjs", func(t *testing.T) {
			var whole struct {
				Photos []photoJSON `json:"photos"`
			}
			decodeJSON(t, env.get(t, "/api/v1/articles/"+tt.slug).Body.Bytes(), &whole)
			if len(whole.Photos) != 1 || whole.Photos[0].Width != tt.width || whole.Photos[0].Height != tt.height {
				t.Errorf("story photos %+v, want %d×%d", whole.Photos, tt.width, tt.height)
			}
			if p := lead[tt.slug]; p == nil || p.Width != tt.width || p.Height != tt.height {
				t.Errorf("list lead_photo %+v, want %d×%d", p, tt.width, tt.height)
			}
			var item struct {
				Associations []struct {
					Renditions []struct {
						Width       int   `json:"width"`
						Height      int   `json:"height"`
						SizeInBytes int64 `json:"sizeinbytes"`
					} `json:"renditions"`
				} `json:"associations"`
			}
			body := env.get(t, "/api/v1/articles/"+tt.slug+"?format=ninjs").Body.Bytes()
			decodeJSON(t, body, &item)
			if len(item.Associations) != 1 || len(item.Associations[0].Renditions) != 1 {
				t.Fatalf("ninjs associations %s", body)
			}
			r := item.Associations[0].Renditions[0]
			wantSize := m.Size
			if tt.slug == "external-photo" {
				wantSize = 0
			}
			if r.Width != tt.width || r.Height != tt.height || r.SizeInBytes != wantSize {
				t.Errorf("ninjs rendition %+v, want %d×%d, %d bytes", r, tt.width, tt.height, wantSize)
			}
			if err := validateNinjs(t, ninjsSchema(t), body); err != nil {
				t.Errorf("ninjs invalid: %v", err)
			}
		})
	}
}

func TestFeedEnclosuresGiveTheFilesByteLength(t *testing.T) {
	env, m := photoEnv(t)
	var rss struct {
		Items []struct {
			Title     string `xml:"title"`
			Enclosure struct {
				Length string `xml:"length,attr"`
			} `xml:"enclosure"`
			Media struct {
				FileSize string `xml:"fileSize,attr"`
			} `xml:"http://search.yahoo.com/mrss/ content"`
		} `xml:"channel>item"`
	}
	decodeXML(t, env.get(t, "/api/v1/feeds/rss.xml").Body.Bytes(), &rss)
	var atom struct {
		Entries []struct {
			Title string `xml:"title"`
			Links []struct {
				Rel    string  `xml:"rel,attr"`
				Length *string `xml:"length,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	decodeXML(t, env.get(t, "/api/v1/feeds/atom.xml").Body.Bytes(), &atom)
	known := map[string]bool{"Uploaded by id": true, "Uploaded by URL": true, "External photo": false}
	if len(rss.Items) != 3 || len(atom.Entries) != 3 {
		t.Fatalf("%d RSS items, %d Atom entries", len(rss.Items), len(atom.Entries))
	}
	for _, it := range rss.Items {
		want, wantMedia := "48213", "48213"
		if !known[it.Title] {
			want, wantMedia = "0", "" // RSS requires length; 0 is the advice when unknown
		}
		if it.Enclosure.Length != want || it.Media.FileSize != wantMedia {
			t.Errorf("RSS %q: enclosure length %q, media fileSize %q; want %q, %q", it.Title, it.Enclosure.Length, it.Media.FileSize, want, wantMedia)
		}
	}
	for _, e := range atom.Entries {
		for _, l := range e.Links {
			if l.Rel != "enclosure" {
				continue
			}
			switch {
			case known[e.Title] && (l.Length == nil || *l.Length != "48213"):
				t.Errorf("Atom %q: enclosure length %v, want %d", e.Title, l.Length, m.Size)
			case !known[e.Title] && l.Length != nil:
				t.Errorf("Atom %q: enclosure length %q for a photo of unknown size, want none", e.Title, *l.Length)
			}
		}
	}
}

func TestEveryFeedFormatGivesAStoryTheSameID(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	env.seed(t)
	all, err := env.db.Articles(context.Background(), content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range all {
		want = append(want, "urn:uuid:"+a.ID)
	}
	var rss struct {
		GUIDs []string `xml:"channel>item>guid"`
	}
	decodeXML(t, env.get(t, "/api/v1/feeds/rss.xml").Body.Bytes(), &rss)
	var atom struct {
		IDs []string `xml:"entry>id"`
	}
	decodeXML(t, env.get(t, "/api/v1/feeds/atom.xml").Body.Bytes(), &atom)
	var jf struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	decodeJSON(t, env.get(t, "/api/v1/feeds/feed.json").Body.Bytes(), &jf)
	var jsonIDs []string
	for _, it := range jf.Items {
		jsonIDs = append(jsonIDs, it.ID)
	}
	for name, got := range map[string][]string{"RSS guid": rss.GUIDs, "Atom id": atom.IDs, "JSON Feed id": jsonIDs} {
		if !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// wholeSecond is an RFC 3339 time without a fraction of a second.
var wholeSecond = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$`)

func TestPublicationTimesHaveOnePrecisionEverywhere(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	ctx := context.Background()
	env.clock = now.Add(700 * time.Millisecond) // between two seconds
	e := story("Published between seconds", "Harbour")
	e.Dateline.TimeZone = "Asia/Kolkata"
	a, err := env.db.CreateArticle(ctx, e, "")
	if err != nil {
		t.Fatal(err)
	}
	unpublish := now.Add(48*time.Hour + 300*time.Millisecond)
	if a, err = env.db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished, UnpublishAt: &unpublish}); err != nil {
		t.Fatal(err)
	}
	env.clock = env.clock.Add(1100 * time.Millisecond)
	if a, err = env.db.UpdateArticle(ctx, a.ID, content.Save{Update: true, Version: a.Version, Edit: a.Edit, Correction: "An earlier version misspelt the quay."}); err != nil {
		t.Fatal(err)
	}
	if want := now; !a.PublishedAt.Equal(want) {
		t.Errorf("published_at stored as %v, want %v (cut to the second)", a.PublishedAt, want)
	}
	if want := now.Add(48*time.Hour + time.Second); !a.UnpublishAt.Equal(want) {
		t.Errorf("unpublish_at stored as %v, want %v (rounded up, never before the instant asked for)", a.UnpublishAt, want)
	}

	var whole struct {
		PublishedAt      string `json:"published_at"`
		PublishedAtLocal string `json:"published_at_local"`
		UpdatedAt        string `json:"updated_at"`
		Corrections      []struct {
			At string `json:"at"`
		} `json:"corrections"`
	}
	decodeJSON(t, env.get(t, "/api/v1/articles/"+a.Slug).Body.Bytes(), &whole)
	var list struct {
		Articles []struct {
			PublishedAt      string `json:"published_at"`
			PublishedAtLocal string `json:"published_at_local"`
			UpdatedAt        string `json:"updated_at"`
		} `json:"articles"`
	}
	decodeJSON(t, env.get(t, "/api/v1/articles").Body.Bytes(), &list)
	var changes struct {
		Changes []struct {
			At string `json:"at"`
		} `json:"changes"`
	}
	decodeJSON(t, env.get(t, "/api/v1/changes").Body.Bytes(), &changes)
	var log struct {
		Corrections []struct {
			At string `json:"at"`
		} `json:"corrections"`
	}
	decodeJSON(t, env.get(t, "/api/v1/corrections").Body.Bytes(), &log)
	var ninjs struct {
		FirstCreated   string `json:"firstcreated"`
		VersionCreated string `json:"versioncreated"`
		Expires        string `json:"expires"`
	}
	decodeJSON(t, env.get(t, "/api/v1/articles/"+a.Slug+"?format=ninjs").Body.Bytes(), &ninjs)
	if len(whole.Corrections) != 1 || len(list.Articles) != 1 || len(changes.Changes) != 2 || len(log.Corrections) != 1 {
		t.Fatalf("unexpected shapes: %+v %+v %+v %+v", whole, list, changes, log)
	}
	times := map[string]string{
		"story published_at": whole.PublishedAt, "story published_at_local": whole.PublishedAtLocal,
		"story updated_at": whole.UpdatedAt, "story correction at": whole.Corrections[0].At,
		"list published_at": list.Articles[0].PublishedAt, "list published_at_local": list.Articles[0].PublishedAtLocal,
		"list updated_at": list.Articles[0].UpdatedAt, "corrections log at": log.Corrections[0].At,
		"changes at (published)": changes.Changes[0].At, "changes at (updated)": changes.Changes[1].At,
		"ninjs firstcreated": ninjs.FirstCreated, "ninjs versioncreated": ninjs.VersionCreated, "ninjs expires": ninjs.Expires,
	}
	for name, v := range times {
		if !wholeSecond.MatchString(v) {
			t.Errorf("%s = %q, want RFC 3339 in whole seconds", name, v)
		}
	}
	utc, err1 := time.Parse(time.RFC3339, whole.PublishedAt)
	local, err2 := time.Parse(time.RFC3339, whole.PublishedAtLocal)
	if err1 != nil || err2 != nil || !utc.Equal(local) || !strings.HasSuffix(whole.PublishedAtLocal, "+05:30") {
		t.Errorf("published_at %q and published_at_local %q are not one instant", whole.PublishedAt, whole.PublishedAtLocal)
	}
	if changes.Changes[0].At != whole.PublishedAt {
		t.Errorf("the publication event is at %q, the story's published_at %q", changes.Changes[0].At, whole.PublishedAt)
	}
}

func TestSchedulesAreRoundedUpToTheSecond(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	ctx := context.Background()
	a, err := env.db.CreateArticle(ctx, story("Scheduled between seconds"), "")
	if err != nil {
		t.Fatal(err)
	}
	publish, unpublish := now.Add(time.Hour+1), now.Add(2*time.Hour+999*time.Millisecond)
	a, err = env.db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled,
		PublishAt: &publish, UnpublishAt: &unpublish})
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(time.Hour + time.Second); !a.PublishAt.Equal(want) {
		t.Errorf("publish_at %v, want %v", a.PublishAt, want)
	}
	if want := now.Add(2*time.Hour + time.Second); !a.UnpublishAt.Equal(want) {
		t.Errorf("unpublish_at %v, want %v", a.UnpublishAt, want)
	}
	// The scheduler claims the story at the (rounded) due time itself.
	_, err = env.db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusScheduled}, To: content.StatusPublished,
		Due: true, At: now.Add(time.Hour + time.Second)})
	if err != nil {
		t.Errorf("the claim at the due second failed: %v", err)
	}
}

func TestEveryPublicReadCarriesItsSurrogateKeys(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	people := env.seedCredits(t, s)
	nasty, err := env.db.Article(context.Background(), content.ArticleFilter{Slug: &s.nasty})
	if err != nil {
		t.Fatal(err)
	}
	story := []string{"article:" + nasty.ID, "slug:" + s.nasty, "tag:harbour", "author:" + people.writer.Slug}
	tests := []struct {
		name, target string
		keys         []string
	}{
		{"the article list", "/api/v1/articles", []string{"articles"}},
		{"a list by tag", "/api/v1/articles?tag=weather", []string{"articles", "tag:weather"}},
		{"a list by author", "/api/v1/articles?author=" + people.writer.Slug, []string{"articles", "author:" + people.writer.Slug}},
		{"a search", "/api/v1/articles?q=harbour", []string{"articles", "search"}},
		{"a whole story", "/api/v1/articles/" + s.nasty, story},
		{"a whole story as json", "/api/v1/articles/" + s.nasty + "?format=json", story},
		{"a whole story as ninjs", "/api/v1/articles/" + s.nasty + "?format=ninjs", story},
		{"the tag list", "/api/v1/tags", []string{"tags"}},
		{"a tag", "/api/v1/tags/harbour", []string{"tags", "tag:harbour"}},
		{"the author list", "/api/v1/authors", []string{"authors"}},
		{"an author", "/api/v1/authors/" + people.writer.Slug, []string{"authors", "author:" + people.writer.Slug}},
		{"the corrections log", "/api/v1/corrections", []string{"corrections"}},
		{"the RSS feed", "/api/v1/feeds/rss.xml", []string{"articles", "feeds"}},
		{"the Atom feed", "/api/v1/feeds/atom.xml", []string{"articles", "feeds"}},
		{"the JSON feed", "/api/v1/feeds/feed.json", []string{"articles", "feeds"}},
		{"a tag's RSS feed", "/api/v1/tags/harbour/rss.xml", []string{"articles", "feeds", "tag:harbour"}},
		{"a tag's Atom feed", "/api/v1/tags/harbour/atom.xml", []string{"articles", "feeds", "tag:harbour"}},
		{"a tag's JSON feed", "/api/v1/tags/harbour/feed.json", []string{"articles", "feeds", "tag:harbour"}},
		{"the changes feed", "/api/v1/changes", []string{"changes"}},
		{"the OpenAPI document", "/api/v1/openapi.json", []string{"openapi"}},
		{"the sitemap", "/sitemap.xml", []string{"articles", "sitemaps"}},
		{"a sitemap file", "/sitemaps/1.xml", []string{"articles", "sitemaps"}},
		{"the news sitemap", "/news-sitemap.xml", []string{"articles", "sitemaps"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" names its purge keys", func(t *testing.T) {
			for _, pass := range []string{"first read", "cached read"} {
				rec := env.get(t, tt.target)
				if rec.Code != 200 {
					t.Fatalf("%s: %d %s", pass, rec.Code, rec.Body)
				}
				got := strings.Fields(rec.Header().Get("Surrogate-Key"))
				for _, k := range tt.keys {
					if !slices.Contains(got, k) {
						t.Errorf("%s: Surrogate-Key %q lacks %q", pass, got, k)
					}
				}
				if rec.Header().Get("Etag") == "" || rec.Header().Get("Cache-Control") == "" {
					t.Errorf("%s: no ETag or Cache-Control: %v", pass, rec.Header())
				}
			}
		})
	}
}
