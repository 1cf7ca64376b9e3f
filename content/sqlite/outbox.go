package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"dateline/content"
)

// The outbox (table events) is the record of every committed write readers
// of the public API may see: such a write appends its events in its own
// transaction (wtx.emit), and a write that appends none is one they cannot
// see. The outbox head, the last id the outbox has issued, is therefore
// the content generation a process caches by (Generation), shared by every
// process that opens the file. A process learns of its own writes when
// they commit, and of other processes' writes from Follow or when its own
// next write transaction reads the head. The store keeps no cache: the
// caches of the read path (content/delivery) follow the generation, and
// read the events behind it to learn which stories a write changed.
//
// The head is read from sqlite_sequence, where SQLite keeps the largest id
// an AUTOINCREMENT table has issued: one row per such table, so a read
// costs about as much as a read can (BenchmarkReadHead), and ids are never
// reused, so the head never goes backwards. Migration 0018 started it
// above the content version the generation counted before, for the same
// reason.

// errUndeclared is the error of a write transaction that changed what
// readers see without appending an outbox event.
var errUndeclared = errors.New("a write readers can see appended no outbox event")

// wtx is one write transaction in progress, the value withTx hands its fn:
// the transaction, through which fn declares what readers see of the write.
// It lives for one transaction; nothing of it is kept on the DB.
type wtx struct {
	*sql.Tx
	// public holds the stories whose stored public JSON the transaction
	// changed (publicChanged).
	public map[string]bool
}

// emit appends ev, as content decided it, to the outbox at the stored
// time at: the write is one readers can see, and the generation of every
// process moves past it once it commits.
func (tx *wtx) emit(ctx context.Context, ev content.Emit, at string) error {
	if ev.Payload == nil {
		ev.Payload = map[string]any{}
	}
	b, err := json.Marshal(ev.Payload)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", ev.Type, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO events (type, article_id, slug, payload, occurred_at) VALUES (?, ?, ?, ?, ?)",
		ev.Type, ev.ArticleID, ev.Slug, string(b), at); err != nil {
		return fmt.Errorf("insert %s event: %w", ev.Type, mapErr(err))
	}
	return nil
}

// publicChanged records that the transaction changed the stored public
// JSON of story id, which readers are served: withTx refuses to commit it
// unless the transaction appended an outbox event too.
func (tx *wtx) publicChanged(id string) {
	if tx.public == nil {
		tx.public = map[string]bool{}
	}
	tx.public[id] = true
}

// stories returns the ids publicChanged recorded, sorted.
func (tx *wtx) stories() []string {
	ids := make([]string, 0, len(tx.public))
	for id := range tx.public {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// readHead returns the outbox head as q sees it: the largest event id ever
// issued, or 0 before the first.
func readHead(ctx context.Context, q querier) (uint64, error) {
	var n uint64
	err := q.QueryRowContext(ctx, "SELECT seq FROM sqlite_sequence WHERE name = 'events'").Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the outbox head: %w", mapErr(err))
	}
	return n, nil
}

// head returns the outbox head as last committed.
func (db *DB) head(ctx context.Context) (uint64, error) { return readHead(ctx, db.r) }

// committed records that this process's write, which moved the outbox
// head from before to after, has committed. If the generation was not
// before, other processes wrote in between, and what they changed is
// dropped too.
func (db *DB) committed(before, after uint64) {
	if !db.gen.CompareAndSwap(before, after) {
		db.catchUp(after)
	}
}

// catchUp moves the generation to n, if it is behind.
func (db *DB) catchUp(n uint64) {
	if db.gen.Load() >= n {
		return
	}
	for {
		g := db.gen.Load()
		if g >= n || db.gen.CompareAndSwap(g, n) {
			return
		}
	}
}

// Follow watches the database every interval until ctx ends and catches
// up with writes other processes committed, so that this process serves
// them within about one interval; it returns nil when ctx ends. Each tick
// reads PRAGMA data_version on a connection Follow holds, which changes
// when any other connection has committed: only then does it read the
// outbox head. A head past the generation is another process's write
// readers can see: Follow catches up with it and signals ScheduleChanges
// and EventsWritten, whose work that write may have changed. A commit that
// left the head (a schedule set, a delivery claimed) signals
// ScheduleChanges alone, so that this process's scheduler re-arms for a
// story another process scheduled. A failed read is retried at the next
// tick.
func (db *DB) Follow(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	var f follower
	defer f.close()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		db.followOnce(ctx, &f)
	}
}

// FollowStats reports how Follow has caught up with other processes'
// writes. None is timed: a process learns of them at its next tick, and
// the outbox keeps their times to the second only.
func (db *DB) FollowStats() content.FollowStats { return db.follow.Stats() }

// follower is what Follow keeps between ticks: its connection and the
// data_version it last read there (0: none yet).
type follower struct {
	conn    *sql.Conn
	version int64
}

func (f *follower) close() {
	if f.conn != nil {
		f.conn.Close()
		f.conn = nil
	}
}

// followOnce is one tick of Follow.
func (db *DB) followOnce(ctx context.Context, f *follower) {
	if f.conn == nil {
		c, err := db.r.Conn(ctx)
		if err != nil {
			return
		}
		f.conn, f.version = c, 0
	}
	var v int64
	if err := f.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		f.close()
		return
	}
	if v == f.version {
		return // no other connection has committed since the last tick
	}
	n, err := readHead(ctx, f.conn)
	if err != nil {
		return // read again at the next tick
	}
	first := f.version == 0
	f.version = v
	if n > db.gen.Load() {
		db.catchUp(n)
		db.follow.Caught(-1)
		notify(db.events)
	} else if first {
		return
	}
	notify(db.schedules)
}
