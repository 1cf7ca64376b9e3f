// Package schedule publishes, updates and withdraws stories at their time. One
// Scheduler runs per process: a timer armed for the next due publish_at or
// unpublish_at (re-armed by Kick whenever a schedule changes), plus a
// periodic sweep for anything overdue (another process's changes, clock
// jumps, downtime). Every publication is the store's one conditional claim,
// so several schedulers, retries and restarts carry out each item once.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dateline/content"
)

// Store is what the scheduler needs from storage. ChangeStatus is the one
// publish path: with Due set it changes the story only if it is still in
// From and its time has come at At. PublishWorkingCopy is the one update
// path: with Due set it publishes the working copy only if its scheduled
// update has come at At, and drops it in the same transaction.
type Store interface {
	ScheduleItems(ctx context.Context, f content.ScheduleFilter) ([]content.ScheduleItem, error)
	NextScheduled(ctx context.Context, t time.Time) (time.Time, bool, error)
	ChangeStatus(ctx context.Context, id string, ch content.StatusChange) (*content.Article, error)
	PublishWorkingCopy(ctx context.Context, id string, u content.Update) (*content.Article, error)
}

// Options configure a Scheduler. Zero fields take the defaults.
type Options struct {
	Now   func() time.Time // the clock; default time.Now
	Sweep time.Duration    // look for overdue items at least this often; default 30 s
	Retry time.Duration    // wait before retrying a failed claim; default Sweep
	Grace time.Duration    // an item due longer ago than this is late; default 5 s
	Log   *slog.Logger
	// Wake, if set, signals that the store's schedule may have changed
	// (sqlite.DB.ScheduleChanges): the scheduler re-arms its timer.
	Wake <-chan struct{}
}

// Scheduler carries out scheduled publications and withdrawals. Its
// methods are safe for concurrent use.
type Scheduler struct {
	store Store
	opt   Options
	kick  chan struct{}

	mu          sync.Mutex
	failed      map[string]*content.ScheduleFailure // by action and article id
	failedTotal int
	lastLag     *float64

	lag          prometheus.Histogram
	failedMetric prometheus.Counter
}

// New returns a scheduler over store. It starts nothing: call Run.
func New(store Store, opt Options) *Scheduler {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Sweep <= 0 {
		opt.Sweep = 30 * time.Second
	}
	if opt.Retry <= 0 {
		opt.Retry = opt.Sweep
	}
	if opt.Grace <= 0 {
		opt.Grace = 5 * time.Second
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Scheduler{
		store: store, opt: opt,
		kick:   make(chan struct{}, 1),
		failed: map[string]*content.ScheduleFailure{},
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "dateline_publish_lag_seconds",
			Help:    "How long after publish_at or unpublish_at the scheduler carried the item out.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 60, 300, 3600},
		}),
		failedMetric: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dateline_schedule_failed_total",
			Help: "Scheduled publications and withdrawals whose claim failed with an error (they are retried).",
		}),
	}
}

// Kick re-arms the timer after a schedule was set, moved or cancelled; it
// never blocks; Options.Wake does the same from the store.
func (s *Scheduler) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run catches up everything overdue, then carries out each item at its
// time until ctx is cancelled. It wakes exactly at the next due time (a
// timer, not a coarse tick), at every Kick and at least every Sweep.
func (s *Scheduler) Run(ctx context.Context) {
	for {
		swept, err := s.Sweep(ctx)
		if err != nil && ctx.Err() == nil {
			s.opt.Log.Error("schedule sweep", "err", err)
		}
		wait := s.opt.Sweep
		if err == nil {
			if next, ok, err := s.store.NextScheduled(ctx, swept); err == nil && ok {
				wait = min(wait, next.Sub(s.opt.Now()))
			}
			if retry, ok := s.nextRetry(); ok {
				wait = min(wait, retry.Sub(s.opt.Now()))
			}
		}
		t := time.NewTimer(max(wait, 0))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.kick:
		case <-s.opt.Wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// Sweep carries out every item due at the current time and returns that
// time. Items whose last claim failed wait for their retry time.
func (s *Scheduler) Sweep(ctx context.Context) (time.Time, error) {
	now := s.opt.Now()
	const batch = 100
	for {
		items, err := s.store.ScheduleItems(ctx, content.ScheduleFilter{DueBy: &now, Limit: batch})
		if err != nil {
			return now, fmt.Errorf("read due items: %w", err)
		}
		// Every process's scheduler reads the same due items: each works
		// through them in its own order, so that several share a burst
		// instead of racing for the same item in turn.
		rand.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		progress := false
		for _, it := range items {
			if ctx.Err() != nil {
				return now, ctx.Err()
			}
			if s.waiting(it, now) {
				continue
			}
			progress = s.claim(ctx, it, now) || progress
		}
		if len(items) < batch || !progress {
			return now, nil
		}
	}
}

// claim carries out one due item at now and reports whether the item is
// settled (done here or by someone else).
func (s *Scheduler) claim(ctx context.Context, it content.ScheduleItem, now time.Time) bool {
	ch := content.StatusChange{From: []content.Status{content.StatusScheduled}, To: content.StatusPublished, Due: true, At: now}
	if it.Action == content.ActionUnpublish {
		ch = content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished, Due: true, At: now}
	}
	var err error
	if it.Action == content.ActionUpdate {
		_, err = s.store.PublishWorkingCopy(ctx, it.ArticleID, content.Update{Due: true, At: now})
	} else {
		_, err = s.store.ChangeStatus(ctx, it.ArticleID, ch)
	}
	key := string(it.Action) + " " + it.ArticleID
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err == nil:
		lag := now.Sub(it.At).Seconds()
		s.lastLag = &lag
		s.lag.Observe(max(lag, 0))
		delete(s.failed, key)
		s.opt.Log.Info("schedule: done", "action", it.Action, "article", it.ArticleID, "slug", it.Slug, "due", it.At, "lag_seconds", lag)
		return true
	case errors.Is(err, content.ErrConflict), errors.Is(err, content.ErrNotFound):
		// Another scheduler did it, or the story changed meanwhile.
		delete(s.failed, key)
		return true
	case ctx.Err() != nil:
		return false
	}
	f := s.failed[key]
	if f == nil {
		f = &content.ScheduleFailure{ScheduleItem: it}
		s.failed[key] = f
	}
	f.ScheduleItem = it
	f.Error, f.Attempts, f.LastAttempt, f.NextRetry = err.Error(), f.Attempts+1, now, now.Add(s.opt.Retry)
	s.failedTotal++
	s.failedMetric.Inc()
	s.opt.Log.Error("schedule: claim failed", "action", it.Action, "article", it.ArticleID, "attempts", f.Attempts, "err", err)
	return false
}

func (s *Scheduler) waiting(it content.ScheduleItem, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.failed[string(it.Action)+" "+it.ArticleID]
	return f != nil && now.Before(f.NextRetry)
}

func (s *Scheduler) nextRetry() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	for _, f := range s.failed {
		if next.IsZero() || f.NextRetry.Before(next) {
			next = f.NextRetry
		}
	}
	return next, !next.IsZero()
}

// Health reports the schedule: the next due time, up to 100 upcoming and
// up to 100 late items (due longer than the grace period ago and not yet
// carried out), the failed claims this process is retrying, and the lag of
// the last item it carried out.
func (s *Scheduler) Health(ctx context.Context) (content.ScheduleHealth, error) {
	now := s.opt.Now()
	cut := now.Add(-s.opt.Grace)
	h := content.ScheduleHealth{Now: now, Failed: []content.ScheduleFailure{}}
	var err error
	if h.Late, err = s.store.ScheduleItems(ctx, content.ScheduleFilter{DueBy: &cut, Limit: 100}); err != nil {
		return h, fmt.Errorf("read late items: %w", err)
	}
	if h.Upcoming, err = s.store.ScheduleItems(ctx, content.ScheduleFilter{After: &cut, Limit: 100}); err != nil {
		return h, fmt.Errorf("read upcoming items: %w", err)
	}
	switch {
	case len(h.Late) > 0:
		h.NextDue = &h.Late[0].At
	case len(h.Upcoming) > 0:
		h.NextDue = &h.Upcoming[0].At
	}
	s.mu.Lock()
	for _, f := range s.failed {
		h.Failed = append(h.Failed, *f)
	}
	h.FailedTotal = s.failedTotal
	if s.lastLag != nil {
		lag := *s.lastLag
		h.LastPublishLag = &lag
	}
	s.mu.Unlock()
	sort.Slice(h.Failed, func(i, j int) bool { return h.Failed[i].At.Before(h.Failed[j].At) })
	return h, nil
}
