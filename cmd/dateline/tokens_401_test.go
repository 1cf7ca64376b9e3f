package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/auth/authgin"
)

// TestEveryRefusedTokenSaysInvalidOrExpiredToken walks every way a token
// reaches the server (the middleware by header and by cookie, API keys,
// refresh, preview and the setup link) with tokens that must be refused,
// and checks that each answer is a 401 problem whose detail is "invalid or
// expired token" and nothing of the JWT library's words; the one exception,
// a reused refresh token, says instead what its reuse ended.
func TestEveryRefusedTokenSaysInvalidOrExpiredToken(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "ann@harbour.example", auth.RoleEditor)
	s := login(t, h, "ann@harbour.example", testPassword)
	f := seed(t, a)
	keys, err := signingKeys(a.cfg)
	if err != nil {
		t.Fatal(err)
	}
	// tokensAt signs with the server's own keys at an instant of the test's
	// choosing, with a lifetime of its choosing.
	tokensAt := func(at time.Time, accessTTL time.Duration) *auth.Tokens {
		tk, _ := auth.NewTokens(auth.TokenOptions{Issuer: strings.TrimRight(a.cfg.BaseURL, "/"), Keys: keys, AccessTTL: accessTTL, Now: func() time.Time { return at }})
		return tk
	}
	u, err := a.db.UserByEmail(t.Context(), "ann@harbour.example")
	if err != nil {
		t.Fatal(err)
	}
	expired, _, _ := tokensAt(time.Now().Add(-time.Hour), auth.AccessTTL).IssueAccess(u)
	longLived, _, _ := tokensAt(time.Now(), auth.MaxAccessTTL).IssueAccess(u)
	previewAsAccess, _ := tokensAt(time.Now(), 0).IssuePreview("0190a000-0000-7000-8000-00000000abcd", f.draft.ID, f.draft.Version, time.Hour)
	expiredPreview, _ := tokensAt(time.Now().Add(-48*time.Hour), 0).IssuePreview("0190a000-0000-7000-8000-00000000abcd", f.draft.ID, f.draft.Version, time.Hour)
	forged := s.AccessToken[:len(s.AccessToken)-4] + "AAAA"
	key := createKey(t, h, s.AccessToken, `{"name":"Revoked soon"}`)
	if rec := send(t, h, request{method: "DELETE", target: "/api/admin/v1/api-keys/" + key.APIKey.ID, bearer: s.AccessToken}); rec.Code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	// A refresh token used twice.
	rotated := s.RefreshToken
	if rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, rotated)}); rec.Code != http.StatusOK {
		t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
	}
	me := func(bearer string) request {
		return request{method: "GET", target: "/api/admin/v1/me", bearer: bearer}
	}
	refresh := func(tok string) request {
		return request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, tok)}
	}
	tests := []struct {
		name string
		req  request
	}{
		{"garbage as an access token", me("not.a.token")},
		{"an access token with a forged signature", me(forged)},
		{"an expired access token", me(expired)},
		{"an access token that claims a longer life than the server grants", me(longLived)},
		{"a preview token as an access token", me(previewAsAccess)},
		{"an expired access token in the cookie", request{method: "GET", target: "/api/admin/v1/me",
			cookies: []*http.Cookie{{Name: authgin.AccessCookie, Value: expired}}}},
		{"an unknown API key", me("dl_" + strings.Repeat("a", 52))},
		{"a revoked API key", me(key.Key)},
		{"an unknown refresh token", refresh("no-such-refresh-token")},
		{"garbage as a preview token", request{method: "GET", target: "/api/v1/preview/not.a.token"}},
		{"an expired preview token", request{method: "GET", target: "/api/v1/preview/" + expiredPreview}},
		{"an unknown setup token", request{method: "POST", target: "/api/admin/v1/setup",
			body: `{"token":"no-such-setup-token","email":"x@harbour.example","name":"X","password":"a long first password"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused with only those words", func(t *testing.T) {
			rec := send(t, h, tt.req)
			var p struct {
				Status       int
				Code, Detail string
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatalf("%d %q: %v", rec.Code, rec.Body, err)
			}
			if rec.Code != http.StatusUnauthorized || p.Status != 401 || p.Code != "unauthorized" || p.Detail != auth.InvalidTokenMessage {
				t.Errorf("%d %s, want 401 unauthorized with detail %q", rec.Code, rec.Body, auth.InvalidTokenMessage)
			}
			noLibraryWords(t, rec.Body.String())
		})
	}
	// The one refusal with other words: a used refresh token presented
	// again has just ended every session of its user, and says so.
	t.Run("a refresh token used twice is refused saying that every session ended", func(t *testing.T) {
		rec := send(t, h, refresh(rotated))
		var p struct{ Code, Detail string }
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("%d %q: %v", rec.Code, rec.Body, err)
		}
		if rec.Code != http.StatusUnauthorized || p.Code != "unauthorized" || !strings.Contains(p.Detail, "every session of the account has ended") {
			t.Errorf("%d %s, want 401 unauthorized saying that every session ended", rec.Code, rec.Body)
		}
		noLibraryWords(t, rec.Body.String())
	})
}

// noLibraryWords fails when an answer repeats the JWT library's words.
func noLibraryWords(t *testing.T, body string) {
	t.Helper()
	body = strings.ToLower(body)
	for _, leak := range []string{"jwt", "signature", "claims", "malformed", "token is", "audience", "kid"} {
		if strings.Contains(body, leak) {
			t.Errorf("the answer says %q: %s", leak, body)
		}
	}
}
