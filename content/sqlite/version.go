package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The content version (table content_version) counts the committed writes
// readers of the public API may see. Every such write bumps it in its own
// transaction (withTx), so it is shared by every process that opens the
// file: the content generation a process caches by (Generation) is the
// content version its caches reflect. A process learns of its own writes
// when they commit and of other processes' writes from Follow; either way,
// before the generation moves past a write it did not make, the process
// drops every stored list item and tag list it holds, since it cannot know
// which that write changed.

// bumpVersion counts the write of tx and returns the new content version.
func bumpVersion(ctx context.Context, tx *sql.Tx) (uint64, error) {
	var n uint64
	if err := tx.QueryRowContext(ctx, "UPDATE content_version SET n = n + 1 WHERE id = 1 RETURNING n").Scan(&n); err != nil {
		return 0, fmt.Errorf("count the write: %w", mapErr(err))
	}
	return n, nil
}

// readVersion returns the content version as last committed.
func (db *DB) readVersion(ctx context.Context) (uint64, error) {
	var n uint64
	if err := db.r.QueryRowContext(ctx, "SELECT n FROM content_version WHERE id = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("read the content version: %w", mapErr(err))
	}
	return n, nil
}

// committed records that this process's write, which made the content
// version n, has committed. If the generation was not n-1, other processes
// wrote in between, and what they changed is dropped too.
func (db *DB) committed(n uint64) {
	if !db.gen.CompareAndSwap(n-1, n) {
		db.catchUp(n)
	}
}

// catchUp moves the generation to n, if it is behind, after dropping every
// cached item and tag list.
func (db *DB) catchUp(n uint64) {
	if db.gen.Load() >= n {
		return
	}
	db.items.forgetAll()
	for {
		g := db.gen.Load()
		if g >= n || db.gen.CompareAndSwap(g, n) {
			return
		}
	}
}

// Follow reads the content version every interval until ctx ends and
// catches up with writes other processes committed, so that this process
// serves them within about one interval. When one is found it also
// signals ScheduleChanges and EventsWritten, whose work another process's
// write may have changed. A failed read is retried at the next tick; Follow returns
// nil when ctx ends.
func (db *DB) Follow(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		n, err := db.readVersion(ctx)
		if err != nil || n <= db.gen.Load() {
			continue
		}
		db.catchUp(n)
		notify(db.schedules)
		notify(db.events)
	}
}
