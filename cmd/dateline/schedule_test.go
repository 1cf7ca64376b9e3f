package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/webhook"
)

// These tests run the production router on a real listener with the real
// scheduler and dispatcher, on the real clock.

func newLiveApp(tb testing.TB) (*app, *httptest.Server) {
	tb.Helper()
	return newLiveAppOn(tb, onSQLite)
}

// newLiveAppOn is newLiveApp on the store named.
func newLiveAppOn(tb testing.TB, store testStore) (*app, *httptest.Server) {
	tb.Helper()
	a, _ := newTestAppOn(tb, store, time.Now)
	a.cfg.WebhooksAllowPrivate = true
	a.newBackground()
	srv := httptest.NewServer(newRouter(a))
	tb.Cleanup(srv.Close)
	return a, srv
}

func draft(tb testing.TB, a *app, headline string) *content.Article {
	tb.Helper()
	art, err := a.db.CreateArticle(context.Background(), content.Edit{Headline: headline, Body: "Text of " + headline}, "")
	if err != nil {
		tb.Fatal(err)
	}
	return art
}

func scheduleAt(tb testing.TB, a *app, id string, publish time.Time, unpublish *time.Time) {
	tb.Helper()
	_, err := a.db.ChangeStatus(context.Background(), id, content.StatusChange{
		From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &publish, UnpublishAt: unpublish})
	if err != nil {
		tb.Fatal(err)
	}
}

func getJSON(tb testing.TB, url string, v any) int {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil && resp.StatusCode == 200 {
		if err := json.Unmarshal(b, v); err != nil {
			tb.Fatalf("decode %s: %v", b, err)
		}
	}
	return resp.StatusCode
}

// listed reports whether the public list shows slug.
func listed(tb testing.TB, base, slug string) bool {
	var out struct{ Articles []struct{ Slug string } }
	getJSON(tb, base+"/api/v1/articles?limit=100", &out)
	return slices.ContainsFunc(out.Articles, func(x struct{ Slug string }) bool { return x.Slug == slug })
}

func TestAStoryScheduledOneSecondAheadIsVisibleWithinOneSecondOfItsTime(t *testing.T) {
	onEachStore(t, testAStoryScheduledOneSecondAheadIsVisibleWithinOneSecondOfItsTime)
}

func testAStoryScheduledOneSecondAheadIsVisibleWithinOneSecondOfItsTime(t *testing.T, store testStore) {
	t.Parallel()
	a, srv := newLiveAppOn(t, store)
	stop := a.runBackground(context.Background())
	defer stop()
	art := draft(t, a, "Polls close")
	due := nextSecond(time.Second)
	scheduleAt(t, a, art.ID, due, nil)
	if listed(t, srv.URL, "polls-close") {
		t.Fatal("listed before its time")
	}
	got, seen := waitStatus(t, a, content.ArticleFilter{ID: &art.ID}, content.StatusPublished)
	onTime(t, "published", seen, due)
	if !got.PublishedAt.Equal(due) {
		t.Errorf("published_at %v, want its time %v", got.PublishedAt, due)
	}
	if !listed(t, srv.URL, "polls-close") {
		t.Error("the first read after the publication does not list the story")
	}
}

// nextSecond returns the first whole second at least ahead from now.
// Scheduled times are whole seconds: the store rounds a fraction up, so
// that nothing happens before the instant asked for, and a test that asked
// for a fraction would measure that rounding as lag.
func nextSecond(ahead time.Duration) time.Time {
	return time.Now().Add(ahead + time.Second).UTC().Truncate(time.Second)
}

// waitStatus polls the store every 5 ms until the story has status and
// returns it with the instant it was first seen so: the scheduler's claim
// committed, give or take one poll. It gives up ten seconds on.
func waitStatus(tb testing.TB, a *app, f content.ArticleFilter, status content.Status) (*content.Article, time.Time) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := a.db.Article(context.Background(), f)
		if err != nil {
			tb.Fatal(err)
		}
		if got.Status == status {
			return got, time.Now()
		}
		if time.Now().After(deadline) {
			tb.Fatalf("still %s ten seconds on, want %s", got.Status, status)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// onTime checks that a scheduled change was committed within a second of
// its time and not before it; seen is when the store first showed it.
// That is the scheduler's lag: how long a busy test machine then takes to
// answer an HTTP read is not, so the callers check instead that the next
// read already shows the change.
func onTime(tb testing.TB, what string, seen, due time.Time) {
	tb.Helper()
	lag := seen.Sub(due)
	tb.Logf("%s %v after its time", what, lag.Round(time.Millisecond))
	if lag < 0 || lag > time.Second {
		tb.Errorf("%s %v after its time, want between 0 and 1 s", what, lag)
	}
}

func TestAStoryDueWhileTheServerIsDownIsPublishedOnceOnStart(t *testing.T) {
	onEachStore(t, testAStoryDueWhileTheServerIsDownIsPublishedOnceOnStart)
}

func testAStoryDueWhileTheServerIsDownIsPublishedOnceOnStart(t *testing.T, store testStore) {
	t.Parallel()
	a, srv := newLiveAppOn(t, store)
	var mu sync.Mutex
	var ids []string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ids = append(ids, r.Header.Get(webhook.HeaderID))
		mu.Unlock()
	}))
	defer rcv.Close()
	url := rcv.URL
	if _, err := a.db.CreateWebhook(context.Background(), content.WebhookEdit{URL: &url}); err != nil {
		t.Fatal(err)
	}
	art := draft(t, a, "Overnight result")
	due := time.Now().Add(300 * time.Millisecond)
	scheduleAt(t, a, art.ID, due, nil)

	stop := a.runBackground(context.Background())
	stop() // the server stops before the story is due
	time.Sleep(time.Until(due) + 200*time.Millisecond)
	if listed(t, srv.URL, "overnight-result") {
		t.Fatal("published while the scheduler was stopped")
	}

	for round := range 2 { // start again, twice: the second start must change nothing
		a.newBackground()
		stop = a.runBackground(context.Background())
		deadline := time.Now().Add(3 * time.Second)
		for {
			mu.Lock()
			n := len(ids)
			mu.Unlock()
			if n >= 1 && listed(t, srv.URL, "overnight-result") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: not published and delivered after the restart (%d webhooks)", round, n)
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		stop()
	}
	evs, _ := a.db.Events(context.Background(), content.EventFilter{Limit: 100})
	if len(evs) != 1 || evs[0].Type != content.EventPublished {
		t.Errorf("events = %+v, want one published event", evs)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ids) != 1 {
		t.Errorf("webhooks received: %v, want one", ids)
	}
}

func TestUnpublishAtWithdrawsOnTimeWithATombstoneInTheChangesFeed(t *testing.T) {
	onEachStore(t, testUnpublishAtWithdrawsOnTimeWithATombstoneInTheChangesFeed)
}

func testUnpublishAtWithdrawsOnTimeWithATombstoneInTheChangesFeed(t *testing.T, store testStore) {
	t.Parallel()
	a, srv := newLiveAppOn(t, store)
	stop := a.runBackground(context.Background())
	defer stop()
	art := draft(t, a, "Embargo lifted")
	publish := time.Now().Add(-time.Second)
	withdraw := nextSecond(500 * time.Millisecond)
	scheduleAt(t, a, art.ID, publish, &withdraw)
	_, seen := waitStatus(t, a, content.ArticleFilter{ID: &art.ID}, content.StatusUnpublished)
	onTime(t, "withdrawn", seen, withdraw)

	var raw struct {
		Changes []map[string]any `json:"changes"`
		Meta    struct {
			NextCursor string `json:"next_cursor"`
		} `json:"meta"`
	}
	if code := getJSON(t, srv.URL+"/api/v1/changes", &raw); code != 200 || len(raw.Changes) != 2 {
		t.Fatalf("the first read of the changes after the withdrawal: %d %+v, want the publication and a tombstone", code, raw.Changes)
	}
	tomb := raw.Changes[1]
	if tomb["type"] != content.EventUnpublished || tomb["id"] != art.ID || tomb["slug"] != "embargo-lifted" || len(tomb) != 4 {
		t.Errorf("tombstone = %v, want exactly type, id, slug, at", tomb)
	}
	if at, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(tomb["at"])); !at.Equal(withdraw) {
		t.Errorf("withdrawn at %v, want its time %v", tomb["at"], withdraw)
	}
	if code := getJSON(t, srv.URL+"/api/v1/articles/embargo-lifted", nil); code != http.StatusNotFound {
		t.Errorf("withdrawn story answers %d", code)
	}
	var next struct {
		Changes []any `json:"changes"`
		Meta    struct {
			NextCursor string `json:"next_cursor"`
		} `json:"meta"`
	}
	getJSON(t, srv.URL+"/api/v1/changes?cursor="+raw.Meta.NextCursor, &next)
	if len(next.Changes) != 0 || next.Meta.NextCursor != raw.Meta.NextCursor {
		t.Errorf("polling from the end: %+v", next)
	}
}

func TestPublishLagOfFiftyStoriesDueOverThreeSeconds(t *testing.T) {
	onEachStore(t, testPublishLagOfFiftyStoriesDueOverThreeSeconds)
}

func testPublishLagOfFiftyStoriesDueOverThreeSeconds(t *testing.T, store testStore) {
	t.Parallel()
	a, _ := newLiveAppOn(t, store)
	stop := a.runBackground(context.Background())
	defer stop()
	start := nextSecond(500 * time.Millisecond)
	due := map[string]time.Time{}
	for i := range 50 {
		art := draft(t, a, fmt.Sprintf("Result from district %d", i))
		at := start.Add(time.Duration(i%3) * time.Second) // three seconds' worth
		scheduleAt(t, a, art.ID, at, nil)
		due[art.ID] = at
	}
	deadline := start.Add(10 * time.Second)
	lags := map[string]time.Duration{}
	for len(lags) < len(due) {
		as, err := a.db.Articles(context.Background(), content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		for _, art := range as {
			if _, ok := lags[art.ID]; !ok {
				lags[art.ID] = now.Sub(due[art.ID])
				if !art.PublishedAt.Equal(due[art.ID]) {
					t.Errorf("%s: published_at %v, want its time %v", art.Slug, art.PublishedAt, due[art.ID])
				}
			}
		}
		if now.After(deadline) {
			t.Fatalf("only %d of 50 published", len(lags))
		}
		time.Sleep(10 * time.Millisecond)
	}
	sorted := slices.Sorted(maps.Values(lags))
	best, median, worst := sorted[0], sorted[len(sorted)/2], sorted[len(sorted)-1]
	t.Logf("publish lag of 50 stories: best %v, median %v, worst %v", best.Round(time.Millisecond), median.Round(time.Millisecond), worst.Round(time.Millisecond))
	if best < 0 {
		t.Errorf("a story was published %v early", -best)
	}
	if worst > time.Second {
		t.Errorf("worst lag %v, want under 1 s", worst)
	}
}

func TestAdminSchedulingEndpointsRequireAUser(t *testing.T) {
	a, _ := newTestApp(t)
	a.newBackground()
	h := newRouter(a)
	for _, target := range []string{"/api/admin/v1/webhooks", "/api/admin/v1/schedule", "/api/admin/v1/webhooks/x/deliveries"} {
		rec := get(t, h, target)
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s without a user: %d %s", target, rec.Code, rec.Body)
		}
	}
}
