package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

func mustUser(tb testing.TB, db *sqlite.DB, email, name string, role auth.Role) auth.User {
	tb.Helper()
	u, err := db.CreateUser(context.Background(), auth.User{Email: email, Name: name, Role: role, PasswordHash: "x"})
	if err != nil {
		tb.Fatalf("create user %s: %v", email, err)
	}
	return u
}

func TestCreateAndReadUsers(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	a := mustUser(t, db, "ann@example.org", "Ann Lee", auth.RoleEditor)
	b := mustUser(t, db, "ann.lee@example.org", "Ann Lee", auth.RoleAuthor)
	if a.ID == "" || !a.Active || a.TokenVersion != 1 || a.Slug != "ann-lee" || b.Slug != "ann-lee-2" {
		t.Fatalf("created %+v and %+v", a, b)
	}
	got, err := db.UserByEmail(ctx, "ANN@example.org")
	if err != nil || got.ID != a.ID || got.Role != auth.RoleEditor {
		t.Fatalf("by email: %+v %v", got, err)
	}
	if _, err := db.UserByID(ctx, "nope"); !errors.Is(err, auth.ErrNoUser) || content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("missing user: %v", err)
	}
	if n, _ := db.CountUsers(ctx); n != 2 {
		t.Errorf("count %d", n)
	}
	if us, _ := db.Users(ctx); len(us) != 2 || us[0].ID != a.ID {
		t.Errorf("users %+v", us)
	}
	// The author profile shows on stories.
	e := story("Bylined")
	e.AuthorIDs = []string{b.ID}
	art := mustCreate(t, db, e)
	if len(art.Authors) != 1 || art.Authors[0].Slug != "ann-lee-2" {
		t.Errorf("authors %+v", art.Authors)
	}
}

func TestInvalidUsersAreRefusedByField(t *testing.T) {
	db, _ := mustOpen(t)
	mustUser(t, db, "taken@example.org", "Taken", auth.RoleAuthor)
	tests := []struct {
		name  string
		user  auth.User
		code  string
		field string
	}{
		{"a missing email", auth.User{Name: "X", Role: auth.RoleAuthor}, content.EINVALID, "email"},
		{"an email with a display name", auth.User{Email: "X <x@example.org>", Name: "X", Role: auth.RoleAuthor}, content.EINVALID, "email"},
		{"a missing name", auth.User{Email: "x@example.org", Role: auth.RoleAuthor}, content.EINVALID, "name"},
		{"a name with a control character", auth.User{Email: "x@example.org", Name: "X\x00", Role: auth.RoleAuthor}, content.EINVALID, "name"},
		{"an unknown role", auth.User{Email: "x@example.org", Name: "X", Role: "owner"}, content.EINVALID, "role"},
		{"a taken email in other case", auth.User{Email: "TAKEN@example.org", Name: "X", Role: auth.RoleAuthor}, content.ECONFLICT, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := db.CreateUser(context.Background(), tt.user)
			if content.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			fields := content.ErrorFields(err)
			if len(fields) == 0 || fields[0].Field != tt.field {
				t.Errorf("fields %+v, want %s", fields, tt.field)
			}
		})
	}
}

func TestUpdateUserRevokesTokensOnSecurityChanges(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	admin := mustUser(t, db, "admin@example.org", "Admin", auth.RoleAdmin)
	u := mustUser(t, db, "u@example.org", "U", auth.RoleAuthor)
	name, bio := "U. Name", "Writes on harbours."
	editor, inactive, active, hash := auth.RoleEditor, false, true, "new-hash"
	tests := []struct {
		name   string
		upd    auth.UserUpdate
		bumped bool
	}{
		{"a profile change keeps tokens", auth.UserUpdate{Name: &name, Bio: &bio}, false},
		{"a role change revokes tokens", auth.UserUpdate{Role: &editor}, true},
		{"the same role again keeps tokens", auth.UserUpdate{Role: &editor}, false},
		{"deactivation revokes tokens", auth.UserUpdate{Active: &inactive}, true},
		{"reactivation revokes tokens", auth.UserUpdate{Active: &active}, true},
		{"a password change revokes tokens", auth.UserUpdate{PasswordHash: &hash}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := db.UserByID(ctx, u.ID)
			_, tokenHash := auth.NewOpaqueToken()
			if _, err := db.CreateRefreshToken(ctx, u.ID, tokenHash, db.Now().Add(time.Hour)); (err != nil) != !before.Active {
				t.Fatalf("refresh token for an account with active=%v: %v", before.Active, err)
			}
			after, err := db.UpdateUser(ctx, u.ID, tt.upd)
			if err != nil {
				t.Fatal(err)
			}
			if got := after.TokenVersion != before.TokenVersion; got != tt.bumped {
				t.Errorf("token version %d → %d", before.TokenVersion, after.TokenVersion)
			}
			_, next := auth.NewOpaqueToken()
			_, err = db.RotateRefreshToken(ctx, tokenHash, next, db.Now().Add(time.Hour))
			if refused := err != nil; refused != (tt.bumped || !after.Active || !before.Active) {
				t.Errorf("refresh after the change: %v", err)
			}
		})
	}
	if got, _ := db.UserByID(ctx, u.ID); got.Name != name || got.Bio != bio || got.Role != editor || got.PasswordHash != hash {
		t.Errorf("final state %+v", got)
	}
	t.Run("the last active admin cannot demote or deactivate themselves", func(t *testing.T) {
		author := auth.RoleAuthor
		for _, upd := range []auth.UserUpdate{{Role: &author}, {Active: &inactive}} {
			if _, err := db.UpdateUser(ctx, admin.ID, upd); content.ErrorCode(err) != content.ECONFLICT {
				t.Fatalf("err = %v, want conflict", err)
			}
		}
		if got, _ := db.UserByID(ctx, admin.ID); got.Role != auth.RoleAdmin || !got.Active || got.TokenVersion != 1 {
			t.Errorf("the refused change was written: %+v", got)
		}
		admin2 := auth.RoleAdmin
		if _, err := db.UpdateUser(ctx, u.ID, auth.UserUpdate{Role: &admin2}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateUser(ctx, admin.ID, auth.UserUpdate{Role: &author}); err != nil {
			t.Fatalf("with a second admin, demotion failed: %v", err)
		}
	})
	t.Run("a check inside the transaction can refuse the change", func(t *testing.T) {
		refuse := errors.New("no")
		_, err := db.UpdateUser(ctx, u.ID, auth.UserUpdate{Name: &bio, Check: func(cur auth.User) error {
			if cur.ID != u.ID {
				t.Errorf("check saw %s", cur.ID)
			}
			return refuse
		}})
		if !errors.Is(err, refuse) {
			t.Fatalf("err = %v", err)
		}
	})
}
