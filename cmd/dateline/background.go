package main

import (
	"context"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"dateline/content/schedule"
	"dateline/content/webhook"
)

// newBackground creates the scheduler and the webhook dispatcher and
// connects them to the database's change notifications: a schedule set,
// moved or cancelled in this process re-arms the scheduler's timer (Kick),
// and a new outbox event wakes the dispatcher. It starts nothing; call it
// before newRouter, which mounts their admin endpoints.
func (a *app) newBackground() {
	a.sched = schedule.New(a.db, schedule.Options{Log: a.log.With("component", "scheduler")})
	a.hooks = webhook.New(a.db, webhook.Options{
		AllowPrivate: a.cfg.WebhooksAllowPrivate,
		Log:          a.log.With("component", "webhooks"),
	})
	a.db.OnScheduleChange = a.sched.Kick
	a.db.OnEvent = a.hooks.Kick
}

// runBackground runs the scheduler and the dispatcher until ctx is
// cancelled or the returned stop is called; stop waits for both to return.
func (a *app) runBackground(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.sched.Run(ctx) }()
	go func() { defer wg.Done(); a.hooks.Run(ctx) }()
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
