package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"dateline/auth"
)

// missingID is a well-formed UUID that names no user and no webhook.
const missingID = "0190a000-0000-7000-8000-00000000dead"

// TestMalformedIDsOnUsersAndWebhooksAreA400 checks that the users and
// webhooks endpoints answer an id that is not a UUID like the stories do: a
// 400 problem naming "id", before anything is looked up, while a well-formed
// id that names nothing stays a 404.
func TestMalformedIDsOnUsersAndWebhooksAreA400(t *testing.T) {
	a, h := newTestApp(t)
	admin := addUser(t, a, "admin@harbour.example", auth.RoleAdmin)
	tok := login(t, h, admin.Email, testPassword).AccessToken
	tests := []struct {
		name, method, target, body string
		status                     int
	}{
		{"a story with a malformed id is a 400 (the rule the others follow)", "GET", "/api/admin/v1/articles/nope", "", 400},
		{"changing a user with a malformed id is a 400", "PATCH", "/api/admin/v1/users/nope", `{"name":"X"}`, 400},
		{"changing a user with a malformed id and a bad body is a 400 naming the id", "PATCH", "/api/admin/v1/users/1'", `{"active":"no"}`, 400},
		{"setting a password with a malformed id is a 400", "POST", "/api/admin/v1/users/nope/password", `{}`, 400},
		{"a user id with a trailing character is a 400", "PATCH", "/api/admin/v1/users/" + admin.ID + "x", `{"name":"X"}`, 400},
		{"changing a user with a well-formed missing id is a 404", "PATCH", "/api/admin/v1/users/" + missingID, `{"name":"X"}`, 404},
		{"reading a webhook with a malformed id is a 400", "GET", "/api/admin/v1/webhooks/nope", "", 400},
		{"changing a webhook with a malformed id is a 400", "PATCH", "/api/admin/v1/webhooks/nope", `{"active":false}`, 400},
		{"deleting a webhook with a malformed id is a 400", "DELETE", "/api/admin/v1/webhooks/nope", "", 400},
		{"a webhook's deliveries with a malformed id are a 400", "GET", "/api/admin/v1/webhooks/nope/deliveries", "", 400},
		{"testing a webhook with a malformed id is a 400", "POST", "/api/admin/v1/webhooks/nope/test", "", 400},
		{"a webhook with a well-formed missing id is a 404", "GET", "/api/admin/v1/webhooks/" + missingID, "", 404},
		{"testing a webhook with a well-formed missing id is a 404", "POST", "/api/admin/v1/webhooks/" + missingID + "/test", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := send(t, h, request{method: tt.method, target: tt.target, body: tt.body, bearer: tok})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			if tt.status != 400 {
				return
			}
			var p struct {
				Code   string `json:"code"`
				Errors []struct{ Field string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Code != "invalid" || len(p.Errors) != 1 || p.Errors[0].Field != "id" {
				t.Errorf("problem %s, want code invalid naming id", rec.Body)
			}
		})
	}
}

// TestProbingUserIDsRevealsNothing checks that a contributor or author who
// tries to change another user gets the same answer whether that user
// exists or not, so user ids cannot be probed; an editor, who may list the
// users anyway, still learns that an id is unknown.
func TestProbingUserIDsRevealsNothing(t *testing.T) {
	a, h := newTestApp(t)
	admin := addUser(t, a, "admin@harbour.example", auth.RoleAdmin)
	editor := addUser(t, a, "editor@harbour.example", auth.RoleEditor)
	author := addUser(t, a, "author@harbour.example", auth.RoleAuthor)
	contrib := addUser(t, a, "contrib@harbour.example", auth.RoleContributor)
	for _, prober := range []struct {
		auth.User
		who string
	}{{contrib, "a contributor"}, {author, "an author"}} {
		tok := login(t, h, prober.Email, testPassword).AccessToken
		for _, body := range []string{`{"name":"X"}`, `{"role":"admin"}`, `{"active":false}`} {
			t.Run(prober.who+" sending "+body+" gets one answer for existing and missing users", func(t *testing.T) {
				var answers []string
				for _, id := range []string{admin.ID, editor.ID, contrib.ID, missingID} {
					if id == prober.ID {
						continue
					}
					rec := send(t, h, request{method: "PATCH", target: "/api/admin/v1/users/" + id, body: body, bearer: tok})
					answers = append(answers, rec.Result().Status+" "+rec.Body.String())
				}
				for _, got := range answers[1:] {
					if got != answers[0] {
						t.Fatalf("answers differ:\n%s\n%s", answers[0], got)
					}
				}
				if !strings.HasPrefix(answers[0], "403 ") {
					t.Errorf("answer %s, want 403", answers[0])
				}
			})
		}
		t.Run(prober.who+" setting a password gets one answer for existing and missing users", func(t *testing.T) {
			existing := send(t, h, request{method: "POST", target: "/api/admin/v1/users/" + admin.ID + "/password", body: `{}`, bearer: tok})
			missing := send(t, h, request{method: "POST", target: "/api/admin/v1/users/" + missingID + "/password", body: `{}`, bearer: tok})
			if existing.Code != 403 || existing.Code != missing.Code || existing.Body.String() != missing.Body.String() {
				t.Errorf("existing: %d %s\nmissing: %d %s", existing.Code, existing.Body, missing.Code, missing.Body)
			}
		})
	}
	t.Run("a user still edits their own profile", func(t *testing.T) {
		tok := login(t, h, contrib.Email, testPassword).AccessToken
		rec := send(t, h, request{method: "PATCH", target: "/api/admin/v1/users/" + contrib.ID, body: `{"bio":"Harbour desk."}`, bearer: tok})
		if rec.Code != http.StatusOK {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
	t.Run("an editor learns that an unknown id is unknown", func(t *testing.T) {
		tok := login(t, h, editor.Email, testPassword).AccessToken
		rec := send(t, h, request{method: "PATCH", target: "/api/admin/v1/users/" + missingID, body: `{"name":"X"}`, bearer: tok})
		if rec.Code != http.StatusNotFound {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
}
