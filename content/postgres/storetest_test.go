package postgres_test

import (
	"sync/atomic"
	"testing"
	"time"

	"dateline/content/postgres"
	"dateline/content/storetest"
)

// clocked opens a store on a fresh migrated database with a clock under
// the suite's control.
func clocked(t *testing.T) (*postgres.DB, func(time.Time)) {
	t.Helper()
	var clock atomic.Value
	clock.Store(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	db := openStore(t, migrated(t), func() time.Time { return clock.Load().(time.Time) })
	return db, func(t time.Time) { clock.Store(t) }
}

// TestStoreContract runs the store contract suite against PostgreSQL, as
// content/sqlite's test runs it: every group (storetest.Run), each
// contract on a fresh database copied from a migrated template, with its
// clock under the suite's control.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Store, func(time.Time)) { return clocked(t) })
}
