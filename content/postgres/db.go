// Package postgres stores Dateline's content in PostgreSQL through
// jackc/pgx (a pgxpool), for newsrooms that run several Dateline
// instances against one database. Like content/sqlite it loads state and
// persists the plans package content decides; every SQL statement of the
// store lives in this package.
package postgres

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"dateline/content"
	"dateline/content/textsearch"
)

// DB is the Dateline database on a PostgreSQL server. Its methods are safe
// for concurrent use, also by several processes on one database.
type DB struct {
	pool *pgxpool.Pool
	gen  atomic.Uint64 // content generation; see Generation

	// clock is the current time (Options.Now); zone the newsroom's IANA
	// time zone, the default dateline zone.
	clock     func() time.Time
	zone      string
	revisions RevisionPolicy
	// tsConfig is the text search configuration of the newsroom's
	// language, analyzer its analyzer for snippets (search.go).
	tsConfig string
	analyzer *textsearch.Analyzer
	// searchWindow is how many of a search's newest matches rank by
	// relevance (Options.SearchWindow; search.go).
	searchWindow int

	// render makes the public JSON of published stories that writes
	// store (public.go) under renderKey; nil stores none.
	render    Renderer
	renderKey string

	// schedules and events signal, after the commit, every change that
	// may have set, moved or cleared a publish_at or unpublish_at, and
	// every change that wrote outbox events (follow.go).
	schedules, events chan struct{}
	// self tells this instance's outbox notifications from the others';
	// follow records how Follow caught up with the others (follow.go).
	self   string
	follow content.FollowRecorder
}

// defaultMaxConns is the smallest default pool of an instance: three
// instances take 36 of PostgreSQL's default 100 connections.
const defaultMaxConns = 12

// Options configure Open. They mirror content/sqlite's where they apply.
type Options struct {
	Zone string // newsroom time zone; default "UTC"
	// Now is the clock of every time the store records and every time rule
	// it applies; default time.Now. Tests pass a frozen or movable one.
	Now func() time.Time
	// MaxConns is the size of the connection pool; default pool_max_conns
	// in url, else the larger of defaultMaxConns and 4 per CPU.
	MaxConns int32
	// Render makes the public JSON stored at write time, so that reads can
	// serve it as it is; nil stores none (writes then only delete what
	// they make stale, and reads find none).
	Render Renderer
	// Revisions says which revisions saves keep; the zero value keeps all.
	Revisions RevisionPolicy
	// Language is the newsroom language (BCP 47, e.g. "en", "ru"), which
	// chooses the text search configuration (search.go); default English.
	Language string
	// SearchWindow is how many of a search's newest matches are ranked by
	// relevance, the older ones following newest first (search.go);
	// default 200, as on SQLite.
	SearchWindow int
}

// RevisionPolicy says how many revisions the store keeps; it is
// content/sqlite's policy, read the same way. The zero value keeps every
// revision of every save.
type RevisionPolicy struct {
	AutosaveWindow time.Duration // 0: every autosave adds a revision
	Keep           int           // 0: no revision is ever deleted
	KeepFor        time.Duration // revisions younger than this always stay
}

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string) and applies pending migrations, once even when
// several instances start at once (migrate.go). A database whose schema is
// newer than this binary is refused.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	if opt.Zone == "" {
		opt.Zone = "UTC"
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	switch {
	case opt.MaxConns > 0:
		cfg.MaxConns = opt.MaxConns
	case !strings.Contains(url, "pool_max_conns"):
		// pgxpool's own default, max(4, CPUs), leaves a small server three
		// connections for requests once Follow holds one to listen: reads
		// that wait on the database (search, cold pages) queue behind
		// each other at a few dozen concurrent clients.
		cfg.MaxConns = int32(max(defaultMaxConns, 4*runtime.NumCPU()))
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// An unreachable server fails the start instead of hanging on
		// the operating system's TCP timeout; connect_timeout overrides.
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		// Instants come back in UTC, as the store's clock gives them.
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	var renderKey string
	if opt.Render != nil {
		renderKey = opt.Render.Key()
	}
	db := &DB{pool: pool, clock: opt.Now, zone: opt.Zone, revisions: opt.Revisions, render: opt.Render, renderKey: renderKey,
		schedules: make(chan struct{}, 1), events: make(chan struct{}, 1), self: rand.Text(), analyzer: textsearch.New(opt.Language), searchWindow: opt.SearchWindow}
	if db.searchWindow <= 0 {
		db.searchWindow = 200
	}
	if err := db.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if db.tsConfig, err = db.textConfig(ctx, opt.Language); err != nil {
		pool.Close()
		return nil, err
	}
	if err := db.ensureSearch(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	var head int64
	if err := pool.QueryRow(ctx, "SELECT COALESCE(max(id), 0) FROM events").Scan(&head); err != nil {
		pool.Close()
		return nil, fmt.Errorf("read the outbox head: %w", mapErr(err))
	}
	db.gen.Store(uint64(head))
	return db, nil
}

// Close closes the pool, waiting for connections in use to be released.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping database: %w", mapErr(err))
	}
	return nil
}

// Now returns the current time on the store's clock (Options.Now).
func (db *DB) Now() time.Time { return db.clock() }

// now is the current time as stored: UTC, to the microsecond.
func (db *DB) now() time.Time { return db.clock().UTC().Truncate(time.Microsecond) }

// Generation returns the content generation: the id of the last outbox
// event (outbox.go) of a write this DB committed, a number that grows
// after every committed write readers of the public API may see. It moves
// once the commit is done, so a reader that sees a new generation also
// sees the write.
func (db *DB) Generation() uint64 { return db.gen.Load() }

// querier is what reads need: the pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// wtx is one write transaction in progress, the value withTx hands its fn.
// A write readers can see appends its outbox events through it (emit).
type wtx struct {
	pgx.Tx
	last     int64 // the id of the last event emitted; 0: none
	schedule bool  // the write may have changed a publish_at or unpublish_at
	// public holds the stories whose stored public JSON the transaction
	// changed (public.go): it must append an event, or it is refused.
	public map[string]bool
}

// withTx runs fn in a transaction (READ COMMITTED; rows a write depends
// on are locked with FOR UPDATE where it reads them) and commits when fn
// returns nil. Once the commit is done the generation moves past the
// events fn appended, EventsWritten and ScheduleChanges signal what fn
// declared (tx.last, tx.schedule), and the other instances are notified
// of it (follow.go). A transaction the server aborted as a deadlock
// victim or a serialization failure runs again, up to txAttempts times in
// all, so fn must leave nothing behind but what it returns through its
// closure; after that the error is EUNAVAILABLE.
func (db *DB) withTx(ctx context.Context, fn func(tx *wtx) error) error {
	var err error
	for range txAttempts {
		if err = db.tryTx(ctx, fn); !retryable(err) {
			return err
		}
	}
	return err
}

// txAttempts is how many times withTx runs a transaction the server
// aborted to resolve a conflict.
const txAttempts = 3

func (db *DB) tryTx(ctx context.Context, fn func(tx *wtx) error) error {
	ptx, err := db.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", mapErr(err))
	}
	tx := &wtx{Tx: ptx}
	err = fn(tx)
	if err == nil {
		err = tx.undeclared()
	}
	if err == nil {
		err = tx.notifyPeers(ctx, db.self)
	}
	if err != nil {
		ptx.Rollback(context.WithoutCancel(ctx))
		return mapErr(err)
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", mapErr(err))
	}
	if tx.last > 0 {
		db.committed(uint64(tx.last))
		notify(db.events)
	}
	if tx.schedule {
		notify(db.schedules)
	}
	return nil
}

// committed moves the generation to n unless it is past it already.
func (db *DB) committed(n uint64) {
	for {
		g := db.gen.Load()
		if g >= n || db.gen.CompareAndSwap(g, n) {
			return
		}
	}
}

// Pools describes the connection pool, for metrics (one pool, "postgres").
func (db *DB) Pools() []content.PoolStats {
	s := db.pool.Stat()
	return []content.PoolStats{{Name: "postgres", Open: int(s.TotalConns()), InUse: int(s.AcquiredConns()), Idle: int(s.IdleConns()),
		MaxOpen: int(s.MaxConns()), Waits: s.EmptyAcquireCount(), Waited: s.EmptyAcquireWaitTime()}}
}

// Path names the database for people: the server, port, database and
// user, without a password or other secrets.
func (db *DB) Path() string {
	c := db.pool.Config().ConnConfig
	return fmt.Sprintf("postgres://%s@%s/%s", c.User, net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port))), c.Database)
}
