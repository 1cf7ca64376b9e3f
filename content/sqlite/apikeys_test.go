package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

func mustAPIKey(tb testing.TB, db *sqlite.DB, userID, name string, expires *time.Time) (string, auth.APIKey) {
	tb.Helper()
	key, prefix, hash := auth.NewAPIKey()
	k, err := db.CreateAPIKey(context.Background(), auth.APIKey{UserID: userID, Name: name, Prefix: prefix, Hash: hash, ExpiresAt: expires})
	if err != nil {
		tb.Fatalf("create api key %q: %v", name, err)
	}
	return key, k
}

func TestAPIKeysAreStoredOnlyAsHashes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dateline.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{Zone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u := mustUser(t, db, "ann@example.org", "Ann Lee", auth.RoleEditor)
	key, k := mustAPIKey(t, db, u.ID, "Wire import", nil)
	if k.ID == "" || k.Prefix != key[:11] || k.Hash != auth.HashToken(key) || k.UserName != "Ann Lee" || k.CreatedAt.IsZero() {
		t.Fatalf("created %+v", k)
	}

	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var id, name, prefix, hash string
	if err := raw.QueryRow("SELECT id, name, prefix, hash FROM api_keys").Scan(&id, &name, &prefix, &hash); err != nil {
		t.Fatal(err)
	}
	if hash != auth.HashToken(key) || prefix != key[:11] {
		t.Errorf("stored prefix %q, hash %q", prefix, hash)
	}
	secret := []byte(key[11:])
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if bytes.Contains(b, secret) {
			t.Errorf("%s holds the secret part of the key", filepath.Base(f))
		}
	}
}

func TestAPIKeyLifecycle(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	ann := mustUser(t, db, "ann@example.org", "Ann Lee", auth.RoleAuthor)
	bo := mustUser(t, db, "bo@example.org", "Bo Berg", auth.RoleAdmin)

	t.Run("a valid key gives its user", func(t *testing.T) {
		key, k := mustAPIKey(t, db, ann.ID, "CI publishing", nil)
		got, u, err := db.APIKeyUser(ctx, auth.HashToken(key))
		if err != nil || got.ID != k.ID || u.ID != ann.ID || u.Role != auth.RoleAuthor {
			t.Fatalf("key %+v user %+v err %v", got, u, err)
		}
	})
	t.Run("an unknown key is refused", func(t *testing.T) {
		_, _, err := db.APIKeyUser(ctx, auth.HashToken("dl_nothing"))
		if !errors.Is(err, auth.ErrUnauthenticated) || content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a revoked key is refused and stays listed as revoked", func(t *testing.T) {
		key, k := mustAPIKey(t, db, ann.ID, "Old script", nil)
		r, err := db.RevokeAPIKey(ctx, k.ID)
		if err != nil || r.RevokedAt == nil || r.State(*now) != auth.APIKeyRevoked {
			t.Fatalf("revoke: %+v %v", r, err)
		}
		again, err := db.RevokeAPIKey(ctx, k.ID)
		if err != nil || !again.RevokedAt.Equal(*r.RevokedAt) {
			t.Errorf("revoking twice: %+v %v", again, err)
		}
		if _, _, err := db.APIKeyUser(ctx, auth.HashToken(key)); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("a revoked key works: %v", err)
		}
		if _, err := db.RevokeAPIKey(ctx, "0190a000-0000-7000-8000-000000000099"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("revoking a missing key: %v", err)
		}
	})
	t.Run("a key works until it expires", func(t *testing.T) {
		exp := now.Add(time.Hour)
		key, _ := mustAPIKey(t, db, ann.ID, "One hour", &exp)
		if _, _, err := db.APIKeyUser(ctx, auth.HashToken(key)); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Hour)
		if _, _, err := db.APIKeyUser(ctx, auth.HashToken(key)); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("an expired key works: %v", err)
		}
	})
	t.Run("a deactivated user's key is revoked and stays revoked after reactivation", func(t *testing.T) {
		cy := mustUser(t, db, "cy@example.org", "Cy Moss", auth.RoleEditor)
		key, k := mustAPIKey(t, db, cy.ID, "Tool", nil)
		off, on := false, true
		if _, err := db.UpdateUser(ctx, cy.ID, auth.UserUpdate{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.APIKeyUser(ctx, auth.HashToken(key)); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("a deactivated user's key works: %v", err)
		}
		if _, err := db.UpdateUser(ctx, cy.ID, auth.UserUpdate{Active: &on}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.APIKeyUser(ctx, auth.HashToken(key)); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("the key came back to life with its user: %v", err)
		}
		if got, err := db.APIKey(ctx, k.ID); err != nil || got.State(*now) != auth.APIKeyRevoked {
			t.Errorf("the key is listed as %q (%v), want revoked", got.State(*now), err)
		}
	})
	t.Run("a password change revokes the user's keys unless they are kept", func(t *testing.T) {
		tests := []struct {
			name  string
			keep  bool
			works bool
		}{
			{"without KeepAPIKeys the keys are revoked", false, false},
			{"with KeepAPIKeys the keys keep working", true, true},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := mustUser(t, db, fmt.Sprintf("pw%d@example.org", i), "Pat Wu", auth.RoleAuthor)
				key, _ := mustAPIKey(t, db, u.ID, "Tool", nil)
				hash := "new hash"
				if _, err := db.UpdateUser(ctx, u.ID, auth.UserUpdate{PasswordHash: &hash, KeepAPIKeys: tt.keep}); err != nil {
					t.Fatal(err)
				}
				_, _, err := db.APIKeyUser(ctx, auth.HashToken(key))
				if works := err == nil; works != tt.works {
					t.Errorf("after the change the key works = %v (%v), want %v", works, err, tt.works)
				}
			})
		}
	})
	t.Run("the key acts with the user's current role", func(t *testing.T) {
		dee := mustUser(t, db, "dee@example.org", "Dee Stone", auth.RoleEditor)
		key, _ := mustAPIKey(t, db, dee.ID, "Tool", nil)
		role := auth.RoleContributor
		if _, err := db.UpdateUser(ctx, dee.ID, auth.UserUpdate{Role: &role}); err != nil {
			t.Fatal(err)
		}
		if _, u, err := db.APIKeyUser(ctx, auth.HashToken(key)); err != nil || u.Role != auth.RoleContributor {
			t.Fatalf("user %+v, %v", u, err)
		}
	})
	t.Run("an inactive user cannot get a key", func(t *testing.T) {
		eve := mustUser(t, db, "eve@example.org", "Eve Lund", auth.RoleEditor)
		off := false
		if _, err := db.UpdateUser(ctx, eve.ID, auth.UserUpdate{Active: &off}); err != nil {
			t.Fatal(err)
		}
		_, prefix, hash := auth.NewAPIKey()
		_, err := db.CreateAPIKey(ctx, auth.APIKey{UserID: eve.ID, Name: "x", Prefix: prefix, Hash: hash})
		if content.ErrorCode(err) != content.EFORBIDDEN {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("lists filter by user, newest first", func(t *testing.T) {
		mustAPIKey(t, db, bo.ID, "Admin tool", nil)
		ks, err := db.APIKeys(ctx, auth.APIKeyFilter{UserID: &ann.ID})
		if err != nil || len(ks) != 3 {
			t.Fatalf("ann's keys: %d %v", len(ks), err)
		}
		for _, k := range ks {
			if k.UserID != ann.ID {
				t.Errorf("someone else's key in ann's list: %+v", k)
			}
		}
		if ks[0].Name != "One hour" {
			t.Errorf("newest first: %q", ks[0].Name)
		}
		all, err := db.APIKeys(ctx, auth.APIKeyFilter{})
		if err != nil || len(all) != 8 { // two more of the password-change cases
			t.Errorf("every key: %d %v", len(all), err)
		}
	})
}

func TestAPIKeyLastUsedIsWrittenAtMostOnceAMinute(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	u := mustUser(t, db, "ann@example.org", "Ann Lee", auth.RoleAuthor)
	key, k := mustAPIKey(t, db, u.ID, "Busy script", nil)
	if k.LastUsedAt != nil {
		t.Fatalf("a new key was used at %v", k.LastUsedAt)
	}
	lastUsed := func() time.Time {
		t.Helper()
		k, err := db.APIKey(ctx, k.ID)
		if err != nil || k.LastUsedAt == nil {
			t.Fatalf("last used: %+v %v", k, err)
		}
		return *k.LastUsedAt
	}
	use := func() {
		t.Helper()
		if _, _, err := db.APIKeyUser(ctx, auth.HashToken(key)); err != nil {
			t.Fatal(err)
		}
	}
	first := *now
	use()
	if got := lastUsed(); !got.Equal(first) {
		t.Fatalf("last used %v, want %v", got, first)
	}
	*now = now.Add(59 * time.Second)
	use()
	if got := lastUsed(); !got.Equal(first) {
		t.Errorf("within the minute last used moved to %v", got)
	}
	*now = now.Add(time.Second)
	use()
	if got := lastUsed(); !got.Equal(*now) {
		t.Errorf("after a minute last used is %v, want %v", got, *now)
	}
}

func TestAPIKeyValidation(t *testing.T) {
	db, now := mustOpen(t)
	u := mustUser(t, db, "ann@example.org", "Ann Lee", auth.RoleAuthor)
	past := now.Add(-time.Second)
	long := make([]byte, auth.MaxAPIKeyNameLength+1)
	for i := range long {
		long[i] = 'a'
	}
	cases := []struct {
		name    string
		key     auth.APIKey
		field   string
		keyMade bool
	}{
		{"an empty name is refused", auth.APIKey{Name: "  "}, "name", true},
		{"a name over the limit is refused", auth.APIKey{Name: string(long)}, "name", true},
		{"a name with a control character is refused", auth.APIKey{Name: "a\x07b"}, "name", true},
		{"an expiry in the past is refused", auth.APIKey{Name: "ok", ExpiresAt: &past}, "expires_at", true},
		{"a key not made by NewAPIKey is refused", auth.APIKey{Name: "ok", Prefix: "xx", Hash: "y"}, "key", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := tc.key
			k.UserID = u.ID
			if tc.keyMade {
				_, k.Prefix, k.Hash = auth.NewAPIKey()
			}
			_, err := db.CreateAPIKey(context.Background(), k)
			fs := content.ErrorFields(err)
			if content.ErrorCode(err) != content.EINVALID || len(fs) != 1 || fs[0].Field != tc.field {
				t.Fatalf("err = %v (%+v)", err, fs)
			}
		})
	}
}
