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

// TestAccountsContract runs the store contract suite's accounts group
// against PostgreSQL.
func TestAccountsContract(t *testing.T) {
	storetest.RunAccounts(t, func(t *testing.T) (storetest.Accounts, func(time.Time)) { return clocked(t) })
}

// TestStoriesContract runs the store contract suite's stories group
// against PostgreSQL.
func TestStoriesContract(t *testing.T) {
	storetest.RunStories(t, func(t *testing.T) (storetest.Stories, func(time.Time)) { return clocked(t) })
}
