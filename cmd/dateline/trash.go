package main

import (
	"context"
	"time"

	"dateline/content"
)

// trashPurgeInterval is how often the background purge looks for stories
// that have been in the Trash longer than trash_days.
const trashPurgeInterval = time.Hour

// runTrashPurge purges the Trash (purgeTrash) at once and then every
// interval until ctx is cancelled. With trash_days 0 it returns at once:
// deleted stories stay until an editor purges them.
func (a *app) runTrashPurge(ctx context.Context, interval time.Duration) {
	if a.cfg.TrashDays == 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		a.purgeTrash(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// purgeTrash removes for good the stories deleted more than trash_days
// ago by the store's clock, and returns how many. Several processes may
// run it at once: a story is purged once, the others find nothing. An
// error is logged, and the next round tries again.
func (a *app) purgeTrash(ctx context.Context) int {
	before, ok := content.PurgeBefore(a.db.Now(), a.cfg.TrashDays)
	if !ok {
		return 0
	}
	n, err := a.db.PurgeTrash(ctx, before)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("purge the Trash", "err", err)
		}
		return 0
	}
	if n > 0 {
		a.log.Info("purged the Trash", "stories", n, "deleted_before", before, "trash_days", a.cfg.TrashDays)
	}
	return n
}
