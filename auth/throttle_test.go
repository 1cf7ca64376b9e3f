package auth

import (
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func TestLimitsTake(t *testing.T) {
	l := Limits{Every: time.Minute, Burst: 3}
	tests := []struct {
		name     string
		full     time.Time // the stored state
		now      time.Time
		wantNext time.Time
		wantOK   bool
		wantWait time.Duration
	}{
		{"a bucket never stored is full: taking leaves it full one interval later", time.Time{}, t0, t0.Add(time.Minute), true, 0},
		{"a bucket full since long ago is the same as a new one", t0.Add(-time.Hour), t0, t0.Add(time.Minute), true, 0},
		{"a bucket full just now is the same as a new one", t0, t0, t0.Add(time.Minute), true, 0},
		{"a bucket with two tokens left gives one", t0.Add(time.Minute), t0, t0.Add(2 * time.Minute), true, 0},
		{"the last token is given", t0.Add(2 * time.Minute), t0, t0.Add(3 * time.Minute), true, 0},
		{"an empty bucket refuses for one interval, unchanged", t0.Add(3 * time.Minute), t0, t0.Add(3 * time.Minute), false, time.Minute},
		{"an empty bucket half refilled refuses for the other half", t0.Add(3 * time.Minute), t0.Add(30 * time.Second), t0.Add(3 * time.Minute), false, 30 * time.Second},
		{"an empty bucket an interval later gives one again", t0.Add(3 * time.Minute), t0.Add(time.Minute), t0.Add(4 * time.Minute), true, 0},
		{"a bucket emptied long ahead refuses until its last interval", t0.Add(10 * time.Minute), t0, t0.Add(10 * time.Minute), false, 8 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ok, wait := l.Take(tt.full, tt.now)
			if !next.Equal(tt.wantNext) || ok != tt.wantOK || wait != tt.wantWait {
				t.Errorf("Take(%s, %s) = %s, %v, %s; want %s, %v, %s", tt.full, tt.now, next, ok, wait, tt.wantNext, tt.wantOK, tt.wantWait)
			}
		})
	}
	t.Run("a bucket with no burst refuses every attempt", func(t *testing.T) {
		if _, ok, wait := (Limits{Every: time.Second}).Take(time.Time{}, t0); ok || wait != time.Second {
			t.Errorf("ok=%v wait=%s", ok, wait)
		}
	})
}

func TestLoginLimitsTake(t *testing.T) {
	l := LoginLimits{Account: Limits{Every: time.Minute, Burst: 2}, Address: Limits{Every: 10 * time.Second, Burst: 2}}
	tests := []struct {
		name     string
		b        LoginBuckets
		want     LoginBuckets
		wantOK   bool
		wantWait time.Duration
	}{
		{"two fresh buckets each give a token", LoginBuckets{}, LoginBuckets{t0.Add(time.Minute), t0.Add(10 * time.Second)}, true, 0},
		{"an empty account refuses and the address keeps its token", LoginBuckets{t0.Add(2 * time.Minute), t0},
			LoginBuckets{t0.Add(2 * time.Minute), t0}, false, time.Minute},
		{"an empty address refuses and the account keeps its token", LoginBuckets{t0, t0.Add(20 * time.Second)},
			LoginBuckets{t0, t0.Add(20 * time.Second)}, false, 10 * time.Second},
		{"both empty: the wait is the longer one", LoginBuckets{t0.Add(2 * time.Minute), t0.Add(20 * time.Second)},
			LoginBuckets{t0.Add(2 * time.Minute), t0.Add(20 * time.Second)}, false, time.Minute},
		{"a wait under a second is a second", LoginBuckets{t0, t0.Add(10*time.Second + 500*time.Millisecond)},
			LoginBuckets{t0, t0.Add(10*time.Second + 500*time.Millisecond)}, false, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, wait := l.Take(tt.b, t0)
			if !got.Account.Equal(tt.want.Account) || !got.Address.Equal(tt.want.Address) || ok != tt.wantOK || wait != tt.wantWait {
				t.Errorf("Take(%+v) = %+v, %v, %s; want %+v, %v, %s", tt.b, got, ok, wait, tt.want, tt.wantOK, tt.wantWait)
			}
		})
	}
}

// throttle is the decision over a map, as a store keeps the buckets, for
// the scenarios below.
type throttle struct {
	limits LoginLimits
	now    time.Time
	state  map[string]time.Time
}

func newThrottle(account, address Limits) *throttle {
	return &throttle{limits: LoginLimits{Account: account, Address: address}, now: t0, state: map[string]time.Time{}}
}

func (th *throttle) allow(email, address string) (bool, time.Duration) {
	k := NewLoginKeys(email, address)
	b, ok, wait := th.limits.Take(LoginBuckets{Account: th.state["account "+k.Account], Address: th.state["address "+k.Address]}, th.now)
	if ok {
		th.state["account "+k.Account], th.state["address "+k.Address] = b.Account, b.Address
	}
	return ok, wait
}

func TestLoginThrottle(t *testing.T) {
	t.Run("an account is limited whatever the address", func(t *testing.T) {
		th := newThrottle(Limits{Every: time.Minute, Burst: 3}, Limits{Every: time.Second, Burst: 100})
		for i := range 3 {
			if ok, _ := th.allow("Ann@Example.org", fmt.Sprintf("10.0.0.%d", i)); !ok {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		ok, wait := th.allow(" ann@example.org", "10.0.0.99")
		if ok || wait < 59*time.Second || wait > time.Minute {
			t.Fatalf("fourth attempt: ok=%v wait=%s", ok, wait)
		}
	})
	t.Run("an address is limited whatever the account", func(t *testing.T) {
		th := newThrottle(Limits{Every: time.Minute, Burst: 100}, Limits{Every: 10 * time.Second, Burst: 2})
		th.allow("a@x.org", "10.0.0.1")
		th.allow("b@x.org", "10.0.0.1")
		if ok, wait := th.allow("c@x.org", "10.0.0.1"); ok || wait != 10*time.Second {
			t.Fatalf("third account from one address: ok=%v wait=%s", ok, wait)
		}
		if ok, _ := th.allow("c@x.org", "10.0.0.2"); !ok {
			t.Fatal("another address was refused")
		}
	})
	t.Run("the buckets refill", func(t *testing.T) {
		th := newThrottle(Limits{Every: time.Minute, Burst: 1}, Limits{Every: time.Second, Burst: 100})
		th.allow("a@x.org", "h")
		if ok, _ := th.allow("a@x.org", "h"); ok {
			t.Fatal("second attempt allowed at once")
		}
		th.now = th.now.Add(time.Minute)
		if ok, _ := th.allow("a@x.org", "h"); !ok {
			t.Fatal("attempt after a minute refused")
		}
	})
}

func TestLoginKeys(t *testing.T) {
	a, b := NewLoginKeys("Ann@Example.org ", "192.0.2.7"), NewLoginKeys("ann@example.org", "::ffff:192.0.2.7")
	if a != b {
		t.Errorf("one account and address written two ways have two keys: %+v, %+v", a, b)
	}
	if c := NewLoginKeys("bob@example.org", "192.0.2.8"); c.Account == a.Account || c.Address == a.Address {
		t.Errorf("other accounts and addresses share keys: %+v, %+v", a, c)
	}
	if len(a.Account) != 64 || len(a.Address) != 64 {
		t.Errorf("keys %+v are not SHA-256 digests", a)
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
	th := newThrottle(Limits{Every: time.Minute, Burst: 100}, Limits{Every: 10 * time.Second, Burst: 3})
	for i := range 3 {
		if ok, _ := th.allow(fmt.Sprintf("u%d@x.org", i), fmt.Sprintf("2001:db8:7:7::%x", i+1)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if ok, _ := th.allow("u9@x.org", "2001:db8:7:7:ffff::9"); ok {
		t.Error("a fourth address of the same /64 got another attempt")
	}
	if ok, _ := th.allow("u9@x.org", "2001:db8:7:8::1"); !ok {
		t.Error("an address of another /64 was refused")
	}
}
