package webhook_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
	"dateline/content/webhook"
)

// clock is a test clock the dispatcher and the store share.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock() *clock               { return &clock{t: time.Now().UTC().Truncate(time.Second)} }
func quiet() *slog.Logger            { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
func open(tb testing.TB, path string, c *clock) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{Zone: "Europe/Lisbon", Now: c.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// receiver records what it gets and answers with the next status of its
// script (200 once the script runs out).
type receiver struct {
	mu     sync.Mutex
	script []int
	got    []*http.Request
	bodies [][]byte
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, req)
	r.bodies = append(r.bodies, b)
	status := http.StatusOK
	if len(r.script) > 0 {
		status, r.script = r.script[0], r.script[1:]
	}
	w.WriteHeader(status)
}

func (r *receiver) count() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.got) }

func newDispatcher(db *sqlite.DB, c *clock, allowPrivate bool) *webhook.Dispatcher {
	return webhook.New(db, webhook.Options{
		AllowPrivate: allowPrivate,
		Timeout:      2 * time.Second,
		Backoff:      []time.Duration{time.Second, 2 * time.Second},
		MaxAttempts:  4,
		Now:          c.Now,
		Log:          quiet(),
	})
}

func publishOne(tb testing.TB, db *sqlite.DB, headline string) *content.Article {
	tb.Helper()
	ctx := context.Background()
	a, err := db.CreateArticle(ctx, content.Edit{Headline: headline, Body: "Text."}, "")
	if err != nil {
		tb.Fatal(err)
	}
	a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func hook(tb testing.TB, db *sqlite.DB, url string, events ...string) *content.Webhook {
	tb.Helper()
	if events == nil {
		events = []string{}
	}
	w, err := db.CreateWebhook(context.Background(), content.WebhookEdit{URL: &url, Events: &events})
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

func deliveries(tb testing.TB, db *sqlite.DB, hookID string) []content.Delivery {
	tb.Helper()
	ds, err := db.Deliveries(context.Background(), content.DeliveryFilter{WebhookID: hookID})
	if err != nil {
		tb.Fatal(err)
	}
	return ds
}

func TestRetriesUntilDeliveredWithOneStableIDAndValidSignatures(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	path := filepath.Join(t.TempDir(), "d.db")
	db := open(t, path, c)
	rcv := &receiver{script: []int{500, 500}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	h := hook(t, db, srv.URL+"/hook")
	a := publishOne(t, db, "Harbour reopens")

	d := newDispatcher(db, c, true)
	if err := d.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if rcv.count() != 1 {
		t.Fatalf("first run sent %d requests, want 1", rcv.count())
	}
	ds := deliveries(t, db, h.ID)
	if len(ds) != 1 || ds[0].Status != content.DeliveryPending || ds[0].Attempts != 1 || ds[0].LastStatusCode != 500 || ds[0].NextAttemptAt == nil {
		t.Fatalf("after a 500: %+v", ds)
	}
	if err := d.RunOnce(ctx); err != nil || rcv.count() != 1 {
		t.Fatalf("a retry was sent before its backoff: %d requests, %v", rcv.count(), err)
	}

	// The second attempt also fails; then the dispatcher is replaced (a
	// restart, with a fresh connection to the same file) mid-retry.
	c.Add(time.Second)
	if err := d.RunOnce(ctx); err != nil || rcv.count() != 2 {
		t.Fatalf("second attempt: %d requests, %v", rcv.count(), err)
	}
	db2 := open(t, path, c)
	d2 := newDispatcher(db2, c, true)
	c.Add(2 * time.Second)
	if err := d2.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if rcv.count() != 3 {
		t.Fatalf("after the restart: %d requests, want 3", rcv.count())
	}
	c.Add(time.Hour)
	if err := d2.RunOnce(ctx); err != nil || rcv.count() != 3 {
		t.Fatalf("a delivered message was sent again: %d requests", rcv.count())
	}

	ds = deliveries(t, db2, h.ID)
	if len(ds) != 1 || ds[0].Status != content.DeliveryDelivered || ds[0].Attempts != 3 || ds[0].DeliveredAt == nil {
		t.Fatalf("delivery log: %+v", ds)
	}
	for i, req := range rcv.got {
		if req.Header.Get("webhook-id") != ds[0].ID {
			t.Errorf("attempt %d: webhook-id %q, want %q", i, req.Header.Get("webhook-id"), ds[0].ID)
		}
		if err := webhook.Verify(h.Secret, req.Header, rcv.bodies[i], c.Now(), 2*time.Hour); err != nil {
			t.Errorf("attempt %d: signature: %v", i, err)
		}
		if err := webhook.Verify(h.Secret, req.Header, append(rcv.bodies[i], ' '), c.Now(), time.Hour); err == nil {
			t.Errorf("attempt %d: a changed body verified", i)
		}
		if string(rcv.bodies[i]) != string(rcv.bodies[0]) {
			t.Errorf("attempt %d sent another body", i)
		}
	}
	body := string(rcv.bodies[0])
	for _, want := range []string{`"type":"article.published"`, `"id":"` + a.ID + `"`, `"slug":"harbour-reopens"`, `"timestamp":"`} {
		if !strings.Contains(body, want) {
			t.Errorf("body %s lacks %s", body, want)
		}
	}
}

func TestDeliveryOutcomes(t *testing.T) {
	tests := []struct {
		name         string
		script       []int
		allowPrivate bool
		runs         int
		wantRequests int
		wantStatus   content.DeliveryStatus
		wantActive   bool
		wantError    string
	}{
		{"410 Gone disables the hook", []int{410}, true, 3, 1, content.DeliveryFailed, false, "410"},
		{"a receiver that keeps failing is given up after the last attempt", []int{500, 500, 500, 500, 500}, true, 8, 4, content.DeliveryFailed, true, "HTTP 500"},
		{"a loopback target is refused when private targets are not allowed", nil, false, 3, 0, content.DeliveryFailed, true, "private"},
		{"a loopback target is delivered when private targets are allowed", nil, true, 1, 1, content.DeliveryDelivered, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			c := newClock()
			db := open(t, filepath.Join(t.TempDir(), "d.db"), c)
			rcv := &receiver{script: tt.script}
			srv := httptest.NewServer(rcv)
			defer srv.Close()
			h := hook(t, db, srv.URL)
			publishOne(t, db, "One")
			d := newDispatcher(db, c, tt.allowPrivate)
			for range tt.runs {
				if err := d.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
				c.Add(time.Minute)
			}
			if rcv.count() != tt.wantRequests {
				t.Errorf("requests = %d, want %d", rcv.count(), tt.wantRequests)
			}
			ds := deliveries(t, db, h.ID)
			if len(ds) != 1 || ds[0].Status != tt.wantStatus || !strings.Contains(ds[0].LastError, tt.wantError) {
				t.Fatalf("delivery = %+v", ds)
			}
			w, _ := db.Webhook(ctx, h.ID)
			if w.Active != tt.wantActive {
				t.Errorf("hook active = %v, want %v (%s)", w.Active, tt.wantActive, w.DisabledReason)
			}
			if !tt.wantActive {
				publishOne(t, db, "Two")
				d.RunOnce(ctx)
				if rcv.count() != tt.wantRequests {
					t.Errorf("a disabled hook got another request")
				}
			}
		})
	}
}

func TestFanOutRespectsSubscriptionsAndHappensOnce(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	path := filepath.Join(t.TempDir(), "d.db")
	db := open(t, path, c)
	publishOne(t, db, "Before any hook")
	all := hook(t, db, "https://a.example.org/h")
	onlyWithdrawals := hook(t, db, "https://b.example.org/h", content.EventUnpublished)
	a := publishOne(t, db, "After the hooks")
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	// Two stores on one file fan out concurrently: still one delivery per
	// event and hook.
	db2 := open(t, path, c)
	var wg sync.WaitGroup
	for _, s := range []*sqlite.DB{db, db2, db, db2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.FanOutEvents(ctx, 1); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for range 3 {
		if _, err := db.FanOutEvents(ctx, 100); err != nil {
			t.Fatal(err)
		}
	}
	if got := deliveries(t, db, all.ID); len(got) != 2 {
		t.Errorf("the all-events hook has %d deliveries, want 2 (published, unpublished after it was made)", len(got))
	}
	got := deliveries(t, db, onlyWithdrawals.ID)
	if len(got) != 1 || got[0].Event.Type != content.EventUnpublished {
		t.Errorf("the withdrawals hook has %+v", got)
	}
}

func TestClaimLeasesSoTwoDispatchersNeverSendTogether(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	db := open(t, filepath.Join(t.TempDir(), "d.db"), c)
	hook(t, db, "https://a.example.org/h")
	publishOne(t, db, "One")
	if _, err := db.FanOutEvents(ctx, 10); err != nil {
		t.Fatal(err)
	}
	first, err := db.ClaimDeliveries(ctx, c.Now(), time.Minute, 10)
	if err != nil || len(first) != 1 || first[0].URL == "" || first[0].Secret == "" {
		t.Fatalf("first claim: %+v %v", first, err)
	}
	if again, _ := db.ClaimDeliveries(ctx, c.Now(), time.Minute, 10); len(again) != 0 {
		t.Fatalf("a leased delivery was claimed again")
	}
	c.Add(2 * time.Minute)
	if after, _ := db.ClaimDeliveries(ctx, c.Now(), time.Minute, 10); len(after) != 1 || after[0].ID != first[0].ID || after[0].Attempts != 2 {
		t.Fatalf("after the lease ran out (a crashed sender): %+v", after)
	}
}

func TestSignMatchesTheStandardWebhooksExample(t *testing.T) {
	// The example of the Standard Webhooks specification.
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"test": 2432232314}`)
	sig, err := webhook.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), body)
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; sig != want {
		t.Errorf("signature %s, want %s", sig, want)
	}
}

func TestOnlyPublicAddressesAreDialled(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"93.184.216.34:443", true},
		{"[2606:4700::1]:443", true},
		{"127.0.0.1:80", false},
		{"10.1.2.3:80", false},
		{"172.16.0.1:80", false},
		{"192.168.1.1:80", false},
		{"169.254.169.254:80", false},
		{"100.64.0.1:80", false},
		{"0.0.0.0:80", false},
		{"224.0.0.1:80", false},
		{"[::1]:80", false},
		{"[fd00::1]:80", false},
		{"[fe80::1]:80", false},
		{"[::ffff:127.0.0.1]:80", false},
		{"[::]:80", false},
	}
	d := webhook.Dialer(false, time.Second)
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := d.Control("tcp", tt.addr, nil)
			if (err == nil) != tt.ok {
				t.Errorf("dialling %s: err = %v, want allowed %v", tt.addr, err, tt.ok)
			}
		})
	}
	if webhook.Dialer(true, time.Second).Control != nil {
		t.Error("allowing private targets still checks addresses")
	}
	_ = netip.Addr{}
}
