package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dateline/auth"
	"dateline/static"
)

// fetch sends a GET for target with the headers h and returns the answer.
func fetch(t *testing.T, hd http.Handler, target string, h map[string]string, cookies []*http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, req)
	return rec
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAdminPagesAndAssetsAreCompressedWhereNoSecretMeetsInput checks which
// answers are gzip-compressed (with Vary: Accept-Encoding and a smaller
// body that decompresses to the plain one) and which never are: the setup
// page, pages behind a session with a query string, and the admin API.
func TestAdminPagesAndAssetsAreCompressedWhereNoSecretMeetsInput(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "ed@harbour.example", auth.RoleEditor)
	s := login(t, h, "ed@harbour.example", testPassword)
	assets := static.New()
	gz := map[string]string{"Accept-Encoding": "gzip, deflate, br"}
	tests := []struct {
		name, target string
		session      bool
		compressed   bool
	}{
		{"the admin script", assets.URL("js/admin.js"), false, true},
		{"the admin style sheet", assets.URL("css/admin.css"), false, true},
		{"the media library's script", assets.URL("js/media.js"), false, true},
		{"the preview page's style sheet", assets.URL("css/preview.css"), false, true},
		{"the favicon", "/favicon.ico", false, true},
		{"the login page", "/admin/login?next=/admin/tags", false, true},
		{"the story list", "/admin", true, true},
		{"the media library", "/admin/media", true, true},
		{"the story list with a search reflected in it", "/admin?q=harbour", true, false},
		{"the media library with a search reflected in it", "/admin/media?q=harbour", true, false},
		{"the setup page, which reflects its token", "/admin/setup?token=secret-token", false, false},
		{"the admin API", "/api/admin/v1/me", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cookies []*http.Cookie
			if tt.session {
				cookies = s.cookies
			}
			plain := fetch(t, h, tt.target, nil, cookies)
			got := fetch(t, h, tt.target, gz, cookies)
			if plain.Code != http.StatusOK || got.Code != http.StatusOK {
				t.Fatalf("%s: %d and %d", tt.target, plain.Code, got.Code)
			}
			if plain.Header().Get("Content-Encoding") != "" {
				t.Errorf("compressed for a client that did not ask: %q", plain.Header().Get("Content-Encoding"))
			}
			enc := got.Header().Get("Content-Encoding")
			if !tt.compressed {
				if enc != "" {
					t.Errorf("%s is compressed (%q); it must not be", tt.target, enc)
				}
				return
			}
			if enc != "gzip" || !strings.Contains(strings.Join(got.Header().Values("Vary"), ","), "Accept-Encoding") {
				t.Fatalf("Content-Encoding %q, Vary %q", enc, got.Header().Values("Vary"))
			}
			body := gunzip(t, got.Body.Bytes())
			if !bytes.Equal(body, plain.Body.Bytes()) && !strings.HasPrefix(tt.target, "/admin") {
				t.Errorf("the compressed body differs from the plain one")
			}
			if got.Body.Len() >= plain.Body.Len() {
				t.Errorf("compressed %d bytes, plain %d", got.Body.Len(), plain.Body.Len())
			}
			t.Logf("%s: %d bytes, %d gzip-compressed", tt.target, plain.Body.Len(), got.Body.Len())
		})
	}
	t.Run("an asset's ETag names its encoding, and a revalidation answers 304", func(t *testing.T) {
		url := assets.URL("js/admin.js")
		plain, got := fetch(t, h, url, nil, nil), fetch(t, h, url, gz, nil)
		if plain.Header().Get("ETag") == got.Header().Get("ETag") || got.Header().Get("ETag") == "" {
			t.Errorf("ETags %q and %q", plain.Header().Get("ETag"), got.Header().Get("ETag"))
		}
		again := fetch(t, h, url, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": got.Header().Get("ETag")}, nil)
		if again.Code != http.StatusNotModified {
			t.Errorf("revalidation: %d", again.Code)
		}
	})
	t.Run("gzip;q=0 is a refusal", func(t *testing.T) {
		got := fetch(t, h, assets.URL("js/admin.js"), map[string]string{"Accept-Encoding": "gzip;q=0, identity"}, nil)
		if got.Header().Get("Content-Encoding") != "" {
			t.Errorf("compressed although refused")
		}
	})
}
