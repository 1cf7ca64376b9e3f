package main

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dateline/content/schedule"
	"dateline/content/webhook"
)

// newBackground creates the scheduler and the webhook dispatcher and
// connects them to the database's change signals: a schedule set,
// moved or cancelled (in any process) re-arms the scheduler's timer,
// and a new outbox event wakes the dispatcher. It starts nothing; call it
// before newRouter, which mounts their admin endpoints.
func (a *app) newBackground() {
	a.sched = schedule.New(a.db, schedule.Options{Log: a.log.With("component", "scheduler"), Wake: a.db.ScheduleChanges()})
	a.hooks = webhook.New(a.db, webhook.Options{
		AllowPrivate: a.cfg.WebhooksAllowPrivate,
		Log:          a.log.With("component", "webhooks"),
		Wake:         a.db.EventsWritten(),
	})
}

// catchUp carries out, synchronously, everything that fell due while no
// scheduler ran (downtime, a crash): runServe calls it before it serves
// (the listener is bound already, but requests wait in its backlog), so
// the very first request already sees those stories. A failed
// sweep (say, a database locked by another process) is logged and the
// server starts all the same: the scheduler retries in the background.
func (a *app) catchUp(ctx context.Context) {
	start := time.Now()
	if _, err := a.sched.Sweep(ctx); err != nil {
		if ctx.Err() == nil {
			a.log.Error("schedule catch-up", "err", err)
		}
		return
	}
	a.log.Info("schedule caught up", "duration", time.Since(start))
}

// followInterval is how often a server reads the content version to find
// writes of other processes on its database file (sqlite.DB.Follow): a
// story another process publishes or edits is served here within about
// this long.
const followInterval = 250 * time.Millisecond

// runBackground runs the scheduler, the dispatcher and the follower of
// other processes' writes until ctx is cancelled or the returned stop is
// called; stop waits for all three to return.
func (a *app) runBackground(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); a.sched.Run(ctx) }()
	go func() { defer wg.Done(); a.hooks.Run(ctx) }()
	go func() { defer wg.Done(); a.db.Follow(ctx, followInterval) }()
	return func() { cancel(); wg.Wait() }
}

// backgroundCollectors returns the Prometheus collectors of the scheduler
// and the dispatcher, for the /metrics registry.
func (a *app) backgroundCollectors() []prometheus.Collector {
	if a.sched == nil || a.hooks == nil {
		return nil
	}
	return []prometheus.Collector{schedule.NewCollector(a.sched), webhook.NewCollector(a.hooks)}
}
