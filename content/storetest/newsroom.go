package storetest

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"dateline/auth"
	"dateline/content"
)

// The contracts of edit locks, webhooks and their deliveries, and media
// metadata: what the editor, the webhook dispatcher and the media library
// rely on.

func newsroomContracts() []contract {
	return []contract{
		{"an edit lock belongs to one user until it expires, is released or taken over", editLocks},
		{"an event is fanned out to each webhook that wants it exactly once", fanOutOnce},
		{"a due delivery claimed by many at once is sent by one; a failed one comes back when its retry is due", claimDeliveries},
		{"media metadata is kept, updated and its uses are listed", mediaMetadata},
	}
}

func editLocks(t *testing.T, e *env) {
	ann, ben := e.user("Ann Editor", auth.RoleEditor), e.user("Ben Editor", auth.RoleEditor)
	a := e.draft(ready("Dredging starts at the north quay"))
	if _, err := e.s.Lock(e.ctx(), a.ID); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("a story nobody edits has a lock: %v", err)
	}
	l, err := e.s.AcquireLock(e.ctx(), a.ID, ann.ID, false)
	if err != nil || l.UserID != ann.ID || l.UserName != ann.Name {
		t.Fatalf("acquire: %+v, %v", l, err)
	}
	var locked *content.LockedError
	if _, err := e.s.AcquireLock(e.ctx(), a.ID, ben.ID, false); !errors.As(err, &locked) || locked.Lock.UserID != ann.ID {
		t.Fatalf("a second editor got the lock: %v", err)
	}
	wantCode(t, locked, content.ECONFLICT)
	if err := e.s.ReleaseLock(e.ctx(), a.ID, ben.ID, false); !errors.As(err, &locked) {
		t.Errorf("a non-holder released the lock: %v", err)
	}

	e.at(e.now.Add(content.LockTTL / 2))
	if _, err := e.s.HeartbeatLock(e.ctx(), a.ID, ann.ID); err != nil {
		t.Fatal(err)
	}
	e.at(e.now.Add(content.LockTTL - time.Second))
	if _, err := e.s.Lock(e.ctx(), a.ID); err != nil {
		t.Fatalf("the heartbeat did not keep the lock: %v", err)
	}

	if l, err = e.s.AcquireLock(e.ctx(), a.ID, ben.ID, true); err != nil || l.UserID != ben.ID {
		t.Fatalf("take over: %+v, %v", l, err)
	}
	if _, err := e.s.HeartbeatLock(e.ctx(), a.ID, ann.ID); !errors.As(err, &locked) || locked.Lock.UserID != ben.ID {
		t.Errorf("the old holder's heartbeat after a take-over: %v", err)
	}

	e.at(e.now.Add(content.LockTTL + time.Second))
	if _, err := e.s.Lock(e.ctx(), a.ID); content.ErrorCode(err) != content.ENOTFOUND {
		t.Errorf("a lock without heartbeat outlived LockTTL: %v", err)
	}
	_, err = e.s.HeartbeatLock(e.ctx(), a.ID, ben.ID)
	wantCode(t, err, content.ECONFLICT)
	if _, err := e.s.AcquireLock(e.ctx(), a.ID, ann.ID, false); err != nil {
		t.Errorf("an expired lock still blocks: %v", err)
	}
	if err := e.s.ReleaseLock(e.ctx(), a.ID, ann.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Lock(e.ctx(), a.ID); content.ErrorCode(err) != content.ENOTFOUND {
		t.Errorf("a released lock is still there: %v", err)
	}
	_, err = e.s.AcquireLock(e.ctx(), "0190a000-0000-7000-8000-000000000000", ann.ID, false)
	wantCode(t, err, content.ENOTFOUND)
}

// hook creates an active webhook for events and fails the test on error.
func (e *env) hook(url string, events ...string) *content.Webhook {
	e.t.Helper()
	edit := content.WebhookEdit{URL: &url, Events: &events}
	if err := edit.Validate(true); err != nil {
		e.t.Fatal(err)
	}
	h, err := e.s.CreateWebhook(e.ctx(), edit)
	if err != nil {
		e.t.Fatalf("create webhook %s: %v", url, err)
	}
	return h
}

// fanOut fans out every event and returns the deliveries of hook.
func (e *env) fanOut(h *content.Webhook) []content.Delivery {
	e.t.Helper()
	for {
		n, err := e.s.FanOutEvents(e.ctx(), 2)
		if err != nil {
			e.t.Fatal(err)
		}
		if n < 2 {
			break
		}
	}
	ds, err := e.s.Deliveries(e.ctx(), content.DeliveryFilter{WebhookID: h.ID, Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return ds
}

func fanOutOnce(t *testing.T, e *env) {
	all := e.hook("https://hooks.example.org/all")
	withdrawals := e.hook("https://hooks.example.org/withdrawals", content.EventUnpublished)
	a := e.published("Lighthouse keeper retires")
	e.change(a, content.StatusChange{To: content.StatusUnpublished})
	if got := len(e.fanOut(all)); got != 2 {
		t.Errorf("the hook for every event has %d deliveries, want 2", got)
	}
	ds := e.fanOut(withdrawals)
	if len(ds) != 1 || ds[0].Event.Type != content.EventUnpublished || ds[0].Event.ArticleID != a.ID {
		t.Fatalf("the withdrawals hook has %+v", ds)
	}
	if ds[0].Status != content.DeliveryPending {
		t.Errorf("a new delivery is %s, want pending", ds[0].Status)
	}
	if got := len(e.fanOut(all)); got != 2 {
		t.Errorf("fanning out again made %d deliveries, want still 2", got)
	}
	later := e.hook("https://hooks.example.org/later")
	if got := len(e.fanOut(later)); got != 0 {
		t.Errorf("a hook made after the events got %d of them", got)
	}
}

func claimDeliveries(t *testing.T, e *env) {
	h := e.hook("https://hooks.example.org/builds")
	e.published("Tide tables for the new season")
	if ds := e.fanOut(h); len(ds) != 1 {
		t.Fatalf("%d deliveries, want 1", len(ds))
	}
	const claimers = 8
	var mu sync.Mutex
	var claimed []content.Delivery
	var wg sync.WaitGroup
	for range claimers {
		wg.Go(func() {
			ds, err := e.s.ClaimDeliveries(e.ctx(), e.now, time.Minute, 10)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			claimed = append(claimed, ds...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(claimed) != 1 {
		t.Fatalf("%d claims of one delivery by %d claimers, want 1", len(claimed), claimers)
	}
	d := claimed[0]
	if d.URL != "https://hooks.example.org/builds" || d.Secret == "" || d.Attempts != 1 {
		t.Errorf("a claimed delivery lacks what the sender needs: %+v", d)
	}
	if ds, _ := e.s.ClaimDeliveries(e.ctx(), e.now.Add(30*time.Second), time.Minute, 10); len(ds) != 0 {
		t.Errorf("a leased delivery was claimed again before its lease ended")
	}

	retry := e.now.Add(5 * time.Minute)
	// The receiver's error page runs long, in Cyrillic: the delivery keeps
	// its first 500 bytes, cut between two characters.
	long := "503 Service Unavailable: " + strings.Repeat("ошибка ", 60)
	if err := e.s.FinishDelivery(e.ctx(), d.ID, content.Attempt{At: e.now, StatusCode: 503, Err: long, RetryAt: &retry}); err != nil {
		t.Fatal(err)
	}
	if got, err := e.s.Deliveries(e.ctx(), content.DeliveryFilter{WebhookID: h.ID}); err != nil || len(got) != 1 ||
		!utf8.ValidString(got[0].LastError) || len(got[0].LastError) > content.MaxAttemptError || !strings.HasPrefix(long, got[0].LastError) || len(got[0].LastError) < 490 {
		t.Errorf("after a failed attempt with a long error: %+v, %v", got, err)
	}
	if next, ok, err := e.s.NextDeliveryAt(e.ctx()); err != nil || !ok || !next.Equal(retry) {
		t.Errorf("NextDeliveryAt = %s, %v, %v; want %s", next, ok, err, retry)
	}
	if ds, _ := e.s.ClaimDeliveries(e.ctx(), retry.Add(-time.Second), time.Minute, 10); len(ds) != 0 {
		t.Errorf("a delivery was claimed before its retry was due")
	}
	ds, err := e.s.ClaimDeliveries(e.ctx(), retry, time.Minute, 10)
	if err != nil || len(ds) != 1 || ds[0].Attempts != 2 {
		t.Fatalf("claim at the retry: %+v, %v", ds, err)
	}
	if err := e.s.FinishDelivery(e.ctx(), d.ID, content.Attempt{At: retry, StatusCode: 204, Delivered: true}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := e.s.NextDeliveryAt(e.ctx()); ok {
		t.Errorf("a delivered delivery is still due")
	}
	got, err := e.s.Deliveries(e.ctx(), content.DeliveryFilter{WebhookID: h.ID})
	if err != nil || len(got) != 1 || got[0].Status != content.DeliveryDelivered || got[0].DeliveredAt == nil || got[0].LastStatusCode != 204 {
		t.Errorf("after delivery: %+v, %v", got, err)
	}
}

func mediaMetadata(t *testing.T, e *env) {
	u := e.user("Hal Photographer", auth.RoleEditor)
	m, err := e.s.CreateMedia(e.ctx(), content.Media{ID: "0190a000-0000-7000-8000-0000000000aa", FileName: "0190a000aa.jpg",
		ContentType: "image/jpeg", Width: 1600, Height: 900, Size: 123456, Caption: "The quay", Credit: "© Hal/Agency", Alt: "A quay at dawn", UploadedBy: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 1600 || m.Height != 900 || m.Credit != "© Hal/Agency" || m.CreatedAt.IsZero() {
		t.Fatalf("stored media %+v", m)
	}
	credit := "© Hal Berg/Agency"
	upd := content.MediaUpdate{Credit: &credit}
	if err := upd.Validate(); err != nil {
		t.Fatal(err)
	}
	if m, err = e.s.UpdateMedia(e.ctx(), m.ID, upd); err != nil || m.Credit != credit || m.Caption != "The quay" {
		t.Fatalf("update: %+v, %v", m, err)
	}
	edit := ready("Dawn on the quay")
	edit.Photos = []content.Photo{{MediaID: m.ID, URL: m.URL, Caption: "Dawn", Credit: credit, Alt: "A quay at dawn"}}
	a := e.draft(edit)
	uses, err := e.s.MediaUses(e.ctx(), m.ID)
	if err != nil || len(uses) != 1 || uses[0].ArticleID != a.ID {
		t.Fatalf("uses: %+v, %v", uses, err)
	}
	items, err := e.s.MediaItems(e.ctx(), content.MediaFilter{})
	if err != nil || len(items) != 1 || items[0].ID != m.ID {
		t.Fatalf("media list: %+v, %v", items, err)
	}
	_, err = e.s.MediaItem(e.ctx(), "0190a000-0000-7000-8000-0000000000ff")
	wantCode(t, err, content.ENOTFOUND)
}
