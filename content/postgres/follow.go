package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"dateline/content"
)

// Instances learn of each other's writes through LISTEN/NOTIFY: a
// transaction that appended outbox events notifies outboxChannel with the
// id of its last event, the instant it was about to commit (Unix
// microseconds, its clock) and the instance (outboxNote), and one that may
// have set, moved or cleared a publish_at or unpublish_at notifies
// scheduleChannel; PostgreSQL delivers both when, and only if, it commits.
// Follow listens, and polls the outbox head as well, since a notification
// is lost while its connection is down. The lag from the writer's commit to
// another instance catching up is FollowStats' (instances on machines
// whose clocks differ add the difference).

const (
	outboxChannel   = "dateline_outbox"
	scheduleChannel = "dateline_schedule"
)

// ScheduleChanges signals, after the commit, every change (of this
// instance, or of another one Follow heard of) that may have set, moved or
// cleared a publish_at or unpublish_at: the scheduler re-arms.
func (db *DB) ScheduleChanges() <-chan struct{} { return db.schedules }

// EventsWritten signals, after the commit, every write that appended
// outbox events (of this instance, or of another one Follow heard of): the
// webhook dispatcher fans out.
func (db *DB) EventsWritten() <-chan struct{} { return db.events }

// notify signals ch without blocking; a signal already pending stands for
// this one too.
func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// notifyPeers queues, inside tx, the notifications of what tx changed for
// the other instances, from instance self; the server sends them if tx
// commits.
func (tx *wtx) notifyPeers(ctx context.Context, self string) error {
	if tx.last > 0 {
		note := outboxNote{last: tx.last, at: time.Now(), from: self}
		if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", outboxChannel, note.String()); err != nil {
			return fmt.Errorf("notify %s: %w", outboxChannel, mapErr(err))
		}
	}
	if tx.schedule {
		if _, err := tx.Exec(ctx, "SELECT pg_notify($1, '')", scheduleChannel); err != nil {
			return fmt.Errorf("notify %s: %w", scheduleChannel, mapErr(err))
		}
	}
	return nil
}

// outboxNote is the payload of an outbox notification: "last at from".
type outboxNote struct {
	last int64     // the transaction's last event id
	at   time.Time // when the writer was about to commit
	from string    // the writing instance (DB.self)
}

func (n outboxNote) String() string {
	return strconv.FormatInt(n.last, 10) + " " + strconv.FormatInt(n.at.UnixMicro(), 10) + " " + n.from
}

// parseOutboxNote reads a payload String wrote; ok is false for any other.
func parseOutboxNote(s string) (n outboxNote, ok bool) {
	f := strings.Fields(s)
	if len(f) != 3 {
		return n, false
	}
	last, err1 := strconv.ParseInt(f[0], 10, 64)
	at, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil {
		return n, false
	}
	return outboxNote{last: last, at: time.UnixMicro(at), from: f[2]}, true
}

// FollowStats reports how Follow has caught up with other instances'
// writes: each catch-up a notification brought is timed from the writer's
// commit; one a poll of the head found (its notification was lost) is not.
func (db *DB) FollowStats() content.FollowStats { return db.follow.Stats() }

// Follow catches up with writes other instances commit until ctx ends,
// and returns nil then. It listens for their notifications on a
// connection of its own and, at least every interval, reads the outbox
// head too (a notification is lost while the connection is down, and the
// connection is then made again). A head past the generation is another
// instance's write readers can see: Follow moves the generation to it and
// signals EventsWritten and ScheduleChanges; a schedule notification
// signals ScheduleChanges.
func (db *DB) Follow(ctx context.Context, interval time.Duration) error {
	var c *pgxpool.Conn
	defer func() {
		if c != nil {
			c.Release()
		}
	}()
	for ctx.Err() == nil {
		if c == nil {
			var err error
			if c, err = db.listen(ctx); err != nil {
				c = nil
				db.sleep(ctx, interval)
				continue
			}
		}
		wait, cancel := context.WithTimeout(ctx, interval)
		n, err := c.Conn().WaitForNotification(wait)
		cancel()
		var note outboxNote
		noted := false
		if err == nil && n.Channel == outboxChannel {
			note, noted = parseOutboxNote(n.Payload)
		}
		switch {
		case err == nil && n.Channel == scheduleChannel:
			notify(db.schedules)
			continue
		case err != nil && ctx.Err() != nil:
			return nil
		case err != nil && !errors.Is(err, context.DeadlineExceeded):
			c.Conn().Close(context.Background()) // made again on the next turn
			c.Release()
			c = nil
		}
		// A notification of the outbox, or none for an interval: read
		// the head, on the listening connection while there is one (it
		// keeps notifications that arrive meanwhile for the next wait).
		q := querier(db.pool)
		if c != nil {
			q = c
		}
		var head int64
		if err := q.QueryRow(ctx, "SELECT COALESCE(max(id), 0) FROM events").Scan(&head); err != nil {
			continue
		}
		if uint64(head) > db.gen.Load() {
			db.committed(uint64(head))
			notify(db.events)
			notify(db.schedules)
			switch {
			case noted && note.from == db.self: // this instance's own commit, before it counted it
			case noted:
				db.follow.Caught(time.Since(note.at))
			default:
				db.follow.Caught(-1)
			}
		}
	}
	return nil
}

// listen acquires a connection of its own and listens on both channels.
func (db *DB) listen(ctx context.Context) (*pgxpool.Conn, error) {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	for _, ch := range []string{outboxChannel, scheduleChannel} {
		if _, err := c.Exec(ctx, "LISTEN "+ch); err != nil {
			c.Release()
			return nil, err
		}
	}
	return c, nil
}

// sleep waits d or until ctx ends.
func (db *DB) sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
