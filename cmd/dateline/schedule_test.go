package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	due := time.Now().Add(time.Second)
	scheduleAt(t, a, art.ID, due, nil)
	for !listed(t, srv.URL, "polls-close") {
		if time.Since(due) > 2*time.Second {
			t.Fatal("the story did not appear within two seconds of its time")
		}
		time.Sleep(5 * time.Millisecond)
	}
	seen := time.Since(due)
	t.Logf("visible %v after its time", seen)
	if seen < 0 || seen > time.Second {
		t.Errorf("visible %v after its time, want between 0 and 1 s", seen)
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
	withdraw := time.Now().Add(500 * time.Millisecond)
	scheduleAt(t, a, art.ID, publish, &withdraw)

	var raw struct {
		Changes []map[string]any `json:"changes"`
		Meta    struct {
			NextCursor string `json:"next_cursor"`
		} `json:"meta"`
	}
	for {
		if code := getJSON(t, srv.URL+"/api/v1/changes", &raw); code != 200 {
			t.Fatalf("changes: %d", code)
		}
		if len(raw.Changes) == 2 {
			break
		}
		if time.Since(withdraw) > 2*time.Second {
			t.Fatalf("no withdrawal two seconds after its time: %+v", raw.Changes)
		}
		time.Sleep(5 * time.Millisecond)
	}
	late := time.Since(withdraw)
	if late > time.Second {
		t.Errorf("withdrawn %v after its time", late)
	}
	tomb := raw.Changes[1]
	if tomb["type"] != content.EventUnpublished || tomb["id"] != art.ID || tomb["slug"] != "embargo-lifted" || len(tomb) != 4 {
		t.Errorf("tombstone = %v, want exactly type, id, slug, at", tomb)
	}
	at, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(tomb["at"]))
	if at.Before(withdraw) {
		t.Errorf("withdrawn at %v, before its time %v", at, withdraw)
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

func TestPublishLagOfFiftyStoriesDueWithinTwoSeconds(t *testing.T) {
	onEachStore(t, testPublishLagOfFiftyStoriesDueWithinTwoSeconds)
}

func testPublishLagOfFiftyStoriesDueWithinTwoSeconds(t *testing.T, store testStore) {
	t.Parallel()
	a, _ := newLiveAppOn(t, store)
	stop := a.runBackground(context.Background())
	defer stop()
	start := time.Now().Add(500 * time.Millisecond)
	due := map[string]time.Time{}
	for i := range 50 {
		art := draft(t, a, fmt.Sprintf("Result from district %d", i))
		at := start.Add(time.Duration(i) * 37 * time.Millisecond)
		scheduleAt(t, a, art.ID, at, nil)
		due[art.ID] = at.UTC().Truncate(time.Microsecond)
	}
	deadline := start.Add(5 * time.Second)
	var lags []time.Duration
	for {
		as, err := a.db.Articles(context.Background(), content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(as) == 50 {
			for _, art := range as {
				lags = append(lags, art.PublishedAt.Sub(due[art.ID]))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of 50 published", len(as))
		}
		time.Sleep(20 * time.Millisecond)
	}
	slices.Sort(lags)
	median, worst := lags[len(lags)/2], lags[len(lags)-1]
	t.Logf("publish lag of 50 stories: median %v, worst %v, best %v", median, worst, lags[0])
	if lags[0] < 0 {
		t.Errorf("a story was published %v early", -lags[0])
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
