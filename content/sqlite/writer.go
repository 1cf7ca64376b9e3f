package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"time"

	"dateline/content"
)

// writer is the one writer connection. Every write waits at most busy in
// total before it starts: first for the connection (queued behind this
// process's other writes), then for SQLite's write lock (held, say, by
// another process); past that it fails with content.EUNAVAILABLE, so no
// request hangs for the whole of someone else's lock. A write whose
// context ends while it waits fails with the context's error.
//
// Reads through the writer (a write's result read back, which must see the
// write) use the embedded pool as they are; they wait for the connection
// but never for the write lock.
type writer struct {
	*sql.DB
	busy time.Duration
}

// busyAfter is how much earlier than its full budget a write must get the
// connection before the connection's busy timeout is lowered for it.
const busyAfter = 5 * time.Millisecond

// errBusy is the error of a write that waited its whole budget.
func errBusy() *content.Error {
	return content.Errorf(content.EUNAVAILABLE, "the database is busy; try again")
}

// conn returns the writer connection for one write, with SQLite's busy
// timeout set to what is left of the write's budget; call release when the
// write is done (after its transaction's commit or rollback).
func (w *writer) conn(ctx context.Context) (c *sql.Conn, release func(), err error) {
	deadline := time.Now().Add(w.busy)
	wctx, cancel := context.WithDeadline(ctx, deadline)
	c, err = w.DB.Conn(wctx)
	cancel()
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return nil, nil, fmt.Errorf("wait for the database writer: %w", ctx.Err())
		case errors.Is(err, context.DeadlineExceeded):
			return nil, nil, fmt.Errorf("%w: waited %s for the writer", errBusy(), w.busy)
		}
		return nil, nil, mapErr(err)
	}
	left := time.Until(deadline)
	if left > w.busy-busyAfter {
		return c, func() { c.Close() }, nil
	}
	if err := setBusyTimeout(ctx, c, max(left, time.Millisecond)); err != nil {
		w.discard(c)
		return nil, nil, mapErr(err)
	}
	return c, func() {
		// Give the connection back with its full timeout, or not at all.
		if err := setBusyTimeout(context.Background(), c, w.busy); err != nil {
			w.discard(c)
			return
		}
		c.Close()
	}, nil
}

// discard closes c's driver connection instead of returning it to the pool.
func (w *writer) discard(c *sql.Conn) {
	c.Raw(func(any) error { return driver.ErrBadConn })
	c.Close()
}

func setBusyTimeout(ctx context.Context, c *sql.Conn, d time.Duration) error {
	_, err := c.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(max(1, d.Milliseconds()), 10))
	return err
}

// ExecContext runs one statement on the writer within the write budget.
func (w *writer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c, release, err := w.conn(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return c.ExecContext(ctx, query, args...)
}
