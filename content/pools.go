package content

import (
	"sync"
	"time"
)

// PoolStats describes one connection pool of a store, for metrics: Name
// says which (for SQLite "writer" and "reader"), the rest are as
// database/sql's DBStats counts them.
type PoolStats struct {
	Name              string
	Open, InUse, Idle int
	MaxOpen           int
	Waits             int64         // times a caller waited for a connection
	Waited            time.Duration // time callers waited in all
}

// FollowStats describes how a store has followed the writes of other
// processes on its database, for metrics: Caught counts the times it
// caught up with one (a notification or a poll found events it had not
// seen); of those it could time, Timed counts them, LagSum adds up how
// long after the writer's commit they were found, and Buckets counts them
// cumulatively by FollowLagBounds. A store that cannot tell when another
// process committed (SQLite: it learns by polling, and stores times to the
// second) times none.
type FollowStats struct {
	Caught  uint64
	Timed   uint64
	LagSum  time.Duration
	Buckets []uint64 // len(FollowLagBounds()): timed lags at most each bound
}

// FollowLagBounds returns the upper bounds of the FollowStats buckets.
func FollowLagBounds() []time.Duration {
	return []time.Duration{time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond, 25 * time.Millisecond,
		50 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond,
		time.Second, 2500 * time.Millisecond, 5 * time.Second}
}

// FollowRecorder keeps a store's FollowStats. Its zero value is ready, and
// it is safe for concurrent use.
type FollowRecorder struct {
	mu sync.Mutex
	s  FollowStats
}

// Caught records a catch-up; lag, if not negative, is how long after the
// writer's commit it came (a negative lag is one the store could not time,
// or a clock that went backwards).
func (r *FollowRecorder) Caught(lag time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.s.Buckets == nil {
		r.s.Buckets = make([]uint64, len(FollowLagBounds()))
	}
	r.s.Caught++
	if lag < 0 {
		return
	}
	r.s.Timed++
	r.s.LagSum += lag
	for i, b := range FollowLagBounds() {
		if lag <= b {
			r.s.Buckets[i]++
		}
	}
}

// Stats returns a copy of what was recorded.
func (r *FollowRecorder) Stats() FollowStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.s
	s.Buckets = make([]uint64, len(FollowLagBounds()))
	copy(s.Buckets, r.s.Buckets)
	return s
}
