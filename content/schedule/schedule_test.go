package schedule_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/schedule"
	"dateline/content/sqlite"
	"dateline/content/sqlite/sqlitetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func quiet() *slog.Logger        { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func open(tb testing.TB, path string, c *clock) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{Zone: "Europe/Lisbon", Now: c.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func edit(headline string) content.Edit { return content.Edit{Headline: headline, Body: "Text."} }

// statuses returns the status of every story by slug and the events by
// type and slug.
func state(tb testing.TB, db *sqlite.DB) (map[string]content.Status, map[string]int) {
	tb.Helper()
	ctx := context.Background()
	as, err := db.Articles(ctx, content.ArticleFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	st := map[string]content.Status{}
	for _, a := range as {
		st[a.Slug] = a.Status
	}
	evs, err := db.Events(ctx, content.EventFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	ev := map[string]int{}
	for _, e := range evs {
		ev[e.Type+" "+e.Slug]++
	}
	return st, ev
}

func TestClockJumpsNeitherRepeatNorAnticipate(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: at("2026-06-01T09:00:00Z")}
	db := open(t, filepath.Join(t.TempDir(), "d.db"), c)
	ptr := func(s string) *time.Time { x := at(s); return &x }
	_, err := db.Import(ctx, []content.Import{
		{Edit: edit("Morning"), Status: content.StatusScheduled, PublishAt: ptr("2026-06-01T09:10:00Z"), UnpublishAt: ptr("2026-06-01T09:20:00Z")},
		{Edit: edit("Noon"), Status: content.StatusScheduled, PublishAt: ptr("2026-06-01T09:30:00Z")},
		{Edit: edit("Evergreen"), Status: content.StatusPublished, PublishedAt: ptr("2026-05-01T09:00:00Z")},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	s := schedule.New(db, schedule.Options{Now: c.Now, Log: quiet()})
	steps := []struct {
		name   string
		now    string
		status map[string]content.Status
	}{
		{"before anything is due nothing happens", "2026-06-01T09:05:00Z",
			map[string]content.Status{"morning": content.StatusScheduled, "noon": content.StatusScheduled, "evergreen": content.StatusPublished}},
		{"at its time the first story is published", "2026-06-01T09:15:00Z",
			map[string]content.Status{"morning": content.StatusPublished, "noon": content.StatusScheduled}},
		{"a jump back neither withdraws nor republishes", "2026-06-01T08:00:00Z",
			map[string]content.Status{"morning": content.StatusPublished, "noon": content.StatusScheduled, "evergreen": content.StatusPublished}},
		{"a jump forward past the withdrawal withdraws once", "2026-06-01T09:25:00Z",
			map[string]content.Status{"morning": content.StatusUnpublished, "noon": content.StatusScheduled, "evergreen": content.StatusPublished}},
		{"a second jump back publishes nothing early", "2026-06-01T09:29:59Z",
			map[string]content.Status{"morning": content.StatusUnpublished, "noon": content.StatusScheduled}},
		{"at its time the second story is published", "2026-06-01T09:30:00Z",
			map[string]content.Status{"noon": content.StatusPublished, "evergreen": content.StatusPublished}},
		{"a last jump back changes nothing", "2026-06-01T07:00:00Z",
			map[string]content.Status{"morning": content.StatusUnpublished, "noon": content.StatusPublished, "evergreen": content.StatusPublished}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			c.Set(at(st.now))
			for range 2 {
				if _, err := s.Sweep(ctx); err != nil {
					t.Fatal(err)
				}
			}
			got, _ := state(t, db)
			for slug, want := range st.status {
				if got[slug] != want {
					t.Errorf("%s is %s, want %s", slug, got[slug], want)
				}
			}
		})
	}
	_, ev := state(t, db)
	want := map[string]int{"article.published morning": 1, "article.unpublished morning": 1, "article.published noon": 1, "article.published evergreen": 1}
	if len(ev) != len(want) {
		t.Errorf("events %v, want %v", ev, want)
	}
	for k, n := range want {
		if ev[k] != n {
			t.Errorf("%d events %q, want %d (all: %v)", ev[k], k, n, ev)
		}
	}
	a, _ := db.Article(ctx, content.ArticleFilter{Slug: ptrS("noon")})
	if !a.PublishedAt.Equal(at("2026-06-01T09:30:00Z")) {
		t.Errorf("noon published at %v", a.PublishedAt)
	}
}

func ptrS(s string) *string { return &s }

func TestTwoSchedulersOnOneFilePublishEachStoryOnce(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: at("2026-06-01T09:00:00Z")}
	path := filepath.Join(t.TempDir(), "d.db")
	db1 := open(t, path, c)
	db2 := open(t, path, c)
	var items []content.Import
	for i := range 50 {
		p := at("2026-06-01T09:00:01Z").Add(time.Duration(i) * 100 * time.Millisecond)
		items = append(items, content.Import{Edit: edit("Story " + string(rune('A'+i%26)) + string(rune('a'+i/26))), Status: content.StatusScheduled, PublishAt: &p})
	}
	if _, err := db1.Import(ctx, items, ""); err != nil {
		t.Fatal(err)
	}
	c.Set(at("2026-06-01T09:01:00Z"))
	var wg sync.WaitGroup
	for _, db := range []*sqlite.DB{db1, db2} {
		s := schedule.New(db, schedule.Options{Now: c.Now, Log: quiet()})
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Sweep(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	st, ev := state(t, db1)
	published := 0
	for _, s := range st {
		if s == content.StatusPublished {
			published++
		}
	}
	if published != 50 || len(ev) != 50 {
		t.Fatalf("%d published, %d distinct events, want 50 and 50", published, len(ev))
	}
	for k, n := range ev {
		if n != 1 {
			t.Errorf("%d events %s", n, k)
		}
	}
}

func TestDaylightSavingChangesPublishAtTheRightInstant(t *testing.T) {
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		publish time.Time
		wantUTC string
	}{
		{"the hour after clocks go forward (Lisbon, 29 March 2026)",
			time.Date(2026, 3, 29, 2, 30, 0, 0, lisbon), "2026-03-29T01:30:00Z"},
		{"the first 01:30 of the night clocks go back (summer time, +01:00)",
			at("2026-10-25T01:30:00+01:00"), "2026-10-25T00:30:00Z"},
		{"the second 01:30 of that night (winter time, +00:00)",
			at("2026-10-25T01:30:00+00:00"), "2026-10-25T01:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			want := at(tt.wantUTC)
			c := &clock{t: want.Add(-time.Hour)}
			db := open(t, filepath.Join(t.TempDir(), "d.db"), c)
			a, err := db.CreateArticle(ctx, edit("Night story"), "")
			if err != nil {
				t.Fatal(err)
			}
			p := tt.publish
			if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &p}); err != nil {
				t.Fatal(err)
			}
			s := schedule.New(db, schedule.Options{Now: c.Now, Log: quiet()})
			next, ok, _ := db.NextScheduled(ctx, c.Now())
			if !ok || !next.Equal(want) {
				t.Fatalf("stored publish_at %v, want %v", next, want)
			}
			c.Set(want.Add(-time.Millisecond))
			s.Sweep(ctx)
			if got, _ := db.Article(ctx, content.ArticleFilter{ID: &a.ID}); got.Status != content.StatusScheduled {
				t.Fatalf("published a millisecond early")
			}
			c.Set(want)
			s.Sweep(ctx)
			got, _ := db.Article(ctx, content.ArticleFilter{ID: &a.ID})
			if got.Status != content.StatusPublished || !got.PublishedAt.Equal(want) {
				t.Fatalf("at %v: %s, published at %v", want, got.Status, got.PublishedAt)
			}
		})
	}
}

func TestFailedClaimsAreReportedAndRetried(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: at("2026-06-01T09:00:00Z")}
	path := filepath.Join(t.TempDir(), "d.db")
	db := open(t, path, c)
	a, err := db.CreateArticle(ctx, content.Edit{Headline: "Uncredited", Body: "x", Photos: []content.Photo{{URL: "https://img.example.org/a.jpg", Alt: "A", Credit: "C"}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	p := at("2026-06-01T09:01:00Z")
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &p}); err != nil {
		t.Fatal(err)
	}
	// A state the API cannot reach: the photo lost its credit.
	sqlitetest.EraseCredits(t, path, a.ID)
	s := schedule.New(db, schedule.Options{Now: c.Now, Sweep: time.Minute, Grace: time.Second, Log: quiet()})
	c.Set(at("2026-06-01T09:02:00Z"))
	s.Sweep(ctx)
	h, err := s.Health(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Failed) != 1 || h.FailedTotal != 1 || len(h.Late) != 1 || h.NextDue == nil || !h.NextDue.Equal(p) {
		t.Fatalf("health = %+v", h)
	}
	s.Sweep(ctx)
	if h, _ := s.Health(ctx); h.FailedTotal != 1 {
		t.Errorf("retried before the retry time: %d failures", h.FailedTotal)
	}
	c.Set(at("2026-06-01T09:03:00Z"))
	s.Sweep(ctx)
	if h, _ := s.Health(ctx); h.FailedTotal != 2 {
		t.Errorf("not retried after the retry time: %d failures", h.FailedTotal)
	}
}

// TestAScheduleSetWhileRunningReArmsTheTimerThroughWake runs a scheduler
// whose sweep is an hour long, so that only the store's signal on Wake can
// make it notice a story scheduled after it started.
func TestAScheduleSetWhileRunningReArmsTheTimerThroughWake(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dateline.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := schedule.New(db, schedule.Options{Sweep: time.Hour, Log: quiet(), Wake: db.ScheduleChanges()})
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	time.Sleep(50 * time.Millisecond) // the scheduler has swept and waits
	a, err := db.CreateArticle(ctx, edit("Wakes the scheduler"), "")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(200 * time.Millisecond)
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &due}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		got, err := db.Article(ctx, content.ArticleFilter{ID: &a.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == content.StatusPublished {
			return
		}
	}
	t.Fatal("the story was not published: the scheduler never re-armed")
}
