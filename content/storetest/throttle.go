package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"dateline/auth"
)

// The contracts of the login throttle: its buckets live in the store, so
// that every instance counts the same attempts and a restart forgets none.

func throttleContracts() []contract {
	return []contract{
		{"a login bucket gives its burst, then refuses with the wait until its next token", throttleBurst},
		{"login buckets refill over time, up to their burst", throttleRefill},
		{"accounts and addresses are counted apart, and a refused attempt costs neither", throttleApart},
		{"attempts racing for the last tokens take exactly the burst", throttleRace},
		{"buckets full again are deleted, so a spray of new keys keeps the table bounded", throttleCleanup},
	}
}

// take takes one attempt for email from address at the suite's time and
// fails the test on error.
func (e *env) take(l auth.LoginLimits, email, address string) (bool, time.Duration) {
	e.t.Helper()
	ok, wait, err := e.s.TakeLoginAttempt(e.ctx(), auth.NewLoginKeys(email, address), l, e.now)
	if err != nil {
		e.t.Fatalf("take a login attempt for %s from %s: %v", email, address, err)
	}
	return ok, wait
}

// buckets returns how many throttle buckets the store holds.
func (e *env) buckets() int {
	e.t.Helper()
	n, err := e.s.LoginThrottleBuckets(e.ctx())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

var (
	perAccount = auth.LoginLimits{Account: auth.Limits{Every: time.Minute, Burst: 3}, Address: auth.Limits{Every: time.Second, Burst: 1000}}
	perAddress = auth.LoginLimits{Account: auth.Limits{Every: time.Minute, Burst: 1000}, Address: auth.Limits{Every: 10 * time.Second, Burst: 3}}
)

func throttleBurst(t *testing.T, e *env) {
	for i := range 3 {
		if ok, wait := e.take(perAccount, "Ann@Harbour.example", fmt.Sprintf("192.0.2.%d", i)); !ok {
			t.Fatalf("attempt %d refused (wait %s)", i+1, wait)
		}
	}
	// The same account, written otherwise, from yet another address.
	if ok, wait := e.take(perAccount, " ann@harbour.example", "192.0.2.99"); ok || wait != time.Minute {
		t.Fatalf("attempt 4: ok=%v wait=%s, want refused for 1m0s", ok, wait)
	}
	e.now = e.now.Add(20 * time.Second)
	if ok, wait := e.take(perAccount, "ann@harbour.example", "192.0.2.99"); ok || wait != 40*time.Second {
		t.Fatalf("20 s later: ok=%v wait=%s, want refused for 40s", ok, wait)
	}
}

func throttleRefill(t *testing.T, e *env) {
	for range 3 {
		e.take(perAccount, "ben@harbour.example", "192.0.2.1")
	}
	e.now = e.now.Add(time.Minute)
	if ok, _ := e.take(perAccount, "ben@harbour.example", "192.0.2.1"); !ok {
		t.Fatal("the token refilled after a minute was refused")
	}
	if ok, wait := e.take(perAccount, "ben@harbour.example", "192.0.2.1"); ok || wait != time.Minute {
		t.Fatalf("a second attempt after one minute: ok=%v wait=%s, want refused for 1m0s", ok, wait)
	}
	e.now = e.now.Add(time.Hour) // full again, and no fuller
	for i := range 3 {
		if ok, _ := e.take(perAccount, "ben@harbour.example", "192.0.2.1"); !ok {
			t.Fatalf("attempt %d of the refilled bucket refused", i+1)
		}
	}
	if ok, _ := e.take(perAccount, "ben@harbour.example", "192.0.2.1"); ok {
		t.Fatal("a bucket refilled for an hour gave more than its burst")
	}
}

func throttleApart(t *testing.T, e *env) {
	both := auth.LoginLimits{Account: auth.Limits{Every: time.Minute, Burst: 2}, Address: auth.Limits{Every: 10 * time.Second, Burst: 3}}
	e.take(both, "cai@harbour.example", "192.0.2.1")
	e.take(both, "cai@harbour.example", "192.0.2.1")
	if ok, _ := e.take(both, "cai@harbour.example", "192.0.2.1"); ok {
		t.Fatal("a third attempt for an account of burst 2")
	}
	// The refused attempt took nothing from the address: one token left.
	if ok, _ := e.take(both, "dee@harbour.example", "192.0.2.1"); !ok {
		t.Fatal("another account from the same address was refused")
	}
	if ok, wait := e.take(both, "eli@harbour.example", "192.0.2.1"); ok || wait != 10*time.Second {
		t.Fatalf("a fourth attempt from an address of burst 3: ok=%v wait=%s, want refused for 10s", ok, wait)
	}
	// The refused attempt took nothing from eli's account: its whole burst
	// is there from another address.
	for i := range 2 {
		if ok, _ := e.take(both, "eli@harbour.example", "192.0.2.2"); !ok {
			t.Fatalf("attempt %d for eli from another address refused", i+1)
		}
	}
	// An IPv6 /64 is one address.
	for i := range 3 {
		e.take(perAddress, fmt.Sprintf("v6-%d@harbour.example", i), fmt.Sprintf("2001:db8:5:5::%x", i+1))
	}
	if ok, _ := e.take(perAddress, "v6-9@harbour.example", "2001:db8:5:5:ffff::1"); ok {
		t.Error("a fourth address of one /64 got an attempt")
	}
	if ok, _ := e.take(perAddress, "v6-9@harbour.example", "2001:db8:5:6::1"); !ok {
		t.Error("an address of the next /64 was refused")
	}
}

func throttleRace(t *testing.T, e *env) {
	const racers = 24
	race := func(l auth.LoginLimits, email, address func(i int) string) (allowed int) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		start := make(chan struct{})
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ok, _, err := e.s.TakeLoginAttempt(e.ctx(), auth.NewLoginKeys(email(i), address(i)), l, e.now)
				if err != nil {
					t.Errorf("racer %d: %v", i, err)
					return
				}
				if ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		return allowed
	}
	// Two tokens are taken first, so the racers share the last one.
	e.take(perAccount, "fox@harbour.example", "192.0.2.200")
	e.take(perAccount, "fox@harbour.example", "192.0.2.201")
	if n := race(perAccount, func(int) string { return "fox@harbour.example" },
		func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }); n != 1 {
		t.Errorf("%d racers for one account's last token were allowed, want 1", n)
	}
	if n := race(perAddress, func(i int) string { return fmt.Sprintf("racer%d@harbour.example", i) },
		func(int) string { return "203.0.113.9" }); n != 3 {
		t.Errorf("%d racers from one address of burst 3 were allowed, want 3", n)
	}
}

func throttleCleanup(t *testing.T, e *env) {
	l := auth.LoginLimits{Account: auth.Limits{Every: time.Second, Burst: 2}, Address: auth.Limits{Every: time.Second, Burst: 2}}
	// A spray of new accounts and addresses, 50 a second for 20 s: the
	// store never holds more buckets than the attempts of the last refill
	// window (Burst × Every, 2 s: 100 attempts) have, two each.
	const perSecond, seconds = 50, 20
	most := 0
	for i := range perSecond * seconds {
		e.take(l, fmt.Sprintf("spray%d@harbour.example", i), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		e.now = e.now.Add(time.Second / perSecond)
		if i%10 == 0 {
			most = max(most, e.buckets())
		}
	}
	t.Logf("a spray of %d new keys, %d a second: at most %d buckets stored", perSecond*seconds, perSecond, most)
	if bound := 2 * 2 * perSecond; most > bound {
		t.Errorf("a spray of %d keys left up to %d buckets stored, want at most %d", perSecond*seconds, most, bound)
	}
	// A burst of buckets, then their refill: the attempts that follow
	// delete them, and keep their own.
	for i := range 600 {
		e.take(l, fmt.Sprintf("burst%d@harbour.example", i), fmt.Sprintf("172.16.%d.%d", i>>8, i&255))
	}
	if n := e.buckets(); n < 1200 {
		t.Fatalf("%d buckets after 600 attempts with new keys, want at least 1200", n)
	}
	e.now = e.now.Add(time.Minute)
	const after = 20
	for i := range after {
		e.take(l, fmt.Sprintf("late%d@harbour.example", i), fmt.Sprintf("192.168.0.%d", i))
	}
	if n := e.buckets(); n != 2*after {
		t.Errorf("%d buckets stored, want the %d of the last %d attempts: the full ones were not all deleted", n, 2*after, after)
	}
	// A deleted bucket is a full one.
	for range 2 {
		if ok, _ := e.take(l, "burst0@harbour.example", "172.16.0.0"); !ok {
			t.Fatal("an attempt for a deleted bucket was refused")
		}
	}
}
