package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
)

// keyTestApp is newTestApp with the log kept and the database clock under
// the test's control (it starts at the real time).
func keyTestApp(t *testing.T) (*app, http.Handler, *syncBuffer, *time.Duration) {
	t.Helper()
	skew := new(time.Duration)
	a, _ := newTestAppClock(t, func() time.Time { return time.Now().Add(*skew) })
	logs := &syncBuffer{}
	a.log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return a, newRouter(a), logs, skew
}

type apiKeyAnswer struct {
	Key    string `json:"key"`
	APIKey struct {
		ID, Name, Prefix, State string
		User                    struct{ ID, Email string }
	} `json:"api_key"`
}

// createKey creates an API key with the credential bearer and returns the
// answer; the key is in it once.
func createKey(tb testing.TB, h http.Handler, bearer, body string) apiKeyAnswer {
	tb.Helper()
	rec := send(tb, h, request{method: "POST", target: "/api/admin/v1/api-keys", bearer: bearer, body: body})
	if rec.Code != http.StatusCreated {
		tb.Fatalf("create key: %d %s", rec.Code, rec.Body)
	}
	var k apiKeyAnswer
	decode(tb, rec, &k)
	if !strings.HasPrefix(k.Key, "dl_") || k.APIKey.ID == "" || k.APIKey.Prefix != k.Key[:11] || k.APIKey.State != "active" {
		tb.Fatalf("created key %+v", k)
	}
	if loc := rec.Header().Get("Location"); loc != "/api/admin/v1/api-keys/"+k.APIKey.ID {
		tb.Errorf("Location = %q", loc)
	}
	return k
}

const storyBody = `{"headline": "Tram line opens", "dateline": {"place": "OSLO"}, "body": "Trams run.",
	"photos": [{"url": "https://images.example.org/t.jpg", "caption": "A tram", "credit": "© Ann Lee/Agency", "alt": "A blue tram"}]}`

// wantProblem checks a problem answer of status with code.
func wantProblem(tb testing.TB, rec interface {
	Result() *http.Response
}, status int, code string) {
	tb.Helper()
	res := rec.Result()
	var p struct {
		Status int    `json:"status"`
		Code   string `json:"code"`
		Detail string `json:"detail"`
		Errors []struct{ Field string }
	}
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		tb.Fatalf("not problem JSON: %v", err)
	}
	if res.StatusCode != status || p.Status != status || p.Code != code || res.Header.Get("Content-Type") != "application/problem+json" {
		tb.Fatalf("answer %d %+v (%s), want %d %s", res.StatusCode, p, res.Header.Get("Content-Type"), status, code)
	}
}

func TestAPIKeysActAsTheirUser(t *testing.T) {
	a, h, _, skew := keyTestApp(t)
	co := addUser(t, a, "cora@example.org", auth.RoleContributor)
	ed := addUser(t, a, "edda@example.org", auth.RoleEditor)
	addUser(t, a, "ada@example.org", auth.RoleAdmin)
	coKey := createKey(t, h, login(t, h, "cora@example.org", testPassword).AccessToken, `{"name": "Wire import"}`).Key
	edKey := createKey(t, h, login(t, h, "edda@example.org", testPassword).AccessToken, `{"name": "CI publishing"}`).Key
	admin := login(t, h, "ada@example.org", testPassword).AccessToken

	rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles", bearer: coKey, body: storyBody})
	if rec.Code != http.StatusCreated {
		t.Fatalf("a contributor's key creates a draft: %d %s", rec.Code, rec.Body)
	}
	var story struct{ ID string }
	decode(t, rec, &story)

	t.Run("the story belongs to the key's user", func(t *testing.T) {
		var me struct{ User struct{ ID string } }
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me", bearer: coKey})
		decode(t, rec, &me)
		if me.User.ID != co.ID {
			t.Fatalf("/me with cora's key is %q", me.User.ID)
		}
	})
	t.Run("a contributor's key cannot publish", func(t *testing.T) {
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles/" + story.ID + "/publish", bearer: coKey})
		wantProblem(t, rec, http.StatusForbidden, "forbidden")
	})
	t.Run("an editor's key can publish", func(t *testing.T) {
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles/" + story.ID + "/publish", bearer: edKey})
		if rec.Code != http.StatusOK {
			t.Fatalf("publish: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("a key needs no same-origin check", func(t *testing.T) {
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles", bearer: edKey, body: storyBody,
			header: map[string]string{"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"}})
		if rec.Code != http.StatusCreated {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	})
	t.Run("a key in the access cookie is refused", func(t *testing.T) {
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles",
			cookies: []*http.Cookie{{Name: authgin.AccessCookie, Value: edKey}}})
		wantProblem(t, rec, http.StatusUnauthorized, "unauthorized")
	})
	t.Run("a lowered role applies to the key at once", func(t *testing.T) {
		rec := send(t, h, request{method: "PATCH", target: "/api/admin/v1/users/" + ed.ID, bearer: admin, body: `{"role": "contributor"}`})
		if rec.Code != http.StatusOK {
			t.Fatalf("lower role: %d %s", rec.Code, rec.Body)
		}
		rec = send(t, h, request{method: "POST", target: "/api/admin/v1/articles/" + story.ID + "/withdraw", bearer: edKey})
		wantProblem(t, rec, http.StatusForbidden, "forbidden")
	})
	t.Run("deactivating the user disables the key", func(t *testing.T) {
		rec := send(t, h, request{method: "PATCH", target: "/api/admin/v1/users/" + co.ID, bearer: admin, body: `{"active": false}`})
		if rec.Code != http.StatusOK {
			t.Fatalf("deactivate: %d %s", rec.Code, rec.Body)
		}
		rec = send(t, h, request{method: "GET", target: "/api/admin/v1/articles", bearer: coKey})
		wantProblem(t, rec, http.StatusUnauthorized, "unauthorized")
		if got := rec.Header().Get("WWW-Authenticate"); got == "" {
			t.Error("no WWW-Authenticate on a 401")
		}
	})
	t.Run("an unknown key is refused", func(t *testing.T) {
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles", bearer: "dl_" + strings.Repeat("a", 52)})
		wantProblem(t, rec, http.StatusUnauthorized, "unauthorized")
	})
	t.Run("a revoked key is refused", func(t *testing.T) {
		k := createKey(t, h, admin, `{"name": "Short-lived"}`)
		if rec := send(t, h, request{method: "DELETE", target: "/api/admin/v1/api-keys/" + k.APIKey.ID, bearer: admin}); rec.Code != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
		}
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles", bearer: k.Key})
		wantProblem(t, rec, http.StatusUnauthorized, "unauthorized")
	})
	t.Run("an expired key is refused", func(t *testing.T) {
		exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		k := createKey(t, h, admin, fmt.Sprintf(`{"name": "One hour", "expires_at": %q}`, exp))
		if rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles", bearer: k.Key}); rec.Code != http.StatusOK {
			t.Fatalf("before expiry: %d %s", rec.Code, rec.Body)
		}
		*skew = 2 * time.Hour
		defer func() { *skew = 0 }()
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles", bearer: k.Key})
		wantProblem(t, rec, http.StatusUnauthorized, "unauthorized")
	})
}

// TestAPIKeyPermissions: every signed-in user manages their own keys; an
// admin also lists and revokes everyone's; a key cannot create keys.
func TestAPIKeyPermissions(t *testing.T) {
	a, h, _, _ := keyTestApp(t)
	sessions := map[auth.Role]string{}
	keys := map[auth.Role]apiKeyAnswer{}
	for _, role := range content.Roles() {
		email := string(role) + "@example.org"
		addUser(t, a, email, role)
		sessions[role] = login(t, h, email, testPassword).AccessToken
		keys[role] = createKey(t, h, sessions[role], fmt.Sprintf(`{"name": "%s's script"}`, role))
	}
	type listed struct {
		APIKeys []struct {
			ID   string
			User struct{ Email string }
		} `json:"api_keys"`
	}
	for _, role := range content.Roles() {
		t.Run(fmt.Sprintf("the %s's list", role), func(t *testing.T) {
			rec := send(t, h, request{method: "GET", target: "/api/admin/v1/api-keys", bearer: sessions[role]})
			if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			var l listed
			decode(t, rec, &l)
			want := 1
			if role == auth.RoleAdmin {
				want = len(content.Roles())
			}
			if len(l.APIKeys) != want {
				t.Fatalf("%d keys listed, want %d: %s", len(l.APIKeys), want, rec.Body)
			}
			if role != auth.RoleAdmin && (l.APIKeys[0].ID != keys[role].APIKey.ID || l.APIKeys[0].User.Email != string(role)+"@example.org") {
				t.Errorf("listed %+v", l.APIKeys[0])
			}
		})
	}

	cases := []struct {
		name          string
		actor, holder auth.Role
		viaKey        bool
		status        int
	}{
		{"a contributor may not revoke an editor's key", auth.RoleContributor, auth.RoleEditor, false, http.StatusNotFound},
		{"an editor may not revoke an author's key", auth.RoleEditor, auth.RoleAuthor, false, http.StatusNotFound},
		{"an author may not revoke an admin's key", auth.RoleAuthor, auth.RoleAdmin, false, http.StatusNotFound},
		{"a contributor may revoke their own key", auth.RoleContributor, auth.RoleContributor, false, http.StatusNoContent},
		{"an admin may revoke an editor's key", auth.RoleAdmin, auth.RoleEditor, false, http.StatusNoContent},
		{"an author's key may revoke itself", auth.RoleAuthor, auth.RoleAuthor, true, http.StatusNoContent},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cred := sessions[tc.actor]
			if tc.viaKey {
				cred = keys[tc.actor].Key
			}
			rec := send(t, h, request{method: "DELETE", target: "/api/admin/v1/api-keys/" + keys[tc.holder].APIKey.ID, bearer: cred})
			if rec.Code != tc.status {
				t.Fatalf("%d %s, want %d", rec.Code, rec.Body, tc.status)
			}
		})
	}
	t.Run("an API key cannot create API keys", func(t *testing.T) {
		k := createKey(t, h, sessions[auth.RoleAdmin], `{"name": "Admin tool"}`)
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/api-keys", bearer: k.Key, body: `{"name": "Another"}`})
		wantProblem(t, rec, http.StatusForbidden, "forbidden")
	})
	t.Run("an API key may list its user's keys", func(t *testing.T) {
		k := createKey(t, h, sessions[auth.RoleEditor], `{"name": "Lister"}`)
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/api-keys", bearer: k.Key})
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Lister") {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	})
	t.Run("without a credential the endpoints answer 401", func(t *testing.T) {
		wantProblem(t, send(t, h, request{method: "GET", target: "/api/admin/v1/api-keys"}), http.StatusUnauthorized, "unauthorized")
	})
}

func TestAPIKeyCreationIsValidated(t *testing.T) {
	a, h, _, _ := keyTestApp(t)
	addUser(t, a, "ann@example.org", auth.RoleAuthor)
	s := login(t, h, "ann@example.org", testPassword).AccessToken
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	cases := []struct {
		name, body, field string
	}{
		{"a name is required", `{}`, "name"},
		{"a blank name is refused", `{"name": "   "}`, "name"},
		{"an unknown field is refused", `{"name": "x", "role": "admin"}`, "role"},
		{"a user id cannot be given", `{"name": "x", "user_id": "someone"}`, "user_id"},
		{"an expiry must be RFC 3339", `{"name": "x", "expires_at": "tomorrow"}`, "expires_at"},
		{"an expiry must have an offset", `{"name": "x", "expires_at": "2030-01-01T00:00:00"}`, "expires_at"},
		{"an expiry in the past is refused", fmt.Sprintf(`{"name": "x", "expires_at": %q}`, past), "expires_at"},
		{"a name must be a string", `{"name": 5}`, "name"},
		{"trailing data is refused", `{"name": "x"} {}`, ""},
		{"an empty body is refused", ``, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := send(t, h, request{method: "POST", target: "/api/admin/v1/api-keys", bearer: s, body: tc.body})
			var p struct {
				Code   string
				Errors []struct{ Field string }
			}
			decode(t, rec, &p)
			if tc.field == "" { // about the request body as a whole
				if rec.Code != http.StatusBadRequest || p.Code != "invalid" || len(p.Errors) != 0 {
					t.Fatalf("%d %s, want 400 naming no field", rec.Code, rec.Body)
				}
				return
			}
			if rec.Code != http.StatusBadRequest || p.Code != "invalid" || len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
				t.Fatalf("%d %s, want 400 naming %s", rec.Code, rec.Body, tc.field)
			}
		})
	}
	t.Run("a malformed id is refused", func(t *testing.T) {
		rec := send(t, h, request{method: "DELETE", target: "/api/admin/v1/api-keys/nope", bearer: s})
		wantProblem(t, rec, http.StatusBadRequest, "invalid")
	})
	t.Run("a missing key is not found", func(t *testing.T) {
		rec := send(t, h, request{method: "DELETE", target: "/api/admin/v1/api-keys/0190a000-0000-7000-8000-000000000099", bearer: s})
		wantProblem(t, rec, http.StatusNotFound, "not_found")
	})
}

// TestAPIKeyIsShownOnce: after its creation the key is in no answer and in
// no log line.
func TestAPIKeyIsShownOnce(t *testing.T) {
	a, h, logs, _ := keyTestApp(t)
	addUser(t, a, "ann@example.org", auth.RoleEditor)
	addUser(t, a, "ada@example.org", auth.RoleAdmin)
	ann := login(t, h, "ann@example.org", testPassword).AccessToken
	ada := login(t, h, "ada@example.org", testPassword).AccessToken
	k := createKey(t, h, ann, `{"name": "Newsroom tool"}`)
	secret := k.Key[11:]
	answers := []*bytes.Buffer{
		send(t, h, request{method: "GET", target: "/api/admin/v1/api-keys", bearer: ann}).Body,
		send(t, h, request{method: "GET", target: "/api/admin/v1/api-keys", bearer: ada}).Body,
		send(t, h, request{method: "GET", target: "/api/admin/v1/me", bearer: k.Key}).Body,
		send(t, h, request{method: "GET", target: "/api/admin/v1/articles", bearer: k.Key}).Body,
		send(t, h, request{method: "POST", target: "/api/admin/v1/articles", bearer: k.Key, body: `{"headline": ""}`}).Body,
		send(t, h, request{method: "GET", target: "/api/admin/v1/nothing", bearer: k.Key}).Body,
		send(t, h, request{method: "DELETE", target: "/api/admin/v1/api-keys/" + k.APIKey.ID, bearer: ann}).Body,
		send(t, h, request{method: "GET", target: "/api/admin/v1/articles", bearer: k.Key}).Body,
		send(t, h, request{method: "GET", target: "/api/admin/v1/api-keys", bearer: ada}).Body,
	}
	for i, b := range answers {
		if strings.Contains(b.String(), secret) {
			t.Errorf("answer %d shows the key: %s", i, b)
		}
	}
	if !strings.Contains(answers[1].String(), k.APIKey.ID) || !strings.Contains(answers[8].String(), `"state":"revoked"`) {
		t.Errorf("the admin's lists: %s / %s", answers[1], answers[8])
	}
	out := logs.String()
	if !strings.Contains(out, "api key created") || !strings.Contains(out, "api key revoked") {
		t.Errorf("the log does not record creation and revocation:\n%s", out)
	}
	if strings.Contains(out, secret) {
		t.Errorf("the log holds the key:\n%s", out)
	}
}

// TestAPIKeysPage: the page lists a user's own keys, an admin's lists
// everyone's with their owners, and neither ever shows a key.
func TestAPIKeysPage(t *testing.T) {
	a, h, _, _ := keyTestApp(t)
	addUser(t, a, "cora@example.org", auth.RoleContributor)
	addUser(t, a, "ada@example.org", auth.RoleAdmin)
	cora := login(t, h, "cora@example.org", testPassword)
	ada := login(t, h, "ada@example.org", testPassword)
	coraKey := createKey(t, h, cora.AccessToken, `{"name": "Cora notebook"}`)
	adaKey := createKey(t, h, ada.AccessToken, `{"name": "Ada import"}`)
	cases := []struct {
		name     string
		s        session
		contains []string
		excludes []string
	}{
		{"a contributor sees only her own keys", cora,
			[]string{"Your keys", "Cora notebook", coraKey.Key[:11], `href="/admin/api-keys" aria-current="page"`},
			[]string{"Ada import", adaKey.Key[:11], "Owner", coraKey.Key[11:]}},
		{"an admin sees every key with its owner", ada,
			[]string{"All keys", "Cora notebook", "Ada import", "cora@example.org", "Owner"},
			[]string{coraKey.Key[11:], adaKey.Key[11:]}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := send(t, h, request{method: "GET", target: "/admin/api-keys", cookies: tc.s.cookies})
			if rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			body := rec.Body.String()
			for _, s := range tc.contains {
				if !strings.Contains(body, s) {
					t.Errorf("the page lacks %q", s)
				}
			}
			for _, s := range tc.excludes {
				if strings.Contains(body, s) {
					t.Errorf("the page shows %q", s)
				}
			}
		})
	}
	t.Run("an API key does not open the page", func(t *testing.T) {
		rec := send(t, h, request{method: "GET", target: "/admin/api-keys", bearer: adaKey.Key})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("%d", rec.Code)
		}
	})
}
