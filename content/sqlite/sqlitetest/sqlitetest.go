// Package sqlitetest reaches under the store for tests of other packages
// that need a state no store method writes: another process holding the
// write lock, a database from a newer Dateline, another application's
// SQLite file, a row changed behind the store's back. The SQL stays here,
// beside the store that owns the schema, so a change of schema is fixed in
// one place.
//
// Every helper opens a connection of its own to the database file at path,
// as another process would, closes it before it returns (HoldWriteLock
// keeps it until released) and fails the test on any error. Nothing here
// is for production code.
package sqlitetest

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the driver of WriteForeignDatabase

	"dateline/content/sqlite"
)

// open returns a handle on the file at path that creates nothing.
func open(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	driver, err := sqlite.DriverName() // the SQL functions of the store's triggers
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open(driver, "file:"+path+"?mode=rw&_busy_timeout=5000&_foreign_keys=1")
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// exec runs one statement on the file at path in a connection of its own.
func exec(tb testing.TB, path, query string, args ...any) sql.Result {
	tb.Helper()
	db := open(tb, path)
	defer db.Close()
	res, err := db.ExecContext(context.Background(), query, args...)
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return res
}

// HoldWriteLock takes the write lock of the database at path from a
// connection of its own (BEGIN IMMEDIATE, which in WAL mode is also what
// BEGIN EXCLUSIVE takes), as another process writing would: every writer
// waits, readers do not. The lock is held until release is called or the
// test ends; release may be called more than once.
func HoldWriteLock(tb testing.TB, path string) (release func()) {
	tb.Helper()
	ctx := context.Background()
	db := open(tb, path)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		tb.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		conn.Close()
		db.Close()
		tb.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(ctx, "ROLLBACK")
			conn.Close()
			db.Close()
		})
	}
	tb.Cleanup(release)
	return release
}

// ClaimNewerSchema records, in the Dateline database at path, a migration
// of the given version that this binary does not know, as a newer Dateline
// would leave it. The store then refuses to open the file.
func ClaimNewerSchema(tb testing.TB, path string, version int) {
	tb.Helper()
	exec(tb, path, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from a newer Dateline', '2099-01-01T00:00:00Z')", version)
}

// WriteForeignDatabase creates, at path, the SQLite file of another
// application: one table of customers with one row.
func WriteForeignDatabase(tb testing.TB, path string) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO customers (name) VALUES ('Ann')"} {
		if _, err := db.Exec(q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
}

// EraseCredits empties the credit of every photo of the story articleID:
// a state the API cannot reach for a story that is scheduled or published
// (publishing needs credited photos), as a hand edit of the file could
// leave it. It fails the test if the story has no photo.
func EraseCredits(tb testing.TB, path, articleID string) {
	tb.Helper()
	res := exec(tb, path, "UPDATE article_photos SET credit = '' WHERE article_id = ?", articleID)
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		tb.Fatalf("erase credits of %s: %d photos changed (%v)", articleID, n, err)
	}
}

// ReplacePreviewDocument replaces the document stored with preview grant
// id, the bytes the preview endpoint serves, behind the store's back.
func ReplacePreviewDocument(tb testing.TB, path, id string, document []byte) {
	tb.Helper()
	res := exec(tb, path, "UPDATE preview_grants SET document = ? WHERE id = ?", document, id)
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		tb.Fatalf("replace the document of preview grant %s: %d rows changed (%v)", id, n, err)
	}
}

// RaiseEventSequence moves the outbox's AUTOINCREMENT sequence by n past
// the last event, as events written and since removed would leave it: the
// next event id is n larger than the last one's plus one.
func RaiseEventSequence(tb testing.TB, path string, n int64) {
	tb.Helper()
	res := exec(tb, path, "UPDATE sqlite_sequence SET seq = seq + ? WHERE name = 'events'", n)
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		tb.Fatalf("raise the event sequence: %d rows changed (%v)", k, err)
	}
}

// ReplacePublicJSON replaces the stored public JSON of story articleID
// (the whole story; kept under its render key) by full, as a stale or
// damaged row would hold it.
func ReplacePublicJSON(tb testing.TB, path, articleID string, full []byte) {
	tb.Helper()
	res := exec(tb, path, "UPDATE article_public SET public_json = ? WHERE article_id = ?", full, articleID)
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		tb.Fatalf("replace the public JSON of %s: %d rows changed (%v)", articleID, k, err)
	}
}

// ForgetLastMigration removes the record of the newest migration, as a
// database of the release before it would be (its schema is not rolled
// back).
func ForgetLastMigration(tb testing.TB, path string) {
	tb.Helper()
	exec(tb, path, "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)")
}
