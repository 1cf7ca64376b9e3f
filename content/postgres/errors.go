package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"dateline/content"
)

// mapErr is the one place where PostgreSQL's errors become content's: a
// unique violation is ECONFLICT, a serialization failure, deadlock, lock
// timeout or a server that is shutting down or out of connections is
// EUNAVAILABLE (the HTTP layers answer 503 and clients retry), a full
// disk is EUNAVAILABLE with content.MsgDiskFull. Errors that carry a
// content error already, and others, pass unchanged.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ce *content.Error
	if errors.As(err, &ce) {
		return err // mapped already
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505": // unique_violation
		return fmt.Errorf("%w: %w", content.Errorf(content.ECONFLICT, "this exists already"), err)
	case "40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03", "53300": // serialization, deadlock, lock, cancel, shutdown, too many connections
		return fmt.Errorf("%w: %w", content.Errorf(content.EUNAVAILABLE, "the database is busy; try again"), err)
	case "53100": // disk_full
		return fmt.Errorf("%w: %w", content.Errorf(content.EUNAVAILABLE, content.MsgDiskFull), err)
	}
	return err
}

// noRows reports whether err is a query's "no row".
func noRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// retryable reports whether err is the server aborting a transaction to
// resolve a conflict with another (a deadlock victim, a serialization
// failure): running it again may succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}
