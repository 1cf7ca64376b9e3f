package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestAdminAPIIsMountedBehindAuthentication checks the wiring of the admin
// JSON API in the production router: without a user every route answers
// 401 problem JSON, and unknown admin paths answer 404 problem JSON.
func TestAdminAPIIsMountedBehindAuthentication(t *testing.T) {
	_, h := newTestApp(t)
	cases := []struct {
		name, method, path string
		status             int
	}{
		{"the story list needs a user", "GET", "/api/admin/v1/articles", http.StatusUnauthorized},
		{"creating a story needs a user", "POST", "/api/admin/v1/articles", http.StatusUnauthorized},
		{"publishing needs a user", "POST", "/api/admin/v1/articles/0190a000-0000-7000-8000-000000000001/publish", http.StatusUnauthorized},
		{"uploading needs a user", "POST", "/api/admin/v1/media", http.StatusUnauthorized},
		{"an unknown admin path is a problem 404", "GET", "/api/admin/v1/nothing", http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
			if w.Code != tc.status {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tc.status, w.Body.String())
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type = %q", ct)
			}
			var p struct {
				Status int    `json:"status"`
				Code   string `json:"code"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Status != tc.status || p.Code == "" {
				t.Errorf("problem = %+v (%v)", p, err)
			}
		})
	}
}
