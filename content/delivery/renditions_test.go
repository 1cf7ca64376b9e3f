package delivery_test

import (
	"context"
	"encoding/xml"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/delivery"
)

// renditionsOf is what the rendition workers would have made of a
// 4000×3000 upload, shortened to a few files.
func renditionsOf() []content.Rendition {
	rs := []content.Rendition{
		{FileName: "aa11-640x480.jpg", ContentType: "image/jpeg", Width: 640, Height: 480, Size: 51234},
		{FileName: "aa12-640x480.webp", ContentType: "image/webp", Width: 640, Height: 480, Size: 31234},
		{FileName: "aa13-1600x1200.webp", ContentType: "image/webp", Width: 1600, Height: 1200, Size: 151234},
		{FileName: "aa14-640x360.webp", ContentType: "image/webp", Width: 640, Height: 360, Size: 21234, Crop: "16:9"},
	}
	for i := range rs {
		rs[i].URL = "/media/" + rs[i].FileName
	}
	return rs
}

type renditionPhoto struct {
	URL        string `json:"url"`
	FocalPoint *struct {
		X, Y float64
	} `json:"focal_point"`
	Renditions []struct {
		URL         string `json:"url"`
		ContentType string `json:"content_type"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		Crop        string `json:"crop"`
	} `json:"renditions"`
}

func TestRenditionsAppearInEveryPublicShapeOnceMade(t *testing.T) {
	registerFeedDecoders()
	_, router := loadOpenAPI(t)
	sch := ninjsSchema(t)
	env := newEnv(t, delivery.Options{})
	ctx := context.Background()
	m, err := env.db.CreateMedia(ctx, content.Media{ID: "0190f8a2-0000-7000-8000-000000000001", FileName: "0190f8a2-0000-7000-8000-000000000001.jpg",
		ContentType: "image/jpeg", Width: 4000, Height: 3000, Size: 2345678})
	if err != nil {
		t.Fatal(err)
	}
	e := story("Cranes over the quay", "Harbour")
	e.Slug = "cranes-over-the-quay"
	e.Photos = []content.Photo{{MediaID: m.ID, URL: m.URL, Caption: "Cranes", Credit: "© Ann Lee/Agency", Alt: "Two cranes"}}
	byURL := story("The quay by its address", "Harbour")
	byURL.Slug = "the-quay-by-its-address"
	byURL.Photos = []content.Photo{{URL: m.URL, Caption: "Cranes", Credit: "© Ann Lee/Agency", Alt: "Two cranes"}}
	if _, err := env.db.Import(ctx, []content.Import{
		{Edit: e, Status: content.StatusPublished, PublishedAt: at(-time.Hour)},
		{Edit: byURL, Status: content.StatusPublished, PublishedAt: at(-2 * time.Hour)},
	}, ""); err != nil {
		t.Fatal(err)
	}
	lead := func(t *testing.T, slug string) renditionPhoto {
		var a struct {
			LeadPhoto renditionPhoto   `json:"lead_photo"`
			Photos    []renditionPhoto `json:"photos"`
		}
		rec := env.get(t, "/api/v1/articles/"+slug)
		decodeJSON(t, rec.Body.Bytes(), &a)
		validateAgainst(t, router, httptest.NewRequest("GET", "/api/v1/articles/"+slug, nil), rec)
		return a.LeadPhoto
	}

	t.Run("until renditions are made the original is the one listed", func(t *testing.T) {
		p := lead(t, e.Slug)
		if len(p.Renditions) != 1 || p.Renditions[0].URL != "https://news.example.org"+m.URL ||
			p.Renditions[0].ContentType != "image/jpeg" || p.Renditions[0].Width != 4000 {
			t.Errorf("renditions = %+v", p.Renditions)
		}
		if p.FocalPoint == nil || p.FocalPoint.X != 0.5 || p.FocalPoint.Y != 0.5 {
			t.Errorf("focal point = %+v, want the centre", p.FocalPoint)
		}
	})

	gen := env.db.Generation()
	last, _ := env.db.LastEventID(ctx)
	job, ok, err := env.db.ClaimRenditionJob(ctx, time.Minute)
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if _, stored, err := env.db.FinishRenditions(ctx, job, "spec-1", renditionsOf()); err != nil || !stored {
		t.Fatalf("finish: %v %v", stored, err)
	}

	t.Run("made renditions move the content generation and write an event per story", func(t *testing.T) {
		if env.db.Generation() == gen {
			t.Error("the content generation did not move")
		}
		evs, err := env.db.Events(ctx, content.EventFilter{AfterID: last})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Type != content.EventUpdated || evs[0].Payload["photo_change"] != "renditions" || evs[0].Payload["media_id"] != m.ID {
			t.Errorf("events = %+v", evs)
		}
	})
	for _, slug := range []string{e.Slug, byURL.Slug} {
		t.Run("the story and its list item list them: "+slug, func(t *testing.T) {
			p := lead(t, slug)
			if len(p.Renditions) != 4 || p.Renditions[0].URL != "https://news.example.org/media/aa11-640x480.jpg" ||
				p.Renditions[3].Crop != "16:9" || p.Renditions[3].Height != 360 {
				t.Errorf("renditions = %+v", p.Renditions)
			}
			rec := env.get(t, "/api/v1/articles?tag=harbour")
			validateAgainst(t, router, httptest.NewRequest("GET", "/api/v1/articles?tag=harbour", nil), rec)
			if !strings.Contains(rec.Body.String(), `"url":"https://news.example.org/media/aa14-640x360.webp","content_type":"image/webp","width":640,"height":360,"crop":"16:9"`) {
				t.Errorf("the list item lacks the crop: %s", rec.Body)
			}
		})
	}
	t.Run("ninjs lists them with sizes and stays valid", func(t *testing.T) {
		rec := env.get(t, "/api/v1/articles/"+e.Slug+"?format=ninjs")
		if err := validateNinjs(t, sch, rec.Body.Bytes()); err != nil {
			t.Errorf("invalid ninjs: %v\n%s", err, rec.Body)
		}
		for _, want := range []string{
			`{"name":"w640-jpeg","href":"https://news.example.org/media/aa11-640x480.jpg","contenttype":"image/jpeg","width":640,"height":480,"sizeinbytes":51234}`,
			`{"name":"16x9-w640-webp","href":"https://news.example.org/media/aa14-640x360.webp","contenttype":"image/webp","width":640,"height":360,"sizeinbytes":21234}`,
		} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("ninjs lacks %s:\n%s", want, rec.Body)
			}
		}
	})
	t.Run("RSS lists them as a media group with their sizes", func(t *testing.T) {
		rec := env.get(t, "/api/v1/feeds/rss.xml")
		validateAgainst(t, router, httptest.NewRequest("GET", "/api/v1/feeds/rss.xml", nil), rec)
		var doc struct {
			Items []struct {
				Group struct {
					Contents []struct {
						URL       string `xml:"url,attr"`
						IsDefault string `xml:"isDefault,attr"`
						Width     int    `xml:"width,attr"`
						Height    int    `xml:"height,attr"`
						FileSize  int64  `xml:"fileSize,attr"`
						Type      string `xml:"type,attr"`
					} `xml:"http://search.yahoo.com/mrss/ content"`
					Credit string `xml:"http://search.yahoo.com/mrss/ credit"`
				} `xml:"http://search.yahoo.com/mrss/ group"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Items) != 2 {
			t.Fatalf("items = %d", len(doc.Items))
		}
		g := doc.Items[0].Group
		if len(g.Contents) != 5 || g.Contents[0].IsDefault != "true" || g.Contents[0].Width != 4000 || g.Credit != "© Ann Lee/Agency" ||
			g.Contents[2].Type != "image/webp" || g.Contents[2].Width != 640 || g.Contents[2].FileSize != 31234 {
			t.Errorf("media group = %+v", g)
		}
	})
	t.Run("JSON Feed lists them in its extension", func(t *testing.T) {
		rec := env.get(t, "/api/v1/feeds/feed.json")
		validateAgainst(t, router, httptest.NewRequest("GET", "/api/v1/feeds/feed.json", nil), rec)
		if !strings.Contains(rec.Body.String(), `"crop":"16:9"`) {
			t.Errorf("the feed lacks the renditions: %s", rec.Body)
		}
	})
	t.Run("the stored JSON was rendered again with them", func(t *testing.T) {
		b, ok, err := env.db.PublicBlob(ctx, e.Slug, env.api.RenderKey(), nil)
		if err != nil || !ok || !strings.Contains(string(b.JSON), "aa13-1600x1200.webp") {
			t.Errorf("stored JSON: %v %v %s", ok, err, b.JSON)
		}
	})
}
