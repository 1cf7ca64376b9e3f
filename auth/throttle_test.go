package auth

import (
	"fmt"
	"testing"
	"time"
)

func frozenThrottle(account, address Limits) (*LoginThrottle, *time.Time) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	th := NewLoginThrottle(ThrottleOptions{Account: account, Address: address, Now: func() time.Time { return now }})
	return th, &now
}

func TestLoginThrottle(t *testing.T) {
	t.Run("an account is limited whatever the address", func(t *testing.T) {
		th, _ := frozenThrottle(Limits{Every: time.Minute, Burst: 3}, Limits{Every: time.Second, Burst: 100})
		for i := range 3 {
			if ok, _ := th.Allow("Ann@Example.org", fmt.Sprintf("10.0.0.%d", i)); !ok {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		ok, wait := th.Allow(" ann@example.org", "10.0.0.99")
		if ok || wait < 59*time.Second || wait > time.Minute {
			t.Fatalf("fourth attempt: ok=%v wait=%s", ok, wait)
		}
	})
	t.Run("an address is limited whatever the account", func(t *testing.T) {
		th, _ := frozenThrottle(Limits{Every: time.Minute, Burst: 100}, Limits{Every: 10 * time.Second, Burst: 2})
		th.Allow("a@x.org", "10.0.0.1")
		th.Allow("b@x.org", "10.0.0.1")
		if ok, wait := th.Allow("c@x.org", "10.0.0.1"); ok || wait != 10*time.Second {
			t.Fatalf("third account from one address: ok=%v wait=%s", ok, wait)
		}
		if ok, _ := th.Allow("c@x.org", "10.0.0.2"); !ok {
			t.Fatal("another address was refused")
		}
	})
	t.Run("the buckets refill", func(t *testing.T) {
		th, now := frozenThrottle(Limits{Every: time.Minute, Burst: 1}, Limits{Every: time.Second, Burst: 100})
		th.Allow("a@x.org", "h")
		if ok, _ := th.Allow("a@x.org", "h"); ok {
			t.Fatal("second attempt allowed at once")
		}
		*now = now.Add(time.Minute)
		if ok, _ := th.Allow("a@x.org", "h"); !ok {
			t.Fatal("attempt after a minute refused")
		}
	})
}

func TestLimiterMapIsBounded(t *testing.T) {
	m := newLimiterMap(Limits{Every: time.Minute, Burst: 2}, 100)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range 1000 {
		m.allow(fmt.Sprint("key", i), now.Add(time.Duration(i)*time.Millisecond))
	}
	if n := len(m.entries); n > 100 {
		t.Fatalf("%d entries, want at most 100", n)
	}
	if _, ok := m.entries["key999"]; !ok {
		t.Error("the newest key was evicted")
	}
	if _, ok := m.entries["key0"]; ok {
		t.Error("the least recently used key survived")
	}
	// Entries whose bucket is full again are equivalent to new ones and go
	// first.
	later := now.Add(time.Hour)
	m.allow("fresh", later)
	if n := len(m.entries); n != 1 {
		t.Errorf("after every bucket refilled, %d entries remain, want 1", n)
	}
}

func TestRetryAfterRoundsUp(t *testing.T) {
	for d, want := range map[time.Duration]int{0: 1, 1500 * time.Millisecond: 2, time.Minute: 60} {
		if got := RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%s) = %d, want %d", d, got, want)
		}
	}
}

func TestAddressKey(t *testing.T) {
	tests := []struct {
		name, address, want string
	}{
		{"an IPv4 address is its own key", "192.0.2.7", "192.0.2.7"},
		{"an IPv4-mapped IPv6 address is keyed as IPv4", "::ffff:192.0.2.7", "192.0.2.7"},
		{"an IPv6 address is keyed by its /64", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
		{"another address of the same /64 has the same key", "2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"a neighbouring /64 has its own key", "2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"a zone is dropped", "fe80::1%eth0", "fe80::/64"},
		{"text that is no address is its own key", "unix-socket", "unix-socket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AddressKey(tt.address); got != tt.want {
				t.Errorf("AddressKey(%q) = %q, want %q", tt.address, got, tt.want)
			}
		})
	}
}

func TestAnIPv6SubscriberIsLimitedAcrossTheirSlash64(t *testing.T) {
	th, _ := frozenThrottle(Limits{Every: time.Minute, Burst: 100}, Limits{Every: 10 * time.Second, Burst: 3})
	for i := range 3 {
		if ok, _ := th.Allow(fmt.Sprintf("u%d@x.org", i), fmt.Sprintf("2001:db8:7:7::%x", i+1)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if ok, _ := th.Allow("u9@x.org", "2001:db8:7:7:ffff::9"); ok {
		t.Error("a fourth address of the same /64 got another attempt")
	}
	if ok, _ := th.Allow("u9@x.org", "2001:db8:7:8::1"); !ok {
		t.Error("an address of another /64 was refused")
	}
}
