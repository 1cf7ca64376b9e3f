package sqlite

import "context"

// ExecForTest runs a statement on the writer; tests use it to set up states
// the API cannot reach.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.w.ExecContext(ctx, query, args...)
	return err
}

// LimitPagesForTest caps the writer's database at its current size (PRAGMA
// max_page_count), so that the next write needing a new page fails as on a
// full disk.
func (db *DB) LimitPagesForTest(ctx context.Context) error {
	_, err := db.w.ExecContext(ctx, "PRAGMA max_page_count = 1")
	return err
}
