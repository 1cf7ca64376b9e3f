package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"dateline/admin"
	"dateline/auth"
	"dateline/auth/authgin"
)

// newAccounts wires the account endpoints and the authentication
// middleware. The app's signing keys are used; an app without them (a test
// app) gets the keys of its data directory, or, failing that, a key that
// lives only as long as the process.
func newAccounts(a *app) *admin.Accounts {
	keys := a.keys
	if len(keys) == 0 {
		var err error
		if keys, err = signingKeys(a.cfg); err != nil {
			a.log.Warn("no signing key; tokens will not survive a restart", "err", err)
			k, _ := auth.NewKey([]byte(rand.Text() + rand.Text()))
			keys = []auth.Key{k}
		}
	}
	now := a.clock
	if now == nil {
		now = time.Now
	}
	tokens, _ := auth.NewTokens(auth.TokenOptions{Issuer: strings.TrimRight(a.cfg.BaseURL, "/"), Keys: keys, Now: now}) // keys is never empty
	throttle := auth.NewLoginThrottle(auth.ThrottleOptions{Now: now})
	origins := http.NewCrossOriginProtection()
	acc := &admin.Accounts{
		Store:     a.db,
		Tokens:    tokens,
		Throttle:  throttle,
		Origins:   origins,
		Passwords: auth.NewPasswords(auth.DefaultArgon2, a.cfg.PasswordHashMemoryMB, auth.HashQueueWait),
		Log:       a.log,
		Now:       now,
	}
	acc.Auth = &authgin.Middleware{Authenticator: auth.Authenticator{Users: a.db, Keys: a.db, Tokens: tokens}, Origins: origins, Problem: acc.Problem}
	return acc
}

// printSetupLink prints a one-time link that creates the first admin when
// the newsroom has no users yet. The token is stored only as a hash and
// expires after auth.SetupTTL; every start without users prints a new one.
func (a *app) printSetupLink(ctx context.Context, stdout io.Writer) error {
	n, err := a.db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	token, hash := auth.NewOpaqueToken()
	expires := a.db.Now().Add(auth.SetupTTL)
	if err := a.db.CreateSetupToken(ctx, hash, expires); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "No users yet. Create the first admin within %s (the link works once):\n  %s/admin/setup?token=%s\n",
		auth.SetupTTL, strings.TrimRight(a.cfg.BaseURL, "/"), token)
	fmt.Fprintln(stdout, "  or from a shell: dateline user add --email you@example.org --name \"Your Name\" --role admin")
	return nil
}
