package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"dateline/auth"
	"dateline/content"
)

// mintPreviewAt is mintPreview with the request sent to host (its Host
// header), as a browser on that origin would send it.
func mintPreviewAt(t *testing.T, h http.Handler, bearer, id, host string) previewLink {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/admin/v1/articles/"+id+"/preview", nil)
	req.Host = host
	req.Header.Set("Authorization", "Bearer "+bearer)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("preview link of %s: %d %s", id, rec.Code, rec.Body)
	}
	var link previewLink
	decode(t, rec, &link)
	return link
}

// TestAPreviewLinkIsShortAndOpensAReadablePage covers the link's address:
// short, on the configured base URL or the request's own origin, opening
// an HTML page of the story that is never cached or indexed, and a page
// saying so once the link is revoked or when it is unknown.
func TestAPreviewLinkIsShortAndOpensAReadablePage(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "ed@harbour.example", auth.RoleEditor)
	s := login(t, h, "ed@harbour.example", testPassword)
	art := storyBy(t, a, s.User.ID, "Embargoed: the new harbour master")

	base, _ := url.Parse(a.cfg.BaseURL)
	onBase := mintPreviewAt(t, h, s.AccessToken, art.ID, base.Host)
	elsewhere := mintPreviewAt(t, h, s.AccessToken, art.ID, "tunnel.example.net:8443")
	tests := []struct {
		name, url, origin string
	}{
		{"a link made on the base URL's host uses the base URL", onBase.URL, strings.TrimRight(a.cfg.BaseURL, "/")},
		{"a link made on another origin uses that origin", elsewhere.URL, "http://tunnel.example.net:8443"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, ok := strings.CutPrefix(tt.url, tt.origin+"/preview/")
			if !ok || len(code) != 22 || strings.ContainsAny(code, "/.?=") {
				t.Fatalf("link %q: want %s/preview/ and a 22-character code", tt.url, tt.origin)
			}
		})
	}
	code := strings.TrimPrefix(onBase.URL, strings.TrimRight(a.cfg.BaseURL, "/")+"/preview/")

	t.Run("the link opens an HTML page of the story, not JSON", func(t *testing.T) {
		rec := get(t, h, "/preview/"+code)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("preview page: %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
		body := rec.Body.String()
		for _, want := range []string{`<h1 class="headline">Embargoed: the new harbour master</h1>`, "OSLO", "The embargoed text of", "noindex"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page has no %q", want)
			}
		}
		for k, want := range map[string]string{"Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"} {
			if !strings.Contains(rec.Header().Get(k), want) {
				t.Errorf("%s = %q, want %q", k, rec.Header().Get(k), want)
			}
		}
	})
	t.Run("a page served under another name shows photos from that origin", func(t *testing.T) {
		m := content.Media{ID: uuid.NewString(), FileName: "quay.png", ContentType: "image/png", Width: 8, Height: 8, Size: 100}
		if _, err := a.db.CreateMedia(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		e := art.Edit
		e.Photos = []content.Photo{{MediaID: m.ID, URL: "/media/quay.png", Caption: "The quay", Credit: "© Edda", Alt: "A quay"}}
		if _, err := a.db.UpdateArticle(context.Background(), art.ID, content.Save{Version: art.Version, Edit: e}); err != nil {
			t.Fatal(err)
		}
		link := mintPreviewAt(t, h, s.AccessToken, art.ID, "tunnel.example.net:8443")
		code := strings.TrimPrefix(link.URL, "http://tunnel.example.net:8443/preview/")
		for host, want := range map[string]string{"tunnel.example.net:8443": `src="http://tunnel.example.net:8443/media/quay.png"`,
			base.Host: `src="` + strings.TrimRight(a.cfg.BaseURL, "/") + `/media/quay.png"`} {
			req := httptest.NewRequest(http.MethodGet, "/preview/"+code, nil)
			req.Host = host
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("on %s the page has no %s", host, want)
			}
		}
	})
	t.Run("the token of the same link still works in the delivery API", func(t *testing.T) {
		if rec := get(t, h, "/api/v1/preview/"+onBase.Token); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "the new harbour master") {
			t.Errorf("delivery preview: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("an unknown code gets a page saying the link does not work", func(t *testing.T) {
		for _, bad := range []string{"AAAAAAAAAAAAAAAAAAAAAA", "short", onBase.Token} {
			rec := get(t, h, "/preview/"+bad)
			if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "does not work") {
				t.Errorf("/preview/%.20s…: %d %s", bad, rec.Code, rec.Body)
			}
		}
	})
	t.Run("a revoked link stops working at once", func(t *testing.T) {
		rec := send(t, h, request{method: "DELETE", target: "/api/admin/v1/articles/" + art.ID + "/previews/" + onBase.ID, bearer: s.AccessToken})
		if rec.Code != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
		}
		if rec := get(t, h, "/preview/"+code); rec.Code != http.StatusNotFound {
			t.Errorf("a revoked link: %d", rec.Code)
		}
		other := strings.TrimPrefix(elsewhere.URL, "http://tunnel.example.net:8443/preview/")
		if rec := get(t, h, "/preview/"+other); rec.Code != http.StatusOK {
			t.Errorf("another link of the story: %d, want it still working", rec.Code)
		}
	})
	t.Run("the list shows each link's expiry in newsroom time", func(t *testing.T) {
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles/" + art.ID + "/previews", bearer: s.AccessToken})
		var out struct {
			Previews []struct {
				ExpiresLocal string `json:"expires_local"`
				Token        string `json:"token"`
			}
		}
		decode(t, rec, &out)
		if len(out.Previews) != 3 || !strings.HasSuffix(out.Previews[0].ExpiresLocal, "("+a.cfg.TimeZone+")") || out.Previews[0].Token != "" {
			t.Errorf("previews %+v", out.Previews)
		}
	})
}

// TestAPreviewLinkRedirectsToTheNewsroomsPreviewURL covers preview_url:
// the short link redirects to the newsroom's frontend with a token that
// the delivery API accepts, and only while the link stands.
func TestAPreviewLinkRedirectsToTheNewsroomsPreviewURL(t *testing.T) {
	a, _ := newTestApp(t)
	a.cfg.PreviewURL = "https://www.example.org/preview?token={token}"
	h := newRouter(a)
	addUser(t, a, "ed@harbour.example", auth.RoleEditor)
	s := login(t, h, "ed@harbour.example", testPassword)
	art := storyBy(t, a, s.User.ID, "Embargoed: ferry fares rise")
	link := mintPreview(t, h, s.AccessToken, art.ID, http.StatusOK)
	code := link.URL[strings.LastIndex(link.URL, "/")+1:]

	rec := get(t, h, "/preview/"+code)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "https://www.example.org/preview?token=") {
		t.Fatalf("redirect: %d to %q", rec.Code, loc)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	tok := u.Query().Get("token")
	if rec := get(t, h, "/api/v1/preview/"+tok); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "ferry fares rise") {
		t.Errorf("the frontend's token in the delivery API: %d %s", rec.Code, rec.Body)
	}
	send(t, h, request{method: "DELETE", target: "/api/admin/v1/articles/" + art.ID + "/previews", bearer: s.AccessToken})
	if rec := get(t, h, "/preview/"+code); rec.Code != http.StatusNotFound || rec.Header().Get("Location") != "" {
		t.Errorf("a revoked link: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := get(t, h, "/api/v1/preview/"+tok); rec.Code != http.StatusUnauthorized {
		t.Errorf("the redirect's token after revocation: %d", rec.Code)
	}
}

func TestPreviewURLMustNameTheToken(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		ok          bool
	}{
		{"empty is the server's own page", "", true},
		{"an https URL with {token}", "https://www.example.org/preview?token={token}", true},
		{"a path with {token}", "http://localhost:3000/preview/{token}", true},
		{"no {token}", "https://www.example.org/preview", false},
		{"not absolute", "/preview?token={token}", false},
		{"another scheme", "ftp://example.org/{token}", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := Config{PreviewURL: tt.value}
			if err := c.validatePreviewURL(); (err == nil) != tt.ok {
				t.Errorf("validatePreviewURL(%q) = %v", tt.value, err)
			}
		})
	}
}
