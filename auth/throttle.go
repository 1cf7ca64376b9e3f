package auth

import (
	"math"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits is one token bucket: Burst attempts at once, refilled at Every
// attempt per interval.
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

// MaxThrottleKeys bounds the memory of each limiter map.
const MaxThrottleKeys = 10000

// LoginThrottle limits login attempts per account and per client address.
// Its maps hold at most MaxKeys entries each: when full, entries whose
// bucket has refilled (they are equivalent to a fresh one) are dropped,
// and if none has, the least recently used one. It is safe for concurrent
// use.
type LoginThrottle struct {
	now      func() time.Time
	accounts *limiterMap
	address  *limiterMap
}

// ThrottleOptions configure NewLoginThrottle.
type ThrottleOptions struct {
	Account Limits           // per account; zero: AccountLimits()
	Address Limits           // per client address; zero: AddressLimits()
	Now     func() time.Time // the clock; nil: time.Now
}

// NewLoginThrottle returns a throttle with the limits opt gives.
func NewLoginThrottle(opt ThrottleOptions) *LoginThrottle {
	if opt.Account == (Limits{}) {
		opt.Account = AccountLimits()
	}
	if opt.Address == (Limits{}) {
		opt.Address = AddressLimits()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &LoginThrottle{
		now:      opt.Now,
		accounts: newLimiterMap(opt.Account, MaxThrottleKeys),
		address:  newLimiterMap(opt.Address, MaxThrottleKeys),
	}
}

// Allow takes one attempt from the account's and the address's buckets. If
// either is empty it returns false and how long until the next attempt may
// succeed. The account key is the email, case-folded and trimmed, so that
// unknown and known accounts are throttled alike; the address key is
// AddressKey(address).
func (t *LoginThrottle) Allow(email, address string) (bool, time.Duration) {
	now := t.now()
	email = strings.ToLower(strings.TrimSpace(email))
	okAddr, waitAddr := t.address.allow(AddressKey(address), now)
	okAcct, waitAcct := t.accounts.allow(email, now)
	if okAddr && okAcct {
		return true, 0
	}
	return false, max(waitAddr, waitAcct)
}

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

type limiterEntry struct {
	lim  *rate.Limiter
	used time.Time
}

type limiterMap struct {
	mu      sync.Mutex
	limits  Limits
	max     int
	entries map[string]*limiterEntry
}

func newLimiterMap(l Limits, maxKeys int) *limiterMap {
	return &limiterMap{limits: l, max: maxKeys, entries: make(map[string]*limiterEntry)}
}

func (m *limiterMap) allow(key string, now time.Time) (bool, time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok {
		if len(m.entries) >= m.max {
			m.evict(now)
		}
		e = &limiterEntry{lim: rate.NewLimiter(rate.Every(m.limits.Every), m.limits.Burst)}
		m.entries[key] = e
	}
	e.used = now
	if e.lim.AllowN(now, 1) {
		return true, 0
	}
	missing := 1 - e.lim.TokensAt(now)
	wait := time.Duration(math.Ceil(missing * float64(m.limits.Every)))
	return false, max(wait, time.Second)
}

// evict drops every entry whose bucket is full again; if none is, it drops
// the least recently used entry.
func (m *limiterMap) evict(now time.Time) {
	var oldestKey string
	var oldest time.Time
	for k, e := range m.entries {
		if e.lim.TokensAt(now) >= float64(m.limits.Burst) {
			delete(m.entries, k)
			continue
		}
		if oldestKey == "" || e.used.Before(oldest) {
			oldestKey, oldest = k, e.used
		}
	}
	if len(m.entries) >= m.max && oldestKey != "" {
		delete(m.entries, oldestKey)
	}
}

// RetryAfter formats a wait for the Retry-After header: whole seconds,
// rounded up, at least 1.
func RetryAfter(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
