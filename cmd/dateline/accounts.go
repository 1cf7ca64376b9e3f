package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"time"

	"dateline/auth"
)

// newTokens returns the signer and verifier of access, refresh and
// preview tokens. The app's signing keys are used; an app without them (a
// test app) gets the keys of its data directory, or, failing that, a key
// that lives only as long as the process.
func newTokens(a *app) *auth.Tokens {
	keys := a.keys
	if len(keys) == 0 {
		var err error
		if keys, err = signingKeys(a.cfg); err != nil {
			a.log.Warn("no signing key; tokens will not survive a restart", "err", err)
			k, _ := auth.NewKey([]byte(rand.Text() + rand.Text()))
			keys = []auth.Key{k}
		}
	}
	tokens, _ := auth.NewTokens(auth.TokenOptions{Issuer: strings.TrimRight(a.cfg.BaseURL, "/"), Keys: keys, Now: a.sessionClock()}) // keys is never empty
	return tokens
}

// sessionClock is the clock of tokens, logins and the login throttle:
// a.clock when a test set one, else time.Now.
func (a *app) sessionClock() func() time.Time {
	if a.clock == nil {
		return time.Now
	}
	return a.clock
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
