package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dateline/auth"
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

// TestStoryWorkflowThroughTheProductionRouter signs in with real tokens and
// takes a story from draft to published to deleted, checking what the
// delivery API shows at each step.
func TestStoryWorkflowThroughTheProductionRouter(t *testing.T) {
	onEachStore(t, testStoryWorkflowThroughTheProductionRouter)
}

func testStoryWorkflowThroughTheProductionRouter(t *testing.T, store testStore) {
	a, h := newTestAppOn(t, store, time.Now)
	addUser(t, a, "cora@example.org", auth.RoleContributor)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	co := login(t, h, "cora@example.org", testPassword).AccessToken
	ed := login(t, h, "edda@example.org", testPassword).AccessToken

	body := `{"headline": "Tram line opens", "dateline": {"place": "OSLO"}, "body": "Trams run.",
		"photos": [{"url": "https://images.example.org/t.jpg", "caption": "A tram", "credit": "© Ann Lee/Agency", "alt": "A blue tram"}],
		"related_links": [{"kind": "partner", "title": "Timetable", "url": "https://partner.example.net/t"}]}`
	rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles", body: body, bearer: co})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var story struct {
		ID, Slug, Status string
	}
	decode(t, rec, &story)
	step := func(token, action string, want int) {
		t.Helper()
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles/" + story.ID + "/" + action, bearer: token})
		if rec.Code != want {
			t.Fatalf("%s: %d, want %d: %s", action, rec.Code, want, rec.Body)
		}
	}
	step(co, "submit", http.StatusOK)
	step(co, "approve", http.StatusForbidden)
	if rec := get(t, h, "/api/v1/articles/"+story.Slug); rec.Code != http.StatusNotFound {
		t.Fatalf("a story in review is public: %d", rec.Code)
	}
	step(ed, "approve", http.StatusOK)
	if rec := get(t, h, "/api/v1/articles/"+story.Slug); rec.Code != http.StatusOK {
		t.Fatalf("the approved story is not public: %d %s", rec.Code, rec.Body)
	}
	if rec := send(t, h, request{method: "DELETE", target: "/api/admin/v1/articles/" + story.ID, bearer: co}); rec.Code != http.StatusForbidden {
		t.Fatalf("a contributor deleted a story: %d", rec.Code)
	}
	if rec := send(t, h, request{method: "DELETE", target: "/api/admin/v1/articles/" + story.ID, bearer: ed}); rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	if rec := get(t, h, "/api/v1/articles/"+story.Slug); rec.Code != http.StatusNotFound {
		t.Errorf("a deleted story is public: %d", rec.Code)
	}
}

// TestLivePreviewRefusesBodiesTooCostlyToRender checks the editor's live
// preview through the production router: an ordinary body renders, a body
// built to make rendering quadratic is a 400 naming the body, not minutes
// of work.
func TestLivePreviewRefusesBodiesTooCostlyToRender(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	ed := login(t, h, "edda@example.org", testPassword).AccessToken

	rec := send(t, h, request{method: "POST", target: "/api/admin/v1/render", body: `{"body":"A [link](https://example.org/x)."}`, bearer: ed})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `href=\"https://example.org/x\"`) {
		t.Fatalf("render: %d %s", rec.Code, rec.Body)
	}
	hostile, _ := json.Marshal(map[string]string{"body": strings.Repeat("![a](", 400_000/5)})
	rec = send(t, h, request{method: "POST", target: "/api/admin/v1/render", body: string(hostile), bearer: ed})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"field":"body"`) {
		t.Fatalf("hostile render: %d %.300s", rec.Code, rec.Body)
	}
}
