package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"

	"dateline/content"
)

// writer is the one writer connection. Every write waits at most busy in
// total before it starts: first for the connection (queued behind this
// process's other writes), then for SQLite's write lock (held, say, by
// another process); past that it fails with content.EUNAVAILABLE, so no
// request hangs for the whole of someone else's lock. A write whose
// context ends while it waits stops waiting at once and fails with the
// context's error.
//
// The connection's own busy timeout is 0: the wait for the lock is this
// type's retry loop, which watches the context and the write's deadline.
// Reads through the writer (a write's result read back, which must see the
// write) use the embedded pool as they are; they wait for the connection
// but never for the write lock.
type writer struct {
	*sql.DB
	busy time.Duration
}

// errBusy is the error of a write that waited its whole budget.
func errBusy() *content.Error {
	return content.Errorf(content.EUNAVAILABLE, "the database is busy; try again")
}

// conn returns the writer connection for one write and the write's
// deadline; close the connection when the write is done (after its
// transaction's commit or rollback).
func (w *writer) conn(ctx context.Context) (*sql.Conn, time.Time, error) {
	deadline := time.Now().Add(w.busy)
	wctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	c, err := w.DB.Conn(wctx)
	switch {
	case err == nil:
		return c, deadline, nil
	case ctx.Err() != nil:
		return nil, deadline, fmt.Errorf("wait for the database writer: %w", ctx.Err())
	case errors.Is(err, context.DeadlineExceeded):
		return nil, deadline, fmt.Errorf("%w: waited %s for the writer", errBusy(), w.busy)
	}
	return nil, deadline, mapErr(err)
}

// retryBusy runs op until it does not fail for a lock held by another
// connection, pausing between tries, until ctx ends or deadline passes.
func retryBusy(ctx context.Context, deadline time.Time, op func() error) error {
	pauses := [...]time.Duration{1, 2, 5, 10, 15, 20, 25}
	for try := 0; ; try++ {
		err := op()
		if !lockedOut(err) {
			return err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("%w: %w", errBusy(), err)
		}
		t := time.NewTimer(min(left, pauses[min(try, len(pauses)-1)]*time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("wait for the database lock: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// lockedOut reports whether err is SQLite's "busy" or "locked": another
// connection holds the lock.
func lockedOut(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// begin starts a write transaction (BEGIN IMMEDIATE, from the DSN) within
// the write budget. Close the returned connection after the transaction's
// commit or rollback.
func (w *writer) begin(ctx context.Context) (*sql.Conn, *sql.Tx, error) {
	c, deadline, err := w.conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	var tx *sql.Tx
	err = retryBusy(ctx, deadline, func() (err error) {
		tx, err = c.BeginTx(ctx, nil)
		return err
	})
	if err != nil {
		c.Close()
		return nil, nil, mapErr(err)
	}
	return c, tx, nil
}

// ExecContext runs one statement on the writer within the write budget.
func (w *writer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c, deadline, err := w.conn(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var res sql.Result
	err = retryBusy(ctx, deadline, func() (err error) {
		res, err = c.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}
