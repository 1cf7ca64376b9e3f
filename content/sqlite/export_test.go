package sqlite

import "context"

// ExecForTest runs a statement on the writer; tests use it to set up states
// the API cannot reach.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.w.ExecContext(ctx, query, args...)
	return err
}
