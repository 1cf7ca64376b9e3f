package static

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAssetsAreServedUnderHashedURLs(t *testing.T) {
	a := New()
	u := a.URL("css/admin.css")
	if !strings.HasPrefix(u, "/static/css/admin.css?v=") || len(u) < len("/static/css/admin.css?v=")+12 {
		t.Fatalf("URL = %q, want a hashed URL", u)
	}
	tests := []struct {
		name, target string
		status       int
		cache        string
	}{
		{"the current hash is cached forever", u, 200, "public, max-age=31536000, immutable"},
		{"a stale hash must revalidate", "/static/css/admin.css?v=000000000000", 200, "no-cache"},
		{"an unknown file is not found", "/static/css/nothing.css", 404, ""},
		{"a path outside the assets is not found", "/static/../static.go", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			a.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.target, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.cache != "" && rec.Header().Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control = %q, want %q", rec.Header().Get("Cache-Control"), tt.cache)
			}
			if tt.status == 200 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
				t.Errorf("Content-Type = %q", rec.Header().Get("Content-Type"))
			}
		})
	}
}
