package main

import (
	"fmt"
	"net/http"
	"testing"

	"dateline/auth"
	"dateline/auth/authgin"
)

// TestRevocationRules covers, through the production router, which changes
// end which credentials of a user: API keys die with deactivation (and stay
// dead after reactivation) and with a password change or reset unless the
// request keeps them; logging out everywhere leaves no credential working;
// reuse of a refresh token ends the access tokens already issued.
func TestRevocationRules(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "admin@harbour.example", auth.RoleAdmin)
	admin := login(t, h, "admin@harbour.example", testPassword)
	n := 0
	// reporter adds a user, logs them in and gives them an API key.
	reporter := func(t *testing.T) (auth.User, session, apiKeyAnswer) {
		t.Helper()
		n++
		u := addUser(t, a, fmt.Sprintf("reporter%d@harbour.example", n), auth.RoleAuthor)
		s := login(t, h, u.Email, testPassword)
		return u, s, createKey(t, h, s.AccessToken, `{"name":"Wire import"}`)
	}
	works := func(t *testing.T, bearer string) bool {
		t.Helper()
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me", bearer: bearer})
		if rec.Code != http.StatusOK && rec.Code != http.StatusUnauthorized {
			t.Fatalf("me: %d %s", rec.Code, rec.Body)
		}
		return rec.Code == http.StatusOK
	}
	refreshes := func(t *testing.T, rt string) bool {
		t.Helper()
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, rt)})
		return rec.Code == http.StatusOK
	}
	patch := func(t *testing.T, id, body string) {
		t.Helper()
		if rec := send(t, h, request{method: "PATCH", target: "/api/admin/v1/users/" + id, bearer: admin.AccessToken, body: body}); rec.Code != http.StatusOK {
			t.Fatalf("patch %s: %d %s", body, rec.Code, rec.Body)
		}
	}
	setPassword := func(t *testing.T, bearer, id, body string) {
		t.Helper()
		if rec := send(t, h, request{method: "POST", target: "/api/admin/v1/users/" + id + "/password", bearer: bearer, body: body}); rec.Code != http.StatusOK {
			t.Fatalf("password %s: %d %s", body, rec.Code, rec.Body)
		}
	}

	t.Run("deactivation revokes the user's API keys and reactivation does not bring them back", func(t *testing.T) {
		u, _, key := reporter(t)
		patch(t, u.ID, `{"active":false}`)
		if works(t, key.Key) {
			t.Fatal("the key of a deactivated user works")
		}
		patch(t, u.ID, `{"active":true}`)
		if works(t, key.Key) {
			t.Error("the key came back to life with its user")
		}
		s := login(t, h, u.Email, testPassword)
		var list struct {
			APIKeys []struct{ ID, State string } `json:"api_keys"`
		}
		decode(t, send(t, h, request{method: "GET", target: "/api/admin/v1/api-keys", bearer: s.AccessToken}), &list)
		if len(list.APIKeys) != 1 || list.APIKeys[0].State != auth.APIKeyRevoked {
			t.Errorf("the user's keys are listed as %+v, want one revoked", list.APIKeys)
		}
	})

	passwordChanges := []struct {
		name     string
		self     bool
		body     string
		keyWorks bool
	}{
		{"a change of one's own password revokes one's API keys", true, `{"password":"a whole new password","current_password":%q}`, false},
		{"a change of one's own password keeps them when asked to", true, `{"password":"a whole new password","current_password":%q,"keep_api_keys":true}`, true},
		{"a reset by an admin revokes the user's API keys", false, `{"password":"a whole new password"}`, false},
		{"a reset by an admin that asks to keep them keeps them", false, `{"keep_api_keys":true}`, true},
	}
	for _, tt := range passwordChanges {
		t.Run(tt.name, func(t *testing.T) {
			u, s, key := reporter(t)
			if tt.self {
				setPassword(t, s.AccessToken, u.ID, fmt.Sprintf(tt.body, testPassword))
			} else {
				setPassword(t, admin.AccessToken, u.ID, tt.body)
			}
			if got := works(t, key.Key); got != tt.keyWorks {
				t.Errorf("the API key works = %v, want %v", got, tt.keyWorks)
			}
			if works(t, s.AccessToken) || refreshes(t, s.RefreshToken) {
				t.Error("a session survived the password change")
			}
		})
	}

	t.Run("logging out everywhere leaves no credential working", func(t *testing.T) {
		u, s, key := reporter(t)
		other := login(t, h, u.Email, testPassword)
		if rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/logout", bearer: s.AccessToken}); rec.Code != http.StatusNoContent {
			t.Fatalf("logout: %d %s", rec.Code, rec.Body)
		}
		for name, ok := range map[string]bool{
			"the access token":                 works(t, s.AccessToken),
			"another login's access token":     works(t, other.AccessToken),
			"the refresh token":                refreshes(t, s.RefreshToken),
			"another login's refresh token":    refreshes(t, other.RefreshToken),
			"the API key":                      works(t, key.Key),
			"the access cookie of the browser": works(t, cookie(s.cookies, authgin.AccessCookie).Value),
		} {
			if ok {
				t.Errorf("%s works after logging out everywhere", name)
			}
		}
	})

	t.Run("reuse of a refresh token ends the access tokens already issued", func(t *testing.T) {
		u, s, key := reporter(t)
		other := login(t, h, u.Email, testPassword)
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, s.RefreshToken)})
		if rec.Code != http.StatusOK {
			t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
		}
		var next session
		decode(t, rec, &next)
		if !works(t, next.AccessToken) {
			t.Fatal("the new access token does not work")
		}
		if refreshes(t, s.RefreshToken) {
			t.Fatal("a used refresh token was accepted again")
		}
		for name, tok := range map[string]string{
			"the access token of the first refresh": s.AccessToken,
			"the access token of the rotation":      next.AccessToken,
			"another login's access token":          other.AccessToken,
		} {
			if works(t, tok) {
				t.Errorf("%s works after the reuse", name)
			}
		}
		if refreshes(t, next.RefreshToken) || refreshes(t, other.RefreshToken) {
			t.Error("a refresh token works after the reuse")
		}
		if !works(t, key.Key) {
			t.Error("the API key died with the reuse: keys are not sessions")
		}
	})
}
