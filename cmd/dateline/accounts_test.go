package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"dateline/auth"
	"dateline/auth/authgin"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery"

// cheapArgon2 keeps the tests fast; VerifyPassword reads the parameters
// from the stored hash, so logins work as with the default ones.
var cheapArgon2 = auth.Argon2Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func addUser(tb testing.TB, a *app, email string, role auth.Role) auth.User {
	tb.Helper()
	hash, err := cheapArgon2.HashPassword(testPassword)
	if err != nil {
		tb.Fatal(err)
	}
	name := strings.Split(email, "@")[0]
	u, err := a.db.CreateUser(context.Background(), auth.User{Email: email, Name: name, Role: role, PasswordHash: hash})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// request describes one HTTP request of a test.
type request struct {
	method, target, body string
	bearer               string
	cookies              []*http.Cookie
	header               map[string]string
	remote               string // client address; default 192.0.2.1:1234
}

func send(tb testing.TB, h http.Handler, r request) *httptest.ResponseRecorder {
	tb.Helper()
	var body *strings.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(r.method, r.target, body)
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

type session struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	User         struct {
		ID, Email, Role string
	}
	cookies []*http.Cookie
}

var loginAddr atomic.Int64

// login logs in from an address of its own, so that tests which log in
// often do not meet the per-address limit.
func login(tb testing.TB, h http.Handler, email, password string) session {
	tb.Helper()
	rec := send(tb, h, request{method: "POST", target: "/api/admin/v1/auth/login",
		body:   fmt.Sprintf(`{"email":%q,"password":%q}`, email, password),
		remote: fmt.Sprintf("198.51.100.%d:4000", loginAddr.Add(1)%250)})
	if rec.Code != http.StatusOK {
		tb.Fatalf("login %s: %d %s", email, rec.Code, rec.Body)
	}
	var s session
	decode(tb, rec, &s)
	s.cookies = rec.Result().Cookies()
	return s
}

func cookie(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestLoginRefreshAndLogout(t *testing.T) {
	a, h := newTestApp(t)
	u := addUser(t, a, "ann@harbour.example", auth.RoleAuthor)
	s := login(t, h, "ANN@harbour.example", testPassword)
	if s.AccessToken == "" || s.RefreshToken == "" || s.User.ID != u.ID || s.ExpiresIn <= 0 || s.ExpiresIn > 900 {
		t.Fatalf("session %+v", s)
	}
	t.Run("the cookies are HttpOnly, Secure and SameSite with their paths", func(t *testing.T) {
		ac, rc := cookie(s.cookies, authgin.AccessCookie), cookie(s.cookies, authgin.RefreshCookie)
		if ac == nil || rc == nil {
			t.Fatalf("cookies %v", s.cookies)
		}
		if !ac.HttpOnly || !ac.Secure || ac.SameSite != http.SameSiteLaxMode || ac.Path != "/" || ac.Value != s.AccessToken {
			t.Errorf("access cookie %+v", ac)
		}
		if !rc.HttpOnly || !rc.Secure || rc.SameSite != http.SameSiteStrictMode || rc.Path != "/api/admin/v1/auth" {
			t.Errorf("refresh cookie %+v", rc)
		}
	})
	t.Run("the access token and the cookie both identify the user", func(t *testing.T) {
		for _, r := range []request{
			{method: "GET", target: "/api/admin/v1/me", bearer: s.AccessToken},
			{method: "GET", target: "/api/admin/v1/me", cookies: []*http.Cookie{cookie(s.cookies, authgin.AccessCookie)}},
		} {
			rec := send(t, h, r)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"email":"ann@harbour.example"`) || strings.Contains(rec.Body.String(), "argon2") {
				t.Errorf("me: %d %s", rec.Code, rec.Body)
			}
		}
	})
	t.Run("no token is a 401 problem", func(t *testing.T) {
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me"})
		if rec.Code != 401 || rec.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(rec.Body.String(), `"code":"unauthorized"`) {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})

	// Refresh from the body, then from the cookie.
	rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, s.RefreshToken)})
	if rec.Code != 200 {
		t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
	}
	var s2 session
	decode(t, rec, &s2)
	if s2.RefreshToken == s.RefreshToken || s2.AccessToken == "" {
		t.Fatalf("refresh did not rotate: %+v", s2)
	}
	rec = send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", cookies: []*http.Cookie{{Name: authgin.RefreshCookie, Value: s2.RefreshToken}}})
	if rec.Code != 200 {
		t.Fatalf("refresh by cookie: %d %s", rec.Code, rec.Body)
	}
	var s3 session
	decode(t, rec, &s3)

	t.Run("reusing a rotated refresh token ends every session of the user and says so", func(t *testing.T) {
		other := login(t, h, "ann@harbour.example", testPassword) // another login of the same user
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, s.RefreshToken)})
		if rec.Code != 401 {
			t.Fatalf("reuse: %d %s", rec.Code, rec.Body)
		}
		var p struct{ Detail string }
		decode(t, rec, &p)
		if !strings.Contains(p.Detail, "every session of the account has ended") {
			t.Errorf("detail %q does not say what ended", p.Detail)
		}
		if rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, other.RefreshToken)}); rec.Code != 401 {
			t.Errorf("another login's refresh token still works: %d", rec.Code)
		}
		if rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me", bearer: other.AccessToken}); rec.Code != 401 {
			t.Errorf("another login's access token still works: %d", rec.Code)
		}
		rec = send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, s3.RefreshToken)})
		if rec.Code != 401 {
			t.Fatalf("the newest token of the family still works: %d %s", rec.Code, rec.Body)
		}
	})

	t.Run("logout ends every token at once", func(t *testing.T) {
		s4 := login(t, h, "ann@harbour.example", testPassword)
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/logout", bearer: s4.AccessToken})
		if rec.Code != http.StatusNoContent {
			t.Fatalf("logout: %d %s", rec.Code, rec.Body)
		}
		if c := cookie(rec.Result().Cookies(), authgin.AccessCookie); c == nil || c.MaxAge >= 0 {
			t.Errorf("logout did not clear the access cookie: %+v", c)
		}
		for _, tok := range []string{s4.AccessToken, s3.AccessToken} {
			if rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me", bearer: tok}); rec.Code != 401 {
				t.Errorf("an access token works after logout: %d", rec.Code)
			}
		}
		rec = send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, s4.RefreshToken)})
		if rec.Code != 401 {
			t.Errorf("a refresh token works after logout: %d", rec.Code)
		}
	})
}

func TestSecurityChangesRevokeTokens(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "admin@harbour.example", auth.RoleAdmin)
	admin := login(t, h, "admin@harbour.example", testPassword)
	tests := []struct {
		name   string
		change func(id string) request
	}{
		{"a password change", func(id string) request {
			return request{method: "POST", target: "/api/admin/v1/users/" + id + "/password", body: `{"password":"a whole new password"}`}
		}},
		{"a role change", func(id string) request {
			return request{method: "PATCH", target: "/api/admin/v1/users/" + id, body: `{"role":"editor"}`}
		}},
		{"deactivation", func(id string) request {
			return request{method: "PATCH", target: "/api/admin/v1/users/" + id, body: `{"active":false}`}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name+" revokes the user's tokens", func(t *testing.T) {
			email := fmt.Sprintf("user%d@harbour.example", i)
			u := addUser(t, a, email, auth.RoleAuthor)
			s := login(t, h, email, testPassword)
			if rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me", bearer: s.AccessToken}); rec.Code != 200 {
				t.Fatalf("before: %d", rec.Code)
			}
			r := tt.change(u.ID)
			r.bearer = admin.AccessToken
			if rec := send(t, h, r); rec.Code != 200 {
				t.Fatalf("change: %d %s", rec.Code, rec.Body)
			}
			if rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me", bearer: s.AccessToken}); rec.Code != 401 {
				t.Errorf("access token after the change: %d", rec.Code)
			}
			rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh", body: fmt.Sprintf(`{"refresh_token":%q}`, s.RefreshToken)})
			if rec.Code != 401 {
				t.Errorf("refresh token after the change: %d", rec.Code)
			}
		})
	}
	t.Run("a deactivated user cannot log in", func(t *testing.T) {
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/login", body: fmt.Sprintf(`{"email":"user2@harbour.example","password":%q}`, testPassword)})
		if rec.Code != 401 {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
}

func TestPreviewTokenIsNoAccessToken(t *testing.T) {
	a, h := newTestApp(t)
	u := addUser(t, a, "ann@harbour.example", auth.RoleAdmin)
	keys, err := signingKeys(a.cfg) // the router's keys: the data directory's signing.key
	if err != nil {
		t.Fatal(err)
	}
	tokens, _ := auth.NewTokens(auth.TokenOptions{Issuer: a.cfg.BaseURL, Keys: keys})
	preview, _ := tokens.IssuePreview("grant", u.ID, 1, 60e9)
	if rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me", bearer: preview}); rec.Code != 401 {
		t.Errorf("a preview token was accepted as an access token: %d", rec.Code)
	}
	access, _, _ := tokens.IssueAccess(u)
	if rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me", bearer: access}); rec.Code != 200 {
		t.Errorf("an access token of the same keys was refused: %d %s", rec.Code, rec.Body)
	}
}
