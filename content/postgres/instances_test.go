package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/postgres"
)

// The guarantees of several instances on one database: each test opens
// two stores (two pools, as two processes would) on one fresh database.

var start = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

// instances opens n stores on one fresh migrated database, all on one
// clock.
func instances(t *testing.T, n int, clock func() time.Time) []*postgres.DB {
	t.Helper()
	url := migrated(t)
	dbs := make([]*postgres.DB, n)
	for i := range dbs {
		dbs[i] = openStore(t, url, clock)
	}
	return dbs
}

func fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

func readyEdit(headline string) content.Edit {
	return content.Edit{
		Headline: headline, Standfirst: "Lead of " + headline, Dateline: content.Dateline{Place: "PORT ELLIS"},
		Body:   "First paragraph of " + headline + ".",
		Photos: []content.Photo{{URL: "https://images.example.org/a.jpg", Caption: "The quay", Credit: "© Ana Reis/Agency", Alt: "An empty quay"}},
		Tags:   []string{"Harbour"},
	}
}

// race runs fn(i) for i in 0..n-1 at once on as many goroutines.
func race(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { fn(i) })
	}
	wg.Wait()
}

func TestADueStoryClaimedByEveryInstanceAtOnceIsPublishedOnce(t *testing.T) {
	ctx := context.Background()
	dbs := instances(t, 3, fixed(start))
	const stories = 10
	due := start.Add(-time.Second)
	var ids []string
	for i := range stories {
		a, err := dbs[0].CreateArticle(ctx, readyEdit(fmt.Sprintf("Due story %d", i)), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dbs[0].ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft},
			To: content.StatusScheduled, PublishAt: &due, At: due.Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	var won atomic.Int32
	race(len(dbs)*4, func(i int) {
		db := dbs[i%len(dbs)]
		for _, id := range ids {
			_, err := db.ChangeStatus(ctx, id, content.StatusChange{From: []content.Status{content.StatusScheduled},
				To: content.StatusPublished, Due: true, At: start})
			switch content.ErrorCode(err) {
			case "":
				won.Add(1)
			case content.ECONFLICT, content.EUNAVAILABLE:
			default:
				t.Errorf("claim of %s: %v", id, err)
			}
		}
	})
	if won.Load() != stories {
		t.Errorf("%d publications of %d due stories by 12 claimers on 3 instances, want one each", won.Load(), stories)
	}
	evs, err := dbs[1].Events(ctx, content.EventFilter{Types: []string{content.EventPublished}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, ev := range evs {
		per[ev.ArticleID]++
	}
	for _, id := range ids {
		if per[id] != 1 {
			t.Errorf("story %s has %d published events, want 1", id, per[id])
		}
	}
}

func TestDeliveriesClaimedByEveryInstanceAtOnceAreEachClaimedOnce(t *testing.T) {
	ctx := context.Background()
	dbs := instances(t, 2, fixed(start))
	url := "https://hooks.example.org/builds"
	events := []string{}
	if _, err := dbs[0].CreateWebhook(ctx, content.WebhookEdit{URL: &url, Events: &events}); err != nil {
		t.Fatal(err)
	}
	const stories = 12
	for i := range stories {
		a, err := dbs[i%2].CreateArticle(ctx, readyEdit(fmt.Sprintf("Story %d", i)), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dbs[i%2].ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
			t.Fatal(err)
		}
	}
	// Both instances fan out at once: every event once.
	race(4, func(i int) {
		for {
			n, err := dbs[i%2].FanOutEvents(ctx, 3)
			if err != nil {
				t.Error(err)
				return
			}
			if n < 3 {
				return
			}
		}
	})
	var mu sync.Mutex
	claims := map[string]int{}
	race(6, func(i int) {
		for {
			ds, err := dbs[i%2].ClaimDeliveries(ctx, start, time.Minute, 2)
			if err != nil {
				t.Error(err)
				return
			}
			if len(ds) == 0 {
				return
			}
			mu.Lock()
			for _, d := range ds {
				claims[d.ID]++
			}
			mu.Unlock()
		}
	})
	if len(claims) != stories {
		t.Errorf("%d deliveries claimed, want %d (one per published event)", len(claims), stories)
	}
	for id, n := range claims {
		if n != 1 {
			t.Errorf("delivery %s claimed %d times", id, n)
		}
	}
}

func TestOutboxReadersMissNoEventWhileInstancesWriteAtOnce(t *testing.T) {
	ctx := context.Background()
	dbs := instances(t, 2, fixed(start))
	const writers, each = 4, 6
	var drafts [writers][]string
	for w := range writers {
		for i := range each {
			a, err := dbs[w%2].CreateArticle(ctx, readyEdit(fmt.Sprintf("Story %d-%d", w, i)), "")
			if err != nil {
				t.Fatal(err)
			}
			drafts[w] = append(drafts[w], a.ID)
		}
	}
	done := make(chan struct{})
	var seen []int64
	reader := make(chan error, 1)
	go func() { // follows the outbox by id as the webhook fan-out does
		var after int64
		for {
			// Whether the writers had all committed before this read: only
			// then does an empty read mean the end.
			finished := false
			select {
			case <-done:
				finished = true
			default:
			}
			evs, err := dbs[1].Events(ctx, content.EventFilter{AfterID: after, Limit: 1000})
			if err != nil {
				reader <- err
				return
			}
			for _, ev := range evs {
				seen = append(seen, ev.ID)
				after = ev.ID
			}
			if finished && len(evs) == 0 {
				reader <- nil
				return
			}
		}
	}()
	race(writers, func(w int) {
		for _, id := range drafts[w] {
			if _, err := dbs[w%2].ChangeStatus(ctx, id, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
				t.Error(err)
			}
		}
	})
	close(done)
	if err := <-reader; err != nil {
		t.Fatal(err)
	}
	all, err := dbs[0].Events(ctx, content.EventFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, ev := range all {
		ids = append(ids, ev.ID)
	}
	if len(ids) != writers*each || !slices.Equal(seen, ids) {
		t.Errorf("a reader following the outbox saw %d of %d events: %v, want %v", len(seen), len(ids), seen, ids)
	}
	for _, db := range dbs {
		if g := db.Generation(); g == 0 || g > uint64(ids[len(ids)-1]) {
			t.Errorf("generation %d after events up to %d", g, ids[len(ids)-1])
		}
	}
}

func TestOneEmailTakenOnEveryInstanceAtOnceMakesOneUser(t *testing.T) {
	ctx := context.Background()
	dbs := instances(t, 2, fixed(start))
	var made atomic.Int32
	race(6, func(i int) {
		_, err := dbs[i%2].CreateUser(ctx, auth.User{Name: fmt.Sprintf("Ana %d", i), Email: "Ana@Harbour.example", Role: auth.RoleEditor})
		switch content.ErrorCode(err) {
		case "":
			made.Add(1)
		case content.ECONFLICT:
		default:
			t.Errorf("create user: %v", err)
		}
	})
	if made.Load() != 1 {
		t.Errorf("%d users made with one email, want 1", made.Load())
	}
	if _, err := dbs[0].UserByEmail(ctx, "ana@harbour.EXAMPLE"); err != nil {
		t.Errorf("the email in another case: %v", err)
	}
}

func TestARefreshTokenPresentedOnEveryInstanceAtOnceRotatesOnce(t *testing.T) {
	ctx := context.Background()
	dbs := instances(t, 2, fixed(start))
	u, err := dbs[0].CreateUser(ctx, auth.User{Name: "Cy Editor", Email: "cy@harbour.example", Role: auth.RoleEditor})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dbs[0].CreateRefreshToken(ctx, u.ID, "first", start.Add(auth.RefreshTTL)); err != nil {
		t.Fatal(err)
	}
	var rotated, reused atomic.Int32
	race(4, func(i int) {
		_, err := dbs[i%2].RotateRefreshToken(ctx, "first", fmt.Sprintf("next-%d", i), start.Add(auth.RefreshTTL))
		switch {
		case err == nil:
			rotated.Add(1)
		case errors.Is(err, auth.ErrRefreshReused), content.ErrorCode(err) == content.EUNAUTHORIZED:
			reused.Add(1)
		default:
			t.Errorf("rotate: %v", err)
		}
	})
	if rotated.Load() != 1 {
		t.Errorf("one refresh token rotated %d times, want once", rotated.Load())
	}
}

func TestSetupLinksUsedOnEveryInstanceAtOnceMakeOneFirstAdmin(t *testing.T) {
	ctx := context.Background()
	dbs := instances(t, 2, fixed(start))
	for i := range 4 {
		if err := dbs[i%2].CreateSetupToken(ctx, fmt.Sprintf("setup-%d", i), start.Add(auth.SetupTTL)); err != nil {
			t.Fatal(err)
		}
	}
	var made atomic.Int32
	race(4, func(i int) {
		_, err := dbs[i%2].CreateFirstAdmin(ctx, fmt.Sprintf("setup-%d", i),
			auth.User{Name: fmt.Sprintf("Admin %d", i), Email: fmt.Sprintf("admin%d@harbour.example", i)})
		switch content.ErrorCode(err) {
		case "":
			made.Add(1)
		case content.ECONFLICT:
		default:
			t.Errorf("first admin: %v", err)
		}
	})
	if n, _ := dbs[0].CountUsers(ctx); made.Load() != 1 || n != 1 {
		t.Errorf("%d first admins made, %d users, want one", made.Load(), n)
	}
}

func TestLoginAttemptsOnEveryInstanceAtOnceTakeEachBurstOnce(t *testing.T) {
	ctx := context.Background()
	dbs := instances(t, 3, fixed(start))
	limits := auth.DefaultLoginLimits()
	const racers = 60
	take := func(keys func(i int) auth.LoginKeys) (allowed int32) {
		var n atomic.Int32
		race(racers, func(i int) {
			ok, wait, err := dbs[i%len(dbs)].TakeLoginAttempt(ctx, keys(i), limits, start)
			switch {
			case err != nil:
				t.Errorf("attempt %d: %v", i, err)
			case ok:
				n.Add(1)
			case wait < time.Second:
				t.Errorf("attempt %d refused with a wait of %s", i, wait)
			}
		})
		return n.Load()
	}
	oneAccount := take(func(i int) auth.LoginKeys {
		return auth.NewLoginKeys("desk@harbour.example", fmt.Sprintf("198.51.100.%d", i))
	})
	if want := int32(limits.Account.Burst); oneAccount != want {
		t.Errorf("%d attempts at one account on 3 instances at once were allowed, want its burst %d", oneAccount, want)
	}
	oneAddress := take(func(i int) auth.LoginKeys {
		return auth.NewLoginKeys(fmt.Sprintf("user%d@harbour.example", i), "203.0.113.50")
	})
	if want := int32(limits.Address.Burst); oneAddress != want {
		t.Errorf("%d attempts from one address on 3 instances at once were allowed, want its burst %d", oneAddress, want)
	}
}

func TestAnEditLockWantedOnEveryInstanceAtOnceHasOneHolder(t *testing.T) {
	ctx := context.Background()
	dbs := instances(t, 2, fixed(start))
	story, err := dbs[0].CreateArticle(ctx, readyEdit("Dredging starts"), "")
	if err != nil {
		t.Fatal(err)
	}
	var users []string
	for i := range 6 {
		u, err := dbs[0].CreateUser(ctx, auth.User{Name: fmt.Sprintf("Editor %d", i), Email: fmt.Sprintf("e%d@harbour.example", i), Role: auth.RoleEditor})
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u.ID)
	}
	var got atomic.Int32
	race(len(users), func(i int) {
		_, err := dbs[i%2].AcquireLock(ctx, story.ID, users[i], false)
		var locked *content.LockedError
		switch {
		case err == nil:
			got.Add(1)
		case errors.As(err, &locked):
		default:
			t.Errorf("acquire: %v", err)
		}
	})
	if got.Load() != 1 {
		t.Errorf("%d editors got the lock, want one", got.Load())
	}
}
