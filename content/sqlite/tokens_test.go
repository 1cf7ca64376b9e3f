package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

func TestRefreshTokenRotation(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	u := mustUser(t, db, "u@example.org", "U", auth.RoleAuthor)
	first, h1 := auth.NewOpaqueToken()
	if _, err := db.CreateRefreshToken(ctx, u.ID, h1, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, h2 := auth.NewOpaqueToken()
	got, err := db.RotateRefreshToken(ctx, auth.HashToken(first), h2, now.Add(time.Hour))
	if err != nil || got.ID != u.ID {
		t.Fatalf("rotate: %+v %v", got, err)
	}
	// A second, parallel login has its own family.
	_, other := auth.NewOpaqueToken()
	if _, err := db.CreateRefreshToken(ctx, u.ID, other, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	before, err := db.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("reusing a rotated token revokes the whole family", func(t *testing.T) {
		_, h3 := auth.NewOpaqueToken()
		_, err := db.RotateRefreshToken(ctx, h1, h3, now.Add(time.Hour))
		if !errors.Is(err, auth.ErrRefreshReused) || content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatalf("reuse: %v", err)
		}
		if _, err := db.RotateRefreshToken(ctx, h2, h3, now.Add(time.Hour)); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatalf("the current token of the family still works: %v", err)
		}
	})
	t.Run("reuse moves the token version, so issued access tokens stop working", func(t *testing.T) {
		got, err := db.UserByID(ctx, u.ID)
		if err != nil || got.TokenVersion != before.TokenVersion+1 {
			t.Fatalf("token version %d after reuse, want %d (%v)", got.TokenVersion, before.TokenVersion+1, err)
		}
	})
	t.Run("reuse ends the user's other logins too", func(t *testing.T) {
		_, next := auth.NewOpaqueToken()
		if _, err := db.RotateRefreshToken(ctx, other, next, now.Add(time.Hour)); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatalf("another login survived the reuse: %v", err)
		}
	})
	t.Run("an unknown token is refused", func(t *testing.T) {
		_, next := auth.NewOpaqueToken()
		if _, err := db.RotateRefreshToken(ctx, "nope", next, now.Add(time.Hour)); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatal(err)
		}
	})
	t.Run("an expired token is refused", func(t *testing.T) {
		_, h := auth.NewOpaqueToken()
		if _, err := db.CreateRefreshToken(ctx, u.ID, h, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(2 * time.Minute)
		_, next := auth.NewOpaqueToken()
		if _, err := db.RotateRefreshToken(ctx, h, next, now.Add(time.Hour)); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatal(err)
		}
	})
	t.Run("logout of one login revokes its family", func(t *testing.T) {
		_, h := auth.NewOpaqueToken()
		if _, err := db.CreateRefreshToken(ctx, u.ID, h, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeRefreshFamily(ctx, h); err != nil {
			t.Fatal(err)
		}
		_, next := auth.NewOpaqueToken()
		if _, err := db.RotateRefreshToken(ctx, h, next, now.Add(time.Hour)); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatal(err)
		}
	})
	t.Run("logging out everywhere ends every login and every API key", func(t *testing.T) {
		_, h := auth.NewOpaqueToken()
		if _, err := db.CreateRefreshToken(ctx, u.ID, h, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		key, _ := mustAPIKey(t, db, u.ID, "Script", nil)
		was, _ := db.UserByID(ctx, u.ID)
		if err := db.LogOutEverywhere(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, next := auth.NewOpaqueToken()
		if _, err := db.RotateRefreshToken(ctx, h, next, now.Add(time.Hour)); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(ctx, u.ID); got.TokenVersion != was.TokenVersion+1 {
			t.Errorf("token version %d, want %d", got.TokenVersion, was.TokenVersion+1)
		}
		if _, _, err := db.APIKeyUser(ctx, auth.HashToken(key)); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("an API key works after logging out everywhere: %v", err)
		}
	})
}

func TestSetupTokenCreatesTheFirstAdminOnce(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	_, h := auth.NewOpaqueToken()
	if err := db.CreateSetupToken(ctx, h, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	first := auth.User{Email: "chief@example.org", Name: "Chief", Role: auth.RoleContributor, PasswordHash: "x"}
	if _, err := db.CreateFirstAdmin(ctx, "wrong", first); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Fatalf("a wrong token: %v", err)
	}
	if _, err := db.CreateFirstAdmin(ctx, h, auth.User{Email: "bad", Name: "Chief"}); content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("invalid fields: %v", err)
	}
	u, err := db.CreateFirstAdmin(ctx, h, first)
	if err != nil || u.Role != auth.RoleAdmin {
		t.Fatalf("first admin: %+v %v", u, err)
	}
	first.Email = "second@example.org"
	if _, err := db.CreateFirstAdmin(ctx, h, first); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Fatalf("second use: %v", err)
	}
	_, h2 := auth.NewOpaqueToken()
	if err := db.CreateSetupToken(ctx, h2, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateFirstAdmin(ctx, h2, first); content.ErrorCode(err) != content.ECONFLICT {
		t.Fatalf("a fresh token once users exist: %v", err)
	}

	t.Run("an expired setup token is refused", func(t *testing.T) {
		db, now := mustOpen(t)
		_, h := auth.NewOpaqueToken()
		if err := db.CreateSetupToken(ctx, h, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Hour + time.Second)
		if _, err := db.CreateFirstAdmin(ctx, h, first); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatalf("err = %v", err)
		}
	})
}
