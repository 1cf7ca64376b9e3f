package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/auth/authgin"
)

func TestLoginFailuresDoNotRevealAccounts(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "ann@harbour.example", auth.RoleAuthor)
	off := addUser(t, a, "off@harbour.example", auth.RoleAuthor)
	inactive := false
	if _, err := a.db.UpdateUser(context.Background(), off.ID, auth.UserUpdate{Active: &inactive}); err != nil {
		t.Fatal(err)
	}
	attempt := func(email, pw string, remote int) (int, string) {
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/login",
			body: fmt.Sprintf(`{"email":%q,"password":%q}`, email, pw), remote: fmt.Sprintf("203.0.113.%d:1", remote)})
		return rec.Code, rec.Body.String()
	}
	wrongCode, wrongBody := attempt("ann@harbour.example", "not the password", 1)
	for i, tt := range []struct{ name, email, pw string }{
		{"an unknown account", "nobody@harbour.example", "not the password"},
		{"an unknown account with a real user's password", "nobody@harbour.example", testPassword},
		{"a deactivated account with its right password", "off@harbour.example", testPassword},
	} {
		t.Run(tt.name+" answers like a wrong password", func(t *testing.T) {
			code, body := attempt(tt.email, tt.pw, i+2)
			if code != wrongCode || body != wrongBody {
				t.Errorf("got %d %s\nwant %d %s", code, body, wrongCode, wrongBody)
			}
		})
	}
	if wrongCode != 401 {
		t.Errorf("a wrong password: %d", wrongCode)
	}
}

// newFrozenApp is newTestApp with the tokens' and the login throttle's
// clock stopped, so that no bucket refills while a test runs.
func newFrozenApp(tb testing.TB) (*app, http.Handler) {
	tb.Helper()
	a, _ := newTestApp(tb)
	at := time.Now()
	a.clock = func() time.Time { return at }
	return a, newRouter(a)
}

func TestLoginIsThrottled(t *testing.T) {
	t.Run("one account, rotating X-Forwarded-For", func(t *testing.T) {
		a, h := newFrozenApp(t)
		addUser(t, a, "ann@harbour.example", auth.RoleAuthor)
		var last int
		var retry string
		for i := range auth.AccountLimits().Burst + 1 {
			rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/login",
				body:   `{"email":"ann@harbour.example","password":"guess guess guess"}`,
				header: map[string]string{"X-Forwarded-For": fmt.Sprintf("10.1.2.%d", i), "X-Real-IP": fmt.Sprintf("10.9.9.%d", i)}})
			last, retry = rec.Code, rec.Header().Get("Retry-After")
		}
		if last != http.StatusTooManyRequests || retry == "" || retry == "0" {
			t.Fatalf("attempt %d: %d Retry-After %q", auth.AccountLimits().Burst+1, last, retry)
		}
		// Even the right password waits now: the limit is per account.
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/login", remote: "192.0.2.77:1",
			body: fmt.Sprintf(`{"email":"ann@harbour.example","password":%q}`, testPassword)})
		if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), `"code":"rate_limited"`) {
			t.Errorf("right password while throttled: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("one address, many accounts, rotating X-Forwarded-For", func(t *testing.T) {
		_, h := newFrozenApp(t)
		var last int
		for i := range auth.AddressLimits().Burst + 1 {
			rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/login",
				body:   fmt.Sprintf(`{"email":"user%d@harbour.example","password":"guess guess guess"}`, i),
				header: map[string]string{"X-Forwarded-For": fmt.Sprintf("10.1.2.%d", i)}})
			last = rec.Code
		}
		if last != http.StatusTooManyRequests {
			t.Fatalf("attempt %d from one address: %d", auth.AddressLimits().Burst+1, last)
		}
	})
	t.Run("one IPv6 /64, many addresses and accounts", func(t *testing.T) {
		_, h := newFrozenApp(t)
		var last int
		for i := range auth.AddressLimits().Burst + 1 {
			rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/login", remote: fmt.Sprintf("[2001:db8:42:7::%x]:4000", i+1),
				body: fmt.Sprintf(`{"email":"user%d@harbour.example","password":"guess guess guess"}`, i)})
			last = rec.Code
		}
		if last != http.StatusTooManyRequests {
			t.Fatalf("attempt %d from one /64: %d", auth.AddressLimits().Burst+1, last)
		}
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/login", remote: "[2001:db8:42:8::1]:4000",
			body: `{"email":"other@harbour.example","password":"guess guess guess"}`})
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("an address of the next /64: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("an unknown account is throttled like a known one", func(t *testing.T) {
		_, h := newFrozenApp(t)
		var last int
		for i := range auth.AccountLimits().Burst + 1 {
			rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/login", remote: fmt.Sprintf("192.0.2.%d:1", i+10),
				body: `{"email":"nobody@harbour.example","password":"guess guess guess"}`})
			last = rec.Code
		}
		if last != http.StatusTooManyRequests {
			t.Fatalf("%d", last)
		}
	})
}

func TestUserManagementPermissions(t *testing.T) {
	a, h := newTestApp(t)
	admin := addUser(t, a, "admin@harbour.example", auth.RoleAdmin)
	editor := addUser(t, a, "editor@harbour.example", auth.RoleEditor)
	editor2 := addUser(t, a, "editor2@harbour.example", auth.RoleEditor)
	author := addUser(t, a, "author@harbour.example", auth.RoleAuthor)
	contrib := addUser(t, a, "contrib@harbour.example", auth.RoleContributor)
	tokens := map[string]string{}
	for _, u := range []auth.User{admin, editor, author, contrib} {
		tokens[string(u.Role)] = login(t, h, u.Email, testPassword).AccessToken
	}
	tests := []struct {
		name, as, method, target, body string
		status                         int
		contains                       string
	}{
		{"a contributor cannot list users", "contributor", "GET", "/api/admin/v1/users", "", 403, `"code":"forbidden"`},
		{"an author cannot list users", "author", "GET", "/api/admin/v1/users", "", 403, ""},
		{"an editor lists users", "editor", "GET", "/api/admin/v1/users", "", 200, `"email":"contrib@harbour.example"`},
		{"an editor cannot create an admin", "editor", "POST", "/api/admin/v1/users", `{"email":"x@harbour.example","name":"X","role":"admin"}`, 403, ""},
		{"an editor cannot create an editor", "editor", "POST", "/api/admin/v1/users", `{"email":"x@harbour.example","name":"X","role":"editor"}`, 403, ""},
		{"an editor creates an author and gets a generated password once", "editor", "POST", "/api/admin/v1/users", `{"email":"new@harbour.example","name":"New Author","role":"author"}`, 201, `"password":"`},
		{"an author cannot create users", "author", "POST", "/api/admin/v1/users", `{"email":"y@harbour.example","name":"Y","role":"contributor"}`, 403, ""},
		{"a short password is refused with the limits", "admin", "POST", "/api/admin/v1/users", `{"email":"z@harbour.example","name":"Z","role":"author","password":"short"}`, 400, `12 to 128 characters`},
		{"an admin creates an editor with a password", "admin", "POST", "/api/admin/v1/users", `{"email":"ed3@harbour.example","name":"Ed","role":"editor","password":"a good long password"}`, 201, `"role":"editor"`},
		{"an editor cannot edit an editor", "editor", "PATCH", "/api/admin/v1/users/" + editor2.ID, `{"name":"Renamed"}`, 403, ""},
		{"an editor cannot deactivate an admin", "editor", "PATCH", "/api/admin/v1/users/" + admin.ID, `{"active":false}`, 403, ""},
		{"an editor cannot raise an author to editor", "editor", "PATCH", "/api/admin/v1/users/" + author.ID, `{"role":"editor"}`, 403, ""},
		{"an editor raises a contributor to author", "editor", "PATCH", "/api/admin/v1/users/" + contrib.ID, `{"role":"author"}`, 200, `"role":"author"`},
		{"an editor cannot set an editor's password", "editor", "POST", "/api/admin/v1/users/" + editor2.ID + "/password", `{}`, 403, ""},
		{"an author edits their own profile", "author", "PATCH", "/api/admin/v1/users/" + author.ID, `{"name":"Marta Quell","bio":"Port reporter."}`, 200, `"slug":"author"`},
		{"an author cannot raise themselves", "author", "PATCH", "/api/admin/v1/users/" + author.ID, `{"role":"admin"}`, 403, ""},
		{"an author cannot edit others", "author", "PATCH", "/api/admin/v1/users/" + editor.ID, `{"bio":"x"}`, 403, ""},
		{"an author cannot set others' passwords", "author", "POST", "/api/admin/v1/users/" + editor.ID + "/password", `{}`, 403, ""},
		{"an own password change needs the current password", "author", "POST", "/api/admin/v1/users/" + author.ID + "/password", `{"password":"a new long password","current_password":"wrong"}`, 400, `"field":"current_password"`},
		{"the last admin cannot demote themselves", "admin", "PATCH", "/api/admin/v1/users/" + admin.ID, `{"role":"editor"}`, 409, `no active admin`},
		{"the last admin cannot deactivate themselves", "admin", "PATCH", "/api/admin/v1/users/" + admin.ID, `{"active":false}`, 409, ""},
		{"an unknown user is not found", "admin", "PATCH", "/api/admin/v1/users/0190a000-0000-7000-8000-00000000dead", `{"name":"X"}`, 404, ""},
		{"an unknown role is refused by field", "admin", "PATCH", "/api/admin/v1/users/" + author.ID, `{"role":"owner"}`, 400, `"field":"role"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := send(t, h, request{method: tt.method, target: tt.target, body: tt.body, bearer: tokens[tt.as]})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("body lacks %s: %s", tt.contains, rec.Body)
			}
			if strings.Contains(rec.Body.String(), "argon2") {
				t.Errorf("a password hash leaked: %s", rec.Body)
			}
		})
	}
	t.Run("an editor's forbidden changes were not written", func(t *testing.T) {
		if u, _ := a.db.UserByID(context.Background(), editor2.ID); u.Name != editor2.Name {
			t.Errorf("editor renamed to %q", u.Name)
		}
		if u, _ := a.db.UserByID(context.Background(), author.ID); u.Role != auth.RoleAuthor {
			t.Errorf("author's role %s", u.Role)
		}
	})
}

func TestSetupLink(t *testing.T) {
	a, h := newTestApp(t)
	var out bytes.Buffer
	if err := a.printSetupLink(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`https://news\.example\.org/admin/setup\?token=([A-Za-z0-9_-]{43})`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no setup link in %q", out.String())
	}
	setup := func(token, email string) *http.Response {
		return send(t, h, request{method: "POST", target: "/api/admin/v1/setup",
			body: fmt.Sprintf(`{"token":%q,"email":%q,"name":"Chief","password":"a long first password"}`, token, email)}).Result()
	}
	if r := setup("forged", "chief@harbour.example"); r.StatusCode != 401 {
		t.Errorf("a forged token: %d", r.StatusCode)
	}
	r := setup(m[1], "chief@harbour.example")
	if r.StatusCode != 201 || cookie(r.Cookies(), authgin.AccessCookie) == nil {
		t.Fatalf("setup: %d", r.StatusCode)
	}
	if u, err := a.db.UserByEmail(context.Background(), "chief@harbour.example"); err != nil || u.Role != auth.RoleAdmin {
		t.Fatalf("first admin %+v %v", u, err)
	}
	if r := setup(m[1], "second@harbour.example"); r.StatusCode != 401 {
		t.Errorf("second use of the link: %d", r.StatusCode)
	}
	out.Reset()
	if err := a.printSetupLink(context.Background(), &out); err != nil || out.Len() != 0 {
		t.Errorf("a setup link was printed although a user exists: %q %v", out.String(), err)
	}

	t.Run("an expired setup link is refused", func(t *testing.T) {
		clock := time.Now
		a, h := newTestAppClock(t, func() time.Time { return clock() })
		var out bytes.Buffer
		if err := a.printSetupLink(context.Background(), &out); err != nil {
			t.Fatal(err)
		}
		token := regexp.MustCompile(`token=(\S+)`).FindStringSubmatch(out.String())[1]
		later := time.Now().Add(auth.SetupTTL + time.Minute)
		clock = func() time.Time { return later }
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/setup",
			body: fmt.Sprintf(`{"token":%q,"email":"c@harbour.example","name":"C","password":"a long first password"}`, token)})
		if rec.Code != 401 || !strings.Contains(rec.Body.String(), "expired") {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
}

func TestAccountBodiesAreStrict(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "admin@harbour.example", auth.RoleAdmin)
	tok := login(t, h, "admin@harbour.example", testPassword).AccessToken
	tests := []struct {
		name, target, body string
		status             int
		contains           string
	}{
		{"an unknown field is named", "/api/admin/v1/auth/login", `{"email":"a@b.c","password":"x","remember":true}`, 400, `"field":"remember"`},
		{"a wrong type is named", "/api/admin/v1/auth/login", `{"email":"a@b.c","password":123}`, 400, `"field":"password"`},
		{"trailing data is refused", "/api/admin/v1/auth/login", `{"email":"a@b.c","password":"x"} {}`, 400, `nothing after it`},
		{"malformed JSON is refused", "/api/admin/v1/auth/login", `{"email":`, 400, `"code":"invalid"`},
		{"an array is no object", "/api/admin/v1/auth/login", `[]`, 400, `must be an object`},
		{"a missing password is named", "/api/admin/v1/auth/login", `{"email":"a@b.c"}`, 400, `"field":"password"`},
		{"a wrong type in a user patch is named", "/api/admin/v1/users/0190a000-0000-7000-8000-00000000dead", `{"active":"no"}`, 400, `"field":"active"`},
		{"a body over 1 MiB is refused", "/api/admin/v1/auth/login", `{"email":"` + strings.Repeat("a", 1<<20) + `"}`, 413, `"code":"too_large"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "POST"
			if strings.HasPrefix(tt.target, "/api/admin/v1/users/") {
				method = "PATCH"
			}
			rec := send(t, h, request{method: method, target: tt.target, body: tt.body, bearer: tok})
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("%d %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
		})
	}
}

func TestCookieAuthenticatedCrossOriginWritesAreRefused(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "ann@harbour.example", auth.RoleAdmin)
	s := login(t, h, "ann@harbour.example", testPassword)
	ac := cookie(s.cookies, authgin.AccessCookie)
	tests := []struct {
		name   string
		r      request
		status int
	}{
		{"a cross-site fetch with the cookie is refused", request{cookies: []*http.Cookie{ac}, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403},
		{"a foreign Origin with the cookie is refused", request{cookies: []*http.Cookie{ac}, header: map[string]string{"Origin": "https://evil.example"}}, 403},
		{"a same-origin fetch with the cookie passes", request{cookies: []*http.Cookie{ac}, header: map[string]string{"Sec-Fetch-Site": "same-origin"}}, 201},
		{"a Bearer token is not a cookie and is not checked", request{bearer: s.AccessToken, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 201},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			r.method, r.target = "POST", "/api/admin/v1/users"
			r.body = fmt.Sprintf(`{"email":"x%d@harbour.example","name":"X","role":"author"}`, i)
			rec := send(t, h, r)
			if rec.Code != tt.status {
				t.Errorf("%d %s", rec.Code, rec.Body)
			}
		})
	}
	t.Run("a cross-site read with the cookie is allowed", func(t *testing.T) {
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/me", cookies: []*http.Cookie{ac}, header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
		if rec.Code != 200 {
			t.Errorf("%d", rec.Code)
		}
	})
	t.Run("a cross-site refresh by cookie is refused", func(t *testing.T) {
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/auth/refresh",
			cookies: []*http.Cookie{cookie(s.cookies, authgin.RefreshCookie)}, header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
		if rec.Code != 403 {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
}
