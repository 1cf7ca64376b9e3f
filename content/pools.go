package content

import "time"

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
