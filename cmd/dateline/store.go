package main

import (
	"context"
	"time"

	"dateline/admin"
	"dateline/content/delivery"
	"dateline/content/demo"
	"dateline/content/rendition"
	"dateline/content/schedule"
	"dateline/content/webhook"
)

// Store is what a server run uses of its database: everything the admin
// app, the delivery API, the scheduler, the webhook dispatcher, the
// rendition workers and the demo seed read and write, and what the
// commands and the background work need of the database itself.
// content/sqlite.DB is one; every store the `database` setting can select
// must be one.
type Store interface {
	admin.AppStore
	delivery.Store
	delivery.PreviewGrants
	delivery.ChangeStore
	schedule.Store
	webhook.Store
	rendition.Store
	demo.Store
	storeStats // metrics.go

	// CountUsers and CreateSetupToken make the first start's setup link.
	CountUsers(ctx context.Context) (int, error)
	CreateSetupToken(ctx context.Context, hash string, expiresAt time.Time) error

	// ScheduleChanges and EventsWritten signal, after a commit of this
	// process, a change of the schedule and new outbox events; Follow
	// finds other processes' writes every interval until ctx ends.
	ScheduleChanges() <-chan struct{}
	EventsWritten() <-chan struct{}
	Follow(ctx context.Context, interval time.Duration) error
	// LastEventID is the id of the last committed outbox event, read from
	// the database (Generation is this process's view of it).
	LastEventID(ctx context.Context) (int64, error)
	// RerenderPublic stores the public JSON of every published story
	// again, under the current renderer, and returns how many it stored.
	RerenderPublic(ctx context.Context) (int, error)

	// QueueRenditions, RenditionJobs and RenditionFailures are the
	// renditions command's: queue the photos lacking renditions under key
	// (all: every photo), count the queue, count the photos that failed.
	QueueRenditions(ctx context.Context, key string, all bool) (int, error)
	RenditionJobs(ctx context.Context) (int, error)
	RenditionFailures(ctx context.Context) (int, error)

	// PurgeTrash purges the stories deleted before before (trash.go).
	PurgeTrash(ctx context.Context, before time.Time) (int, error)

	// Now is the store's clock; Ping checks that the database answers;
	// SchemaVersion is the newest migration applied; Path names the
	// database for people (a file, or a server without its secrets).
	Now() time.Time
	Ping(ctx context.Context) error
	SchemaVersion(ctx context.Context) (int, error)
	Path() string
	Close() error
}
