package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/netip"
	"strings"
	"time"
)

// The login throttle is a pair of token buckets per attempt, one for the
// account and one for the client address. Its decision is here, a pure
// function of the stored state, the limits and the time (LoginLimits.Take);
// the state lives in the database, so that every instance of the server
// counts the same attempts and a restart forgets none (the stores'
// TakeLoginAttempt).

// Limits is one token bucket: Burst attempts at once, refilled at one
// attempt per Every.
type Limits struct {
	Every time.Duration // one more attempt per Every
	Burst int
}

// AccountLimits returns the default limits per account: an account may be
// tried 5 times at once and then once a minute; one client address
// (AddressLimits) 20 times at once and then once every 3 seconds (several
// people behind one NAT may log in together).
func AccountLimits() Limits { return Limits{Every: time.Minute, Burst: 5} }

// AddressLimits returns the default limits per client address; see AccountLimits.
func AddressLimits() Limits { return Limits{Every: 3 * time.Second, Burst: 20} }

// Take decides one attempt at now from a bucket with limits l. A bucket's
// state is one instant, full: when the bucket is full again. Until then it
// holds Burst - (full-now)/Every tokens; at or after it (and for the zero
// time, the state of a bucket never stored) it is full, so a bucket whose
// full has passed is the same as none and may be deleted. If the bucket
// holds a token, Take returns the state after taking it and true; if not,
// full unchanged, false and how long until it holds one.
func (l Limits) Take(full, now time.Time) (next time.Time, ok bool, wait time.Duration) {
	start := full
	if start.Before(now) {
		start = now
	}
	next = start.Add(l.Every)
	if over := next.Sub(now) - time.Duration(l.Burst)*l.Every; over > 0 {
		return full, false, over
	}
	return next, true, 0
}

// LoginLimits are the buckets a login attempt takes from: one per account
// and one per client address.
type LoginLimits struct {
	Account Limits
	Address Limits
}

// DefaultLoginLimits returns AccountLimits and AddressLimits.
func DefaultLoginLimits() LoginLimits {
	return LoginLimits{Account: AccountLimits(), Address: AddressLimits()}
}

// LoginBuckets is the stored state of a login attempt's two buckets: the
// instants they are full again (see Limits.Take).
type LoginBuckets struct {
	Account time.Time
	Address time.Time
}

// Take decides one login attempt at now. It is allowed when both buckets
// hold a token, and then takes one from each; it is refused when either is
// empty, and then neither changes (an attempt refused for its address
// costs the account nothing, so an attacker's address cannot drain the
// buckets of the accounts it tries), and the wait is how long until both
// hold a token, at least a second.
func (l LoginLimits) Take(b LoginBuckets, now time.Time) (LoginBuckets, bool, time.Duration) {
	acct, okAcct, waitAcct := l.Account.Take(b.Account, now)
	addr, okAddr, waitAddr := l.Address.Take(b.Address, now)
	if !okAcct || !okAddr {
		return b, false, max(waitAcct, waitAddr, time.Second)
	}
	return LoginBuckets{Account: acct, Address: addr}, true, 0
}

// LoginKeys are the keys a login attempt's buckets are stored under: the
// SHA-256 digests (hex) of the account key and of the address key, so that
// the stored throttle holds no email or address in the clear (nor a
// password typed into the email field).
type LoginKeys struct {
	Account string
	Address string
}

// NewLoginKeys returns the keys of an attempt to log in as email from the
// client address. The account key is the email, case-folded and trimmed,
// whether or not such an account exists, so that unknown and known
// accounts are throttled alike; the address key is AddressKey(address).
func NewLoginKeys(email, address string) LoginKeys {
	return LoginKeys{
		Account: keyDigest(strings.ToLower(strings.TrimSpace(email))),
		Address: keyDigest(AddressKey(address)),
	}
}

func keyDigest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// ThrottlePurge is how many stale buckets (full again, so the same as
// none) a store deletes at most in each TakeLoginAttempt. An attempt
// stores at most two buckets, so the stale ones cannot pile up however
// many made-up keys are sprayed, and what stays stored is the buckets of
// the attempts allowed within the last refill window (Burst × Every: 5
// minutes per account, 1 minute per address), of which each client
// address gets at most its own limits' worth.
const ThrottlePurge = 100

// AddressKey returns the key under which the login throttle counts a client
// address: an IPv4 address itself (also when written IPv4-mapped, such as
// ::ffff:192.0.2.1), and for IPv6 its /64 network, the block one subscriber
// or host usually gets whole, so rotating through the addresses of one /64
// does not buy more attempts. Zones are dropped; text that is no address is
// its own key.
func AddressKey(address string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(address))
	if err != nil {
		return address
	}
	a = a.WithZone("").Unmap()
	if a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}

// RetryAfter formats a wait for the Retry-After header: whole seconds,
// rounded up, at least 1.
func RetryAfter(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
