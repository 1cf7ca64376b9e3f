// Package sqlite stores Dateline's content in an embedded SQLite database
// through mattn/go-sqlite3: one writer connection for every change and a
// pool of read-only connections for everything else. Every SQL statement of
// the application lives in this package.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"

	"dateline/content"
	"dateline/content/textsearch"
)

// TimeLayout is how instants are stored: fixed-width UTC, so that stored
// times sort and compare as strings.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// driverName is the database/sql driver that DB opens its connections
// with: github.com/mattn/go-sqlite3, with the SQL functions Dateline adds
// (registerFunctions in rank.go).
const driverName = "sqlite3_dateline"

// DB is the Dateline database. Its methods are safe for concurrent use.
type DB struct {
	w    *writer // one connection; BEGIN IMMEDIATE transactions (writer.go)
	r    *sql.DB // read-only pool
	path string
	gen  atomic.Uint64 // content generation; see Generation
	// follow records how Follow caught up with other processes (outbox.go).
	follow content.FollowRecorder
	// revisions is the retention policy of revisions (revisions.go).
	revisions RevisionPolicy
	// analyzer analyzes search queries as the index was built
	// (ensureSearch); nil when Open did not migrate.
	analyzer *textsearch.Analyzer

	// clock is the current time (Options.Now); zone the newsroom's IANA
	// time zone, the default dateline zone.
	clock func() time.Time
	zone  string

	// schedules and events signal, after the commit, every change that may
	// have set, moved or cleared a publish_at or unpublish_at, and every
	// change that may have written an outbox event (ScheduleChanges,
	// EventsWritten).
	schedules, events chan struct{}

	// render makes the public JSON of published stories that writes store
	// (public.go) under renderKey; nil stores none.
	render    Renderer
	renderKey string
}

// Renderer makes the public JSON of a published story (content/shape's
// Renderer): every write that changes what a published story shows stores
// its new JSON, under Key, in the same transaction (public.go). linked maps
// the ids of the published stories a's related links point to to their
// slugs.
type Renderer interface {
	Render(a *content.Article, linked map[string]string) (content.PublicJSON, error)
	Key() string
}

// Options configure Open.
type Options struct {
	Zone string // newsroom time zone; default "UTC"
	// Now is the clock of every time the store records and every time rule
	// it applies; default time.Now. Tests pass a frozen or movable one.
	Now func() time.Time
	// Render makes the public JSON stored at write time, so that reads can
	// serve it as it is; nil stores none (writes then only delete what
	// they make stale, and reads find none). Serve passes the renderer the
	// delivery API serves with.
	Render   Renderer
	Readers  int  // size of the read pool, at least 2 (Follow holds one); default max(4, 2×CPUs)
	NoCreate bool // refuse to create a missing database file

	// BusyTimeout is how long a write waits in total, for this process's
	// other writes and for a lock held by another connection, before it
	// fails with content.EUNAVAILABLE; default 5s.
	BusyTimeout time.Duration
	// NoMigrate applies no migrations: the schema is only checked (a
	// Dateline database, not newer than this binary). The backup command
	// uses it so that it never changes the database it copies.
	NoMigrate bool
	// Revisions says which revisions saves keep; the zero value keeps all.
	Revisions RevisionPolicy
	// Language is the newsroom language (BCP 47, e.g. "en", "ru"), which
	// chooses how search stems words (content/textsearch); default
	// English. Open rebuilds the search index when it changes.
	Language string
}

// pageSize is the page size of the database files Open creates. Most rows
// of a newsroom are a few kilobytes (a revision's state is 2.5 KB packed, a
// story's stored JSON 4 KB, a story 7 KB): in pages of 4 KB, SQLite's
// default, a page holds one of them and leaves the rest of it unused, a
// fifth of the file in all; pages of 8 KB hold two or three. Files created
// before keep their page size.
const pageSize = 8192

// createFile creates the database file at path with pageSize, in WAL mode,
// unless it exists with content.
func createFile(ctx context.Context, path string) error {
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		return nil
	}
	d, err := sql.Open(driverName, "file:"+path+"?mode=rwc")
	if err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	defer d.Close()
	conn, err := d.Conn(ctx)
	if err != nil {
		return fmt.Errorf("create database %s: %w", path, notADatabase(err))
	}
	defer conn.Close()
	// The page size holds once the first page is written, which setting
	// the journal mode does.
	for _, q := range []string{"PRAGMA page_size = " + strconv.Itoa(pageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("create database %s: %w", path, mapErr(err))
		}
	}
	return nil
}

// Open opens (creating if needed) the database file at path and applies
// pending migrations. A database written by a newer Dateline is refused, and
// so is a file that is not a Dateline database (checkForeign), untouched.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if err := registerFunctions(); err != nil {
		return nil, err
	}
	if opt.Zone == "" {
		opt.Zone = "UTC"
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Readers <= 0 {
		opt.Readers = max(4, 2*runtime.NumCPU())
	}
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = 5 * time.Second
	}
	if err := checkForeign(ctx, path); err != nil {
		return nil, err
	}
	if !opt.NoCreate {
		if err := createFile(ctx, path); err != nil {
			return nil, err
		}
	}
	busy := strconv.FormatInt(max(1, opt.BusyTimeout.Milliseconds()), 10)
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "1")
	q.Set("_busy_timeout", "0") // the writer waits for locks itself (writer.go)
	q.Set("_txlock", "immediate")
	q.Set("_stmt_cache_size", "64")
	if opt.NoCreate {
		q.Set("mode", "rw")
	}
	w, err := sql.Open(driverName, "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, notADatabase(err))
	}

	rq := url.Values{}
	rq.Set("_foreign_keys", "1")
	rq.Set("_busy_timeout", busy)
	rq.Set("_stmt_cache_size", "64")
	rq.Set("_query_only", "1")
	rq.Set("mode", "ro")
	r, err := sql.Open(driverName, "file:"+path+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	// Follow holds one connection of the pool for as long as it runs
	// (PRAGMA data_version is per connection), so the pool has at least
	// two and reads always have one. Readers is the whole pool: each
	// connection keeps its own page and statement caches, and the load
	// benchmark read no faster with one more than the default.
	r.SetMaxOpenConns(max(opt.Readers, 2))
	r.SetMaxIdleConns(max(opt.Readers, 2))
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)

	var renderKey string
	if opt.Render != nil {
		renderKey = opt.Render.Key()
	}
	db := &DB{w: &writer{DB: w, busy: opt.BusyTimeout}, r: r, render: opt.Render, renderKey: renderKey, path: path, clock: opt.Now, zone: opt.Zone, revisions: opt.Revisions,
		schedules: make(chan struct{}, 1), events: make(chan struct{}, 1)}
	migrate := db.Migrate
	if opt.NoMigrate {
		migrate = db.checkSchema
	}
	if err := migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if !opt.NoMigrate {
		if _, err := db.ensureSearch(ctx, opt.Language); err != nil {
			db.Close()
			return nil, err
		}
		n, err := db.head(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		db.gen.Store(n)
	}
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.r.Close(), db.w.Close())
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers reads.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping database: %w", mapErr(err))
	}
	return nil
}

// Now returns the current time on the store's clock (Options.Now).
func (db *DB) Now() time.Time { return db.clock() }

func (db *DB) now() time.Time { return db.clock().UTC() }

// withTx runs fn in a write transaction (BEGIN IMMEDIATE: the write lock is
// taken at the start, so reads inside fn see the state fn changes) and
// commits when fn returns nil. Waiting for the transaction to start takes
// at most the busy timeout (see writer).
//
// fn declares what readers of the public API see of the write through tx:
// a write they can see appends its outbox events (tx.emit); a write that
// appends none is invisible to them, and every cache stays as it is. The
// outbox is the only record of visibility: withTx reads the outbox head
// (outbox.go) when the transaction starts and again before it commits, so
// whatever appended the events (a savepoint rolled back included) the
// generation moves exactly when the outbox did. A transaction that changed
// stored public JSON (tx.publicChanged) without appending an event is a
// write that forgot its declaration: it is rolled back with an error, so
// that no reader is served a change no cache, peer or webhook heard of.
func (db *DB) withTx(ctx context.Context, fn func(tx *wtx) error) error {
	c, stx, err := db.w.begin(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	tx := &wtx{Tx: stx}
	fail := func(err error) error {
		stx.Rollback()
		return err
	}
	before, err := readHead(ctx, stx)
	if err != nil {
		return fail(err)
	}
	// A head past the generation is other processes' writes, committed:
	// the generation catches up with them here as Follow would, so that
	// this process's caches drop what they changed before they read what
	// this write does.
	db.catchUp(before)
	if err := fn(tx); err != nil {
		return fail(err)
	}
	after, err := readHead(ctx, stx)
	if err != nil {
		return fail(err)
	}
	if after == before && len(tx.public) > 0 {
		return fail(fmt.Errorf("%w: the stored public JSON of %s changed", errUndeclared, strings.Join(tx.stories(), ", ")))
	}
	if err := stx.Commit(); err != nil {
		return mapErr(err)
	}
	if after != before {
		db.committed(before, after)
		notify(db.events)
	}
	return nil
}

// Generation returns the content generation: the outbox head (outbox.go)
// this process's caches reflect, a number that grows after every committed
// write readers of the public API may see. It moves once
// the commit is done, so a reader that sees a new generation also sees the
// write. Caches key responses by it. Writes of this process move it when
// they commit; writes of other processes on the same file when Follow
// finds them.
func (db *DB) Generation() uint64 { return db.gen.Load() }

// mapErr turns busy and locked database errors into content.EUNAVAILABLE so
// that HTTP layers answer 503 instead of 500; other errors, and errors that
// already carry a content error, pass unchanged.
func mapErr(err error) error {
	var ce *content.Error
	if errors.As(err, &ce) {
		return err // mapped already
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return fmt.Errorf("%w: %w", errBusy(), err)
		case sqlite3.ErrFull:
			return fmt.Errorf("%w: %w", content.Errorf(content.EUNAVAILABLE, content.MsgDiskFull), err)
		}
	}
	return err
}

// timeText formats t for storage.
func timeText(t time.Time) string { return t.UTC().Format(TimeLayout) }

// optTime formats an optional instant for storage.
func optTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timeText(*t)
	return &s
}

// parseTime parses a stored instant.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse stored time %q: %w", s, err)
	}
	return t, nil
}

// parseNullTime parses an optional stored instant.
func parseNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
