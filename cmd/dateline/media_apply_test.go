package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"dateline/auth"
	"dateline/content"
)

// TestMediaSearchAndCopyingTextsIntoStories covers GET /media?q= and POST
// /media/:id/apply through the production router: who may copy, what a
// bad request gets, and what each story gets.
func TestMediaSearchAndCopyingTextsIntoStories(t *testing.T) {
	a, h := newTestApp(t)
	ctx := context.Background()
	addUser(t, a, "ed@harbour.example", auth.RoleEditor)
	con := addUser(t, a, "con@harbour.example", auth.RoleContributor)
	ed := login(t, h, "ed@harbour.example", testPassword)
	cs := login(t, h, "con@harbour.example", testPassword)
	mk := func(file, caption, credit string) content.Media {
		m, err := a.db.CreateMedia(ctx, content.Media{ID: uuid.NewString(), FileName: file, ContentType: "image/png", Width: 8, Height: 8, Size: 100,
			Caption: caption, Credit: credit})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	pier := mk("pier-at-dawn.png", "The pier at dawn", "© Edda Vik/Gazette")
	mk("market.png", "Fish market 100% open", "© Colm_Tidewell")
	photo := content.Photo{MediaID: pier.ID, URL: pier.URL, Caption: "Old caption", Credit: "© Old", Alt: "A pier"}
	own, err := a.db.CreateArticle(ctx, content.Edit{Headline: "The contributor's pier story", Body: "Text.", Photos: []content.Photo{photo}}, con.ID)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := a.db.CreateArticle(ctx, content.Edit{Headline: "The editor's pier story", Body: "Text.", Photos: []content.Photo{photo}}, ed.User.ID)
	if err != nil {
		t.Fatal(err)
	}

	searches := []struct {
		name, q string
		want    int
		status  int
	}{
		{"a caption word, in any case", "PIER", 1, 200},
		{"a credit", "edda vik", 1, 200},
		{"a file name", "market.png", 1, 200},
		{"a percent sign is a character, not a wildcard", "100%", 1, 200},
		{"an underscore is a character, not a wildcard", "Colm_", 1, 200},
		{"nothing matches", "lighthouse", 0, 200},
		{"too long a query", strings.Repeat("x", 201), 0, 400},
	}
	for _, tt := range searches {
		t.Run("search: "+tt.name, func(t *testing.T) {
			rec := send(t, h, request{method: "GET", target: "/api/admin/v1/media?q=" + url.QueryEscape(tt.q), bearer: ed.AccessToken})
			if rec.Code != tt.status {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			if tt.status != 200 {
				return
			}
			var out mediaListJSON
			decode(t, rec, &out)
			if len(out.Media) != tt.want {
				t.Errorf("%q found %d: %+v", tt.q, len(out.Media), out.Media)
			}
		})
	}

	apply := []struct {
		name, bearer, id, body string
		status                 int
		detail                 string
	}{
		{"a contributor may not copy an editor's upload", cs.AccessToken, pier.ID, `{"credit":true}`, 403, "uploader and editors"},
		{"nothing to copy", ed.AccessToken, pier.ID, `{}`, 400, "caption, credit or both"},
		{"an unknown field", ed.AccessToken, pier.ID, `{"credit":true,"alt":true}`, 400, "alt"},
		{"an unknown image", ed.AccessToken, uuid.NewString(), `{"credit":true}`, 404, ""},
		{"no session", "", pier.ID, `{"credit":true}`, 401, ""},
	}
	for _, tt := range apply {
		t.Run("apply: "+tt.name, func(t *testing.T) {
			rec := send(t, h, request{method: "POST", target: "/api/admin/v1/media/" + tt.id + "/apply", body: tt.body, bearer: tt.bearer})
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.detail) {
				t.Errorf("%d %s, want %d with %q", rec.Code, rec.Body, tt.status, tt.detail)
			}
		})
	}
	t.Run("apply: an editor copies the credit into every story, and only the credit", func(t *testing.T) {
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/media/" + pier.ID + "/apply", body: `{"credit":true}`, bearer: ed.AccessToken})
		if rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		var out struct {
			Saved   int `json:"saved"`
			Stories []struct {
				ArticleID string `json:"article_id"`
				Result    string `json:"result"`
			}
		}
		decode(t, rec, &out)
		if out.Saved != 2 || len(out.Stories) != 2 {
			t.Errorf("answer %+v", out)
		}
		for _, id := range []string{own.ID, theirs.ID} {
			art, err := a.db.Article(ctx, content.ArticleFilter{ID: &id})
			if err != nil {
				t.Fatal(err)
			}
			if p := art.Photos[0]; p.Credit != pier.Credit || p.Caption != "Old caption" || art.Version < 2 {
				t.Errorf("%s: photo %+v, version %d", art.Headline, p, art.Version)
			}
		}
		again := send(t, h, request{method: "POST", target: "/api/admin/v1/media/" + pier.ID + "/apply", body: `{"credit":true}`, bearer: ed.AccessToken})
		if !strings.Contains(again.Body.String(), `"saved":0`) || !strings.Contains(again.Body.String(), `"unchanged"`) {
			t.Errorf("a second copy: %s", again.Body)
		}
	})
}

// mediaListJSON is the answer of GET /api/admin/v1/media.
type mediaListJSON struct {
	Media []content.Media `json:"media"`
}
