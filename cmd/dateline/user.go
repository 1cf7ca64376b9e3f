package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"dateline/auth"
	"dateline/content"
)

const userUsage = `Usage:
  dateline user add --email EMAIL --name NAME --role ROLE [--bio TEXT] [--password-stdin] [--data DIR] [--config FILE]
  dateline user passwd --email EMAIL [--generate] [--keep-api-keys] [--data DIR] [--config FILE]

"user add" creates an account. Roles: contributor, author, editor, admin.
With --password-stdin the password is the first line of standard input;
otherwise one is generated and printed once.

"user passwd" sets the password of an account from the first line of
standard input (or, with --generate, to a generated one printed once),
ends every session of the account and revokes its API keys (unless
--keep-api-keys).

Passwords have 12 to 128 characters.
`

// runUser runs "dateline user add|passwd". stdin may be nil; then no
// password can be read from it. Everything it was given is checked before
// the data directory is touched: a wrong flag, a missing --email or an
// invalid role, email or name creates nothing.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(stderr, userUsage)
		return flag.ErrHelp
	}
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd") {
		got := "nothing"
		if len(args) > 0 {
			got = fmt.Sprintf("%q", args[0])
		}
		return usageErrorf(`user: say "add" or "passwd", not %s; run "dateline user -h" for both`, got)
	}
	sub, args := args[0], args[1:]
	var flags commonFlags
	fs := newFlagSet("user "+sub, stderr)
	fs.Usage = func() {
		for line := range strings.SplitSeq(userUsage, "\n") {
			if strings.HasPrefix(line, "  dateline user "+sub+" ") {
				fmt.Fprintf(stderr, "Usage:\n%s\n\n", line)
			}
		}
		fs.PrintDefaults()
	}
	flags.register(fs)
	email := fs.String("email", "", "the account's email address")
	var name, role, bio *string
	var fromStdin, generate, keepKeys *bool
	if sub == "add" {
		name = fs.String("name", "", "the name shown in bylines")
		role = fs.String("role", "", "contributor, author, editor or admin")
		bio = fs.String("bio", "", "a short public biography")
		fromStdin = fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	} else {
		generate = fs.Bool("generate", false, "generate a password and print it once")
		keepKeys = fs.Bool("keep-api-keys", false, "keep the account's API keys working (default: revoke them)")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *email == "" {
		return usageErrorf("user %s: --email is required", sub)
	}
	cfg, err := loadConfig(flags, getenv)
	if err != nil {
		return err
	}
	var newUser auth.User
	if sub == "add" {
		newUser = auth.User{Email: *email, Name: *name, Bio: *bio, Role: auth.Role(*role)}
		if err := auth.CheckNewUser(newUser); err != nil {
			return fmt.Errorf("user add: %s", flagProblems(err))
		}
	} else if db := filepath.Join(cfg.DataDir, "dateline.db"); !fileExists(db) {
		return fmt.Errorf("user passwd: no database at %s (check --data or data_dir)", db)
	}
	readStdin := (sub == "add" && *fromStdin) || (sub == "passwd" && !*generate)
	var password string
	if readStdin {
		if password, err = readPassword(stdin); err != nil {
			return fmt.Errorf("user %s: %w", sub, err)
		}
	} else {
		password, _ = auth.GeneratePassword()
	}
	if err := auth.CheckPassword(password); err != nil {
		return fmt.Errorf("user %s: the password %s", sub, err)
	}
	hash, err := auth.DefaultArgon2.HashPassword(password)
	if err != nil {
		return err
	}

	a, err := openAppWith(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	switch sub {
	case "add":
		newUser.PasswordHash = hash
		u, err := a.db.CreateUser(ctx, newUser)
		if err != nil {
			return fmt.Errorf("user add: %s", flagProblems(err))
		}
		fmt.Fprintf(stdout, "created %s %s <%s> (id %s, author page /api/v1/authors/%s)\n", u.Role, u.Name, u.Email, u.ID, u.Slug)
	case "passwd":
		u, err := a.db.UserByEmail(ctx, *email)
		if errors.Is(err, auth.ErrNoUser) {
			return fmt.Errorf("user passwd: no account has the email %s", *email)
		}
		if err != nil {
			return fmt.Errorf("user passwd: %w", err)
		}
		if _, err := a.db.UpdateUser(ctx, u.ID, auth.UserUpdate{PasswordHash: &hash, KeepAPIKeys: *keepKeys}); err != nil {
			return fmt.Errorf("user passwd: %w", err)
		}
		keys := "its API keys are revoked"
		if *keepKeys {
			keys = "its API keys keep working"
		}
		fmt.Fprintf(stdout, "password of %s changed; every session of the account has ended and %s\n", u.Email, keys)
	}
	if !readStdin {
		fmt.Fprintf(stdout, "password: %s\n(shown once; it is stored only as a hash)\n", password)
	}
	return nil
}

// flagProblems says what is wrong with a user's fields in the words of the
// command line: "--role must be one of …; --email is already in use".
// Errors without fields keep their message.
func flagProblems(err error) string {
	fields := content.ErrorFields(err)
	if len(fields) == 0 {
		return err.Error()
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = "--" + f.Field + " " + f.Message
	}
	return strings.Join(parts, "; ")
}

// fileExists reports whether path names an existing file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// readPassword returns the first line of r without its line ending.
func readPassword(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("no standard input to read the password from")
	}
	line, err := bufio.NewReaderSize(io.LimitReader(r, 4096), 4096).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("standard input held no password")
	}
	return line, nil
}
