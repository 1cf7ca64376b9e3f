package sqlite_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"dateline/content/sqlite"
	"dateline/content/storetest"
)

// TestStoreContract runs the store contract suite against SQLite: a fresh
// database file for every contract, with its clock under the suite's
// control.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Store, func(time.Time)) {
		var clock atomic.Value
		clock.Store(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"), sqlite.Options{
			Now: func() time.Time { return clock.Load().(time.Time) }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, func(t time.Time) { clock.Store(t) }
	})
}
