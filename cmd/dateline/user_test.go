package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	env := envOf(map[string]string{"DATELINE_DATA_DIR": dir})
	cfg := writeTemp(t, dir)
	ctx := context.Background()
	user := func(stdin string, args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"user"}, append(args, "--config", cfg)...), env, &out, &errOut, strings.NewReader(stdin))
		return out.String(), err
	}
	hashOf := func(email string) string {
		db, err := sqlite.Open(ctx, filepath.Join(dir, "dateline.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		u, err := db.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u.PasswordHash
	}

	t.Run("user add reads the password from stdin", func(t *testing.T) {
		out, err := user("a very secret password\n", "add", "--email", "chief@harbour.example", "--name", "Chief Editor", "--role", "admin", "--password-stdin")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "created admin Chief Editor") || strings.Contains(out, "a very secret password") {
			t.Errorf("output %q", out)
		}
		if h := hashOf("chief@harbour.example"); !auth.VerifyPassword(h, "a very secret password") || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("stored hash %q", h)
		}
	})
	t.Run("user add without --password-stdin generates and prints a password once", func(t *testing.T) {
		out, err := user("", "add", "--email", "ann@harbour.example", "--name", "Ann", "--role", "author")
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
		if m == nil || !auth.VerifyPassword(hashOf("ann@harbour.example"), m[1]) {
			t.Fatalf("output %q", out)
		}
	})
	t.Run("user passwd sets the password from stdin", func(t *testing.T) {
		if _, err := user("another long password\r\n", "passwd", "--email", "ANN@harbour.example"); err != nil {
			t.Fatal(err)
		}
		if !auth.VerifyPassword(hashOf("ann@harbour.example"), "another long password") {
			t.Error("the new password does not verify")
		}
	})
	failures := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"a short password is refused with the limits", "short\n", []string{"passwd", "--email", "ann@harbour.example"}, "12 to 128"},
		{"an empty stdin is refused", "", []string{"passwd", "--email", "ann@harbour.example"}, "no password"},
		{"an unknown account is refused", "a long enough password\n", []string{"passwd", "--email", "nobody@harbour.example"}, "no account has the email nobody@harbour.example"},
		{"a taken email is refused", "", []string{"add", "--email", "ann@harbour.example", "--name", "Ann", "--role", "author"}, "already in use"},
		{"an unknown role is refused", "", []string{"add", "--email", "x@harbour.example", "--name", "X", "--role", "owner"}, "role"},
		{"a missing email is refused", "", []string{"add", "--name", "X", "--role", "author"}, "--email"},
		{"a missing subcommand is refused", "", []string{}, "add"},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			_, err := user(tt.stdin, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestDemoUsers(t *testing.T) {
	a, h := newTestApp(t)
	f := seed(t, a)
	ctx := context.Background()
	var out bytes.Buffer
	if err := a.seedDemoUsers(ctx, &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`editor\s+(editor@harbour\.example)\s+(\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no editor credentials in %q", out.String())
	}
	if s := login(t, h, m[1], m[2]); s.User.Role != "editor" {
		t.Errorf("logged in as %+v", s.User)
	}
	for _, r := range []string{"admin", "author", "contributor"} {
		if !strings.Contains(out.String(), r+"@harbour.example") {
			t.Errorf("no %s in %q", r, out.String())
		}
	}
	pub, err := a.db.Article(ctx, content.ArticleFilter{ID: &f.published.ID})
	if err != nil || len(pub.Authors) != 1 {
		t.Fatalf("published story's authors: %+v %v", pub.Authors, err)
	}
	if rec := get(t, h, "/api/v1/articles/"+pub.Slug); !strings.Contains(rec.Body.String(), `"slug":"`+pub.Authors[0].Slug+`"`) {
		t.Errorf("the byline is not delivered: %s", rec.Body)
	}
	out.Reset()
	if err := a.seedDemoUsers(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.db.CountUsers(ctx); n != len(demoUsers) || strings.Contains(out.String(), "@harbour.example") {
		t.Errorf("a second start recreated demo users: %d users, output %q", n, out.String())
	}
}

func TestSigningKeys(t *testing.T) {
	dir := t.TempDir()
	cfg := defaultConfig()
	cfg.DataDir = dir
	first, err := signingKeys(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "signing.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	again, _ := signingKeys(cfg)
	if len(first) != 1 || again[0].ID != first[0].ID || !bytes.Equal(again[0].Secret, first[0].Secret) {
		t.Error("the generated key was not reused")
	}

	cfg.SigningKey = strings.Repeat("k", 40)
	cfg.OldSigningKeys = []string{string(first[0].Secret)}
	keys, err := signingKeys(cfg)
	if err != nil || len(keys) != 2 || string(keys[0].Secret) != cfg.SigningKey || keys[1].ID != first[0].ID {
		t.Fatalf("configured keys: %v", err)
	}

	file := filepath.Join(dir, "from-file.key")
	if err := writeFile(file, []byte(strings.Repeat("f", 40)+"\n")); err != nil {
		t.Fatal(err)
	}
	c, err := loadConfig(commonFlags{config: writeTemp(t, dir)}, envOf(map[string]string{"DATELINE_SIGNING_KEY_FILE": file, "DATELINE_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if keys, err := signingKeys(c); err != nil || string(keys[0].Secret) != strings.Repeat("f", 40) {
		t.Errorf("DATELINE_SIGNING_KEY_FILE: %v", err)
	}
	if _, err := loadConfig(commonFlags{config: writeTemp(t, dir)}, envOf(map[string]string{"DATELINE_SIGNING_KEY": "short"})); err == nil || !strings.Contains(err.Error(), "signing_key") {
		t.Errorf("a short signing key: %v", err)
	}
	if _, err := loadConfig(commonFlags{config: writeTemp(t, dir)}, envOf(map[string]string{"DATELINE_TRUSTED_PROXIES": "10.0.0.0/8, nonsense"})); err == nil || !strings.Contains(err.Error(), "trusted_proxies") {
		t.Errorf("a bad trusted proxy: %v", err)
	}
}

func TestUserPasswdRevokesAPIKeysUnlessKept(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		works bool
		says  string
	}{
		{"user passwd revokes the account's API keys", nil, false, "its API keys are revoked"},
		{"user passwd --keep-api-keys keeps them", []string{"--keep-api-keys"}, true, "its API keys keep working"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx := context.Background()
			db, err := sqlite.Open(ctx, filepath.Join(dir, "dateline.db"), sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			u, err := db.CreateUser(ctx, auth.User{Email: "ann@harbour.example", Name: "Ann", Role: auth.RoleAuthor, PasswordHash: "x"})
			if err != nil {
				t.Fatal(err)
			}
			key, prefix, hash := auth.NewAPIKey()
			if _, err := db.CreateAPIKey(ctx, auth.APIKey{UserID: u.ID, Name: "Wire import", Prefix: prefix, Hash: hash}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			var out, errOut bytes.Buffer
			args := append([]string{"user", "passwd", "--email", u.Email, "--config", writeTemp(t, dir)}, tt.args...)
			if err := run(ctx, args, envOf(map[string]string{"DATELINE_DATA_DIR": dir}), &out, &errOut, strings.NewReader("another long password\n")); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tt.says) {
				t.Errorf("output %q, want it to say %q", out.String(), tt.says)
			}
			db, err = sqlite.Open(ctx, filepath.Join(dir, "dateline.db"), sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			_, _, err = db.APIKeyUser(ctx, auth.HashToken(key))
			if works := err == nil; works != tt.works {
				t.Errorf("the key works = %v (%v), want %v", works, err, tt.works)
			}
		})
	}
}
