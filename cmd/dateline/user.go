package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"dateline/auth"
)

const userUsage = `Usage:
  dateline user add --email EMAIL --name NAME --role ROLE [--bio TEXT] [--password-stdin]
  dateline user passwd --email EMAIL [--generate] [--keep-api-keys]

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
// password can be read from it.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd") {
		fmt.Fprint(stderr, userUsage)
		return errors.New(`user: say "add" or "passwd"`)
	}
	sub, args := args[0], args[1:]
	var flags commonFlags
	fs := newFlagSet("user "+sub, stderr)
	fs.Usage = func() { fmt.Fprint(stderr, userUsage) }
	flags.register(fs)
	email := fs.String("email", "", "the account's email address")
	name := fs.String("name", "", "add: the name shown in bylines")
	role := fs.String("role", "", "add: contributor, author, editor or admin")
	bio := fs.String("bio", "", "add: a short public biography")
	fromStdin := fs.Bool("password-stdin", false, "add: read the password from the first line of standard input")
	generate := fs.Bool("generate", false, "passwd: generate a password and print it once")
	keepKeys := fs.Bool("keep-api-keys", false, "passwd: keep the account's API keys working (default: revoke them)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user %s: unexpected argument %q", sub, fs.Arg(0))
	}
	if *email == "" {
		return fmt.Errorf("user %s: --email is required", sub)
	}
	readStdin := (sub == "add" && *fromStdin) || (sub == "passwd" && !*generate)
	var password string
	if readStdin {
		var err error
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

	a, err := openApp(ctx, flags, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	switch sub {
	case "add":
		u, err := a.db.CreateUser(ctx, auth.User{Email: *email, Name: *name, Bio: *bio, Role: auth.Role(*role), PasswordHash: hash})
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		fmt.Fprintf(stdout, "created %s %s <%s> (id %s, author page /api/v1/authors/%s)\n", u.Role, u.Name, u.Email, u.ID, u.Slug)
	case "passwd":
		u, err := a.db.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("user passwd: %s: %w", *email, err)
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
