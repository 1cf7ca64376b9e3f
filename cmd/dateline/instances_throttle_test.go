package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/auth"
)

// loginFrom posts a login for email with password to base from the local
// address ip (a loopback address of its own, so that the server sees a
// client address of its own) and returns the status and Retry-After.
func loginFrom(t *testing.T, ip net.IP, base, email, password string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		DialContext:       (&net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}}).DialContext,
		DisableKeepAlives: true,
	}}
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	resp, err := client.Post(base+"/api/admin/v1/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("login at %s from %s: %v", base, ip, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// throttleAcrossInstances checks that the three instances count login
// attempts together: wrong passwords for the account email, which has
// logged in once (the cluster's session), spread round-robin over the
// instances and each from an address of its own, are refused once the
// account's burst is spent in total (instances counting alone would let
// that many through each, three times as many in all); then the right
// password is refused on every instance too. Likewise logins from one
// address for many accounts are refused after the address's burst in
// total.
func (c *cluster) throttleAcrossInstances(t *testing.T, email, password string) {
	limits := auth.DefaultLoginLimits()
	left := limits.Account.Burst - 1 // the cluster's login took one
	var statuses []int
	for i := range left + 2*len(c.procs) {
		p := c.procs[i%len(c.procs)]
		code, retry := loginFrom(t, net.IPv4(127, 0, 3, byte(i+1)), p.url, email, "not the password, guess "+strconv.Itoa(i))
		statuses = append(statuses, code)
		want := http.StatusUnauthorized
		if i >= left {
			want = http.StatusTooManyRequests
			if s, err := strconv.Atoi(retry); err != nil || s < 1 || s > int(limits.Account.Every/time.Second) {
				t.Errorf("attempt %d at instance %d: 429 with Retry-After %q, want 1 to %d seconds", i+1, i%len(c.procs), retry, int(limits.Account.Every/time.Second))
			}
		}
		if code != want {
			t.Errorf("wrong password %d at instance %d: %d, want %d", i+1, i%len(c.procs), code, want)
		}
	}
	t.Logf("wrong passwords for one account, round-robin over %d instances: %v", len(c.procs), statuses)
	for i, p := range c.procs {
		if code, _ := loginFrom(t, net.IPv4(127, 0, 3, byte(100+i)), p.url, email, password); code != http.StatusTooManyRequests {
			t.Errorf("the right password at instance %d while the account is throttled: %d, want 429", i, code)
		}
	}

	// The address refills a token every 3 s while the allowed logins are
	// hashed, so its count is bounded by the burst and the refills in that
	// time, and the first refusal must come far before the three bursts
	// that instances counting alone would allow.
	from := net.IPv4(127, 0, 4, 1)
	began := time.Now()
	allowed, refused := 0, 0
	for i := 0; refused == 0 && i < 2*limits.Address.Burst; i++ {
		p := c.procs[i%len(c.procs)]
		code, retry := loginFrom(t, from, p.url, fmt.Sprintf("reader%d@example.org", i), "not a password either")
		switch code {
		case http.StatusUnauthorized:
			allowed++
		case http.StatusTooManyRequests:
			refused++
			if retry == "" {
				t.Errorf("login %d from one address: 429 without Retry-After", i+1)
			}
		default:
			t.Fatalf("login %d from one address at instance %d: %d", i+1, i%len(c.procs), code)
		}
	}
	took := time.Since(began)
	most := limits.Address.Burst + int(took/limits.Address.Every) + 1
	t.Logf("logins for new accounts from one address, round-robin over %d instances: %d allowed in %v, then refused", len(c.procs), allowed, took.Round(time.Millisecond))
	if refused == 0 || allowed < limits.Address.Burst || allowed > most {
		t.Errorf("one address: %d logins allowed before the first refusal (%d refused), want %d to %d (its burst and its refills in %v)",
			allowed, refused, limits.Address.Burst, most, took.Round(time.Millisecond))
	}
}
