package main

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dateline/content/photo"
	"dateline/content/rendition"
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
	a.renditions = a.newRenditions()
}

// newRenditions creates the rendition workers of the config, over the
// media directory and the shared image memory budget. It starts nothing.
func (a *app) newRenditions() *rendition.Worker {
	spec, _ := a.cfg.renditionSpec() // validated with the config
	if a.images == nil {
		a.images = photo.NewBudget(a.cfg.imageBudget())
	}
	return rendition.New(a.db, a.mediaFiles(), rendition.Options{Spec: spec, Budget: a.images,
		Workers: a.cfg.RenditionWorkers, Log: a.log.With("component", "renditions")})
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

// followInterval is how often a server looks at the outbox head to find
// writes of other processes on its database file (sqlite.DB.Follow): a
// story another process publishes or edits is served here within about
// this long.
const followInterval = 250 * time.Millisecond

// runBackground runs the scheduler, the dispatcher, the rendition workers,
// the Trash's purge (trash.go) and the follower of other processes' writes until ctx is cancelled or
// the returned stop is called; stop waits for all of them to return.
func (a *app) runBackground(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(5)
	go func() { defer wg.Done(); a.sched.Run(ctx) }()
	go func() { defer wg.Done(); a.runTrashPurge(ctx, trashPurgeInterval) }()
	go func() { defer wg.Done(); a.hooks.Run(ctx) }()
	go func() { defer wg.Done(); a.db.Follow(ctx, followInterval) }()
	go func() { defer wg.Done(); a.renditions.Run(ctx) }()
	return func() { cancel(); wg.Wait() }
}

// backgroundCollectors returns the Prometheus collectors of the scheduler
// and the dispatcher, for the /metrics registry.
func (a *app) backgroundCollectors() []prometheus.Collector {
	if a.sched == nil || a.hooks == nil {
		return nil
	}
	cs := []prometheus.Collector{schedule.NewCollector(a.sched), webhook.NewCollector(a.hooks)}
	if a.renditions != nil {
		cs = append(cs, a.renditions.Collectors()...)
	}
	return cs
}
