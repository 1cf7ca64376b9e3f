package storetest

import (
	"errors"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

// The contracts of users, sessions, one-time tokens and API keys: what the
// admin API's accounts and the authentication middleware rely on.

func accountContracts() []contract {
	return []contract{
		{"a new user is active at token version 1 with a unique author slug; a taken email is a conflict", newUsers},
		{"a change of role, activity or password ends the user's sessions; a profile change does not", userRevocation},
		{"the last active admin can be neither demoted nor deactivated", lastAdmin},
		{"a refresh token works once; its reuse ends every session of the user", refreshRotation},
		{"logging out one login revokes its whole refresh family, and only it", refreshFamily},
		{"a setup link creates the first admin once, and only while nobody exists", setupLink},
		{"an API key authenticates its user until revoked, expired or its user deactivated", apiKeys},
		{"logging out everywhere ends tokens, refresh tokens and API keys", logOutEverywhere},
	}
}

// user creates a user with role and fails the test on error.
func (e *env) user(name string, role auth.Role) auth.User {
	e.t.Helper()
	u, err := e.s.CreateUser(e.ctx(), auth.User{Name: name, Email: content.Slugify(name) + "@harbour.example", Role: role, PasswordHash: "hash-of-" + name})
	if err != nil {
		e.t.Fatalf("create user %q: %v", name, err)
	}
	return u
}

// userByID reads a user back and fails the test on error.
func (e *env) userByID(id string) auth.User {
	e.t.Helper()
	u, err := e.s.UserByID(e.ctx(), id)
	if err != nil {
		e.t.Fatalf("read user %s: %v", id, err)
	}
	return u
}

// login starts a refresh family for u under hash.
func (e *env) login(u auth.User, hash string) {
	e.t.Helper()
	if _, err := e.s.CreateRefreshToken(e.ctx(), u.ID, hash, e.now.Add(auth.RefreshTTL)); err != nil {
		e.t.Fatalf("refresh token for %s: %v", u.Name, err)
	}
}

func newUsers(t *testing.T, e *env) {
	a := e.user("Ana Reis", auth.RoleEditor)
	if a.ID == "" || !a.Active || a.TokenVersion != 1 || a.Slug != "ana-reis" || a.Role != auth.RoleEditor {
		t.Fatalf("new user %+v", a)
	}
	b, err := e.s.CreateUser(e.ctx(), auth.User{Name: "Ana Reis", Email: "ana.reis@harbour.example", Role: auth.RoleAuthor})
	if err != nil {
		t.Fatal(err)
	}
	if b.Slug == a.Slug {
		t.Errorf("two users share the author slug %q", b.Slug)
	}
	_, err = e.s.CreateUser(e.ctx(), auth.User{Name: "Another Ana", Email: a.Email, Role: auth.RoleAuthor})
	wantCode(t, err, content.ECONFLICT)
	_, err = e.s.CreateUser(e.ctx(), auth.User{Name: "No Role", Email: "norole@harbour.example", Role: "chief"})
	wantCode(t, err, content.EINVALID)
	got, err := e.s.UserByEmail(e.ctx(), a.Email)
	if err != nil || got.ID != a.ID {
		t.Fatalf("by email: %+v, %v", got, err)
	}
	if _, err := e.s.UserByID(e.ctx(), "0190a000-0000-7000-8000-000000000000"); !errors.Is(err, auth.ErrNoUser) {
		t.Errorf("a missing user: %v, want auth.ErrNoUser", err)
	}
	if n, err := e.s.CountUsers(e.ctx()); err != nil || n != 2 {
		t.Errorf("CountUsers = %d, %v; want 2", n, err)
	}
}

func userRevocation(t *testing.T, e *env) {
	e.user("Ada Admin", auth.RoleAdmin)
	u := e.user("Ben Author", auth.RoleAuthor)
	bio := "Covers the harbour."
	tests := []struct {
		name   string
		upd    auth.UserUpdate
		revoke bool
	}{
		{"a new bio keeps sessions", auth.UserUpdate{Bio: &bio}, false},
		{"a new role ends them", auth.UserUpdate{Role: ptr(auth.RoleEditor)}, true},
		{"a new password ends them", auth.UserUpdate{PasswordHash: ptr("new-hash"), KeepAPIKeys: true}, true},
		{"deactivation ends them", auth.UserUpdate{Active: ptr(false)}, true},
		{"reactivation ends them too", auth.UserUpdate{Active: ptr(true)}, true},
	}
	for i, tt := range tests {
		before := e.userByID(u.ID)
		hash := "refresh-" + string(rune('a'+i))
		if before.Active { // an inactive user has no session to end
			e.login(before, hash)
		}
		after, err := e.s.UpdateUser(e.ctx(), u.ID, tt.upd)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if moved := after.TokenVersion != before.TokenVersion; moved != tt.revoke {
			t.Errorf("%s: token version %d → %d", tt.name, before.TokenVersion, after.TokenVersion)
		}
		if !before.Active {
			continue
		}
		_, err = e.s.RotateRefreshToken(e.ctx(), hash, hash+"-next", e.now.Add(auth.RefreshTTL))
		if refused := err != nil; refused != tt.revoke {
			t.Errorf("%s: refresh after the change: %v", tt.name, err)
		}
	}
	if got := e.userByID(u.ID); got.Bio != bio || got.Role != auth.RoleEditor || got.PasswordHash != "new-hash" || !got.Active {
		t.Errorf("after the updates: %+v", got)
	}
}

func lastAdmin(t *testing.T, e *env) {
	a := e.user("Ada Admin", auth.RoleAdmin)
	_, err := e.s.UpdateUser(e.ctx(), a.ID, auth.UserUpdate{Role: ptr(auth.RoleEditor)})
	wantCode(t, err, content.ECONFLICT)
	_, err = e.s.UpdateUser(e.ctx(), a.ID, auth.UserUpdate{Active: ptr(false)})
	wantCode(t, err, content.ECONFLICT)
	if got := e.userByID(a.ID); got.Role != auth.RoleAdmin || !got.Active {
		t.Fatalf("a refused change was kept: %+v", got)
	}
	b := e.user("Bo Admin", auth.RoleAdmin)
	if _, err := e.s.UpdateUser(e.ctx(), a.ID, auth.UserUpdate{Role: ptr(auth.RoleEditor)}); err != nil {
		t.Fatalf("demoting one of two admins: %v", err)
	}
	_, err = e.s.UpdateUser(e.ctx(), b.ID, auth.UserUpdate{Active: ptr(false)})
	wantCode(t, err, content.ECONFLICT)
}

func refreshRotation(t *testing.T, e *env) {
	u := e.user("Cy Editor", auth.RoleEditor)
	e.login(u, "first")
	got, err := e.s.RotateRefreshToken(e.ctx(), "first", "second", e.now.Add(auth.RefreshTTL))
	if err != nil || got.ID != u.ID {
		t.Fatalf("rotate: %+v, %v", got, err)
	}
	_, err = e.s.RotateRefreshToken(e.ctx(), "first", "stolen", e.now.Add(auth.RefreshTTL))
	wantCode(t, err, content.EUNAUTHORIZED)
	if !errors.Is(err, auth.ErrRefreshReused) {
		t.Errorf("reuse: %v, want auth.ErrRefreshReused", err)
	}
	if v := e.userByID(u.ID).TokenVersion; v == u.TokenVersion {
		t.Errorf("reuse left the token version at %d", v)
	}
	_, err = e.s.RotateRefreshToken(e.ctx(), "second", "third", e.now.Add(auth.RefreshTTL))
	wantCode(t, err, content.EUNAUTHORIZED)
	_, err = e.s.RotateRefreshToken(e.ctx(), "never-issued", "x", e.now.Add(auth.RefreshTTL))
	wantCode(t, err, content.EUNAUTHORIZED)

	e.login(e.userByID(u.ID), "expiring")
	e.at(e.now.Add(auth.RefreshTTL + time.Minute))
	_, err = e.s.RotateRefreshToken(e.ctx(), "expiring", "late", e.now.Add(auth.RefreshTTL))
	wantCode(t, err, content.EUNAUTHORIZED)
}

func refreshFamily(t *testing.T, e *env) {
	u := e.user("Di Author", auth.RoleAuthor)
	e.login(u, "laptop-1")
	e.login(u, "phone-1")
	if _, err := e.s.RotateRefreshToken(e.ctx(), "laptop-1", "laptop-2", e.now.Add(auth.RefreshTTL)); err != nil {
		t.Fatal(err)
	}
	if err := e.s.RevokeRefreshFamily(e.ctx(), "laptop-1"); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.RotateRefreshToken(e.ctx(), "laptop-2", "laptop-3", e.now.Add(auth.RefreshTTL))
	wantCode(t, err, content.EUNAUTHORIZED)
	if _, err := e.s.RotateRefreshToken(e.ctx(), "phone-1", "phone-2", e.now.Add(auth.RefreshTTL)); err != nil {
		t.Errorf("the other login stopped working: %v", err)
	}
	if err := e.s.RevokeRefreshFamily(e.ctx(), "unknown"); err != nil {
		t.Errorf("revoking an unknown token: %v", err)
	}
}

func setupLink(t *testing.T, e *env) {
	if err := e.s.CreateSetupToken(e.ctx(), "setup", e.now.Add(auth.SetupTTL)); err != nil {
		t.Fatal(err)
	}
	if err := e.s.CreateSetupToken(e.ctx(), "late", e.now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	first := auth.User{Name: "Eve First", Email: "eve@harbour.example", Role: auth.RoleContributor}
	_, err := e.s.CreateFirstAdmin(e.ctx(), "wrong", first)
	wantCode(t, err, content.EUNAUTHORIZED)
	u, err := e.s.CreateFirstAdmin(e.ctx(), "setup", first)
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != auth.RoleAdmin {
		t.Errorf("the first user is %s, want admin", u.Role)
	}
	_, err = e.s.CreateFirstAdmin(e.ctx(), "setup", auth.User{Name: "Again", Email: "again@harbour.example"})
	wantCode(t, err, content.EUNAUTHORIZED)
	e.at(e.now.Add(2 * time.Minute))
	_, err = e.s.CreateFirstAdmin(e.ctx(), "late", auth.User{Name: "Late", Email: "late@harbour.example"})
	wantCode(t, err, content.EUNAUTHORIZED)
}

// newKey stores a new API key for u and returns it with its secret.
func (e *env) newKey(u auth.User, expires *time.Time) (auth.APIKey, string) {
	e.t.Helper()
	raw, prefix, hash := auth.NewAPIKey()
	k, err := e.s.CreateAPIKey(e.ctx(), auth.APIKey{UserID: u.ID, Name: "Site build", Prefix: prefix, Hash: hash, ExpiresAt: expires})
	if err != nil {
		e.t.Fatalf("create API key: %v", err)
	}
	return k, raw
}

func apiKeys(t *testing.T, e *env) {
	e.user("Ada Admin", auth.RoleAdmin)
	u := e.user("Fay Editor", auth.RoleEditor)
	k, raw := e.newKey(u, nil)
	if k.ID == "" || k.UserID != u.ID || k.Hash == raw {
		t.Fatalf("new key %+v", k)
	}
	got, owner, err := e.s.APIKeyUser(e.ctx(), auth.HashToken(raw))
	if err != nil || got.ID != k.ID || owner.ID != u.ID {
		t.Fatalf("APIKeyUser: %+v %+v %v", got, owner, err)
	}
	_, _, err = e.s.APIKeyUser(e.ctx(), auth.HashToken(raw+"x"))
	wantCode(t, err, content.EUNAUTHORIZED)
	if _, err := e.s.RevokeAPIKey(e.ctx(), k.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.s.APIKeyUser(e.ctx(), auth.HashToken(raw))
	wantCode(t, err, content.EUNAUTHORIZED)

	soon := e.now.Add(time.Hour)
	_, expiring := e.newKey(u, &soon)
	e.at(soon.Add(time.Second))
	_, _, err = e.s.APIKeyUser(e.ctx(), auth.HashToken(expiring))
	wantCode(t, err, content.EUNAUTHORIZED)

	_, kept := e.newKey(u, nil)
	if _, err := e.s.UpdateUser(e.ctx(), u.ID, auth.UserUpdate{Active: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.UpdateUser(e.ctx(), u.ID, auth.UserUpdate{Active: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.s.APIKeyUser(e.ctx(), auth.HashToken(kept))
	wantCode(t, err, content.EUNAUTHORIZED)
	keys, err := e.s.APIKeys(e.ctx(), auth.APIKeyFilter{UserID: &u.ID})
	if err != nil || len(keys) != 3 {
		t.Fatalf("APIKeys = %d keys, %v; want 3", len(keys), err)
	}
	for _, k := range keys {
		if k.State(e.now) == auth.APIKeyActive {
			t.Errorf("key %s is still active", k.ID)
		}
	}
}

func logOutEverywhere(t *testing.T, e *env) {
	e.user("Ada Admin", auth.RoleAdmin)
	u := e.user("Gil Author", auth.RoleAuthor)
	e.login(u, "session")
	_, raw := e.newKey(u, nil)
	if err := e.s.LogOutEverywhere(e.ctx(), u.ID); err != nil {
		t.Fatal(err)
	}
	if v := e.userByID(u.ID).TokenVersion; v == u.TokenVersion {
		t.Errorf("token version stayed at %d", v)
	}
	_, err := e.s.RotateRefreshToken(e.ctx(), "session", "next", e.now.Add(auth.RefreshTTL))
	wantCode(t, err, content.EUNAUTHORIZED)
	_, _, err = e.s.APIKeyUser(e.ctx(), auth.HashToken(raw))
	wantCode(t, err, content.EUNAUTHORIZED)
	if err := e.s.LogOutEverywhere(e.ctx(), "0190a000-0000-7000-8000-000000000000"); !errors.Is(err, auth.ErrNoUser) {
		t.Errorf("a missing user: %v, want auth.ErrNoUser", err)
	}
}

func ptr[T any](v T) *T { return &v }
