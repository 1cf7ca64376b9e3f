package postgres

import (
	"context"
	"fmt"
	"time"

	"dateline/content"
)

// The outbox (table events) is the record of every committed write readers
// of the public API may see: such a write appends its events in its own
// transaction (wtx.emit), and a write that appends none is one they cannot
// see.
//
// Consumers read the outbox by id (Events with AfterID, the webhook
// fan-out's cursor), so ids must become visible in the order they are
// issued: an event committed after a consumer read past its id would be
// missed for good. emit therefore takes a transaction-scoped advisory lock
// before it inserts, held until the transaction ends: transactions that
// append events commit one at a time, in id order, on every instance.
// Writes readers cannot see take no such lock.

// outboxLock is the key of the advisory lock of outbox appends.
const outboxLock = 7_265_843_002

// emit appends ev, as content decided it, to the outbox at time at: the
// write is one readers can see, and the generation moves past it once it
// commits.
func (tx *wtx) emit(ctx context.Context, ev content.Emit, at time.Time) error {
	if ev.Payload == nil {
		ev.Payload = map[string]any{}
	}
	if tx.last == 0 {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", outboxLock); err != nil {
			return fmt.Errorf("lock the outbox: %w", mapErr(err))
		}
	}
	if err := tx.QueryRow(ctx, `INSERT INTO events (type, article_id, slug, payload, occurred_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, ev.Type, ev.ArticleID, ev.Slug, ev.Payload, at).Scan(&tx.last); err != nil {
		return fmt.Errorf("insert %s event: %w", ev.Type, mapErr(err))
	}
	return nil
}

// Events returns outbox events with an id greater than f.AfterID, of the
// types f.Types (every type when empty), oldest first, at most f.Limit
// (default content.DefaultLimit). Events exist only for changes of what
// readers see, so every one may be shown publicly.
func (db *DB) Events(ctx context.Context, f content.EventFilter) ([]content.Event, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	return queryEvents(ctx, db.pool, f.AfterID, limit, f.Types...)
}

// LastEventID returns the id of the newest event, or 0 when there is none.
func (db *DB) LastEventID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.pool.QueryRow(ctx, "SELECT COALESCE(max(id), 0) FROM events").Scan(&id); err != nil {
		return 0, fmt.Errorf("read last event id: %w", mapErr(err))
	}
	return id, nil
}

// queryEvents returns up to limit events after id after, of the types
// types (every type when none).
func queryEvents(ctx context.Context, q querier, after int64, limit int, types ...string) ([]content.Event, error) {
	query, args := `SELECT id, type, article_id, slug, payload, occurred_at FROM events WHERE id > $1`, []any{after}
	if len(types) > 0 {
		query += " AND type = ANY($2)"
		args = append(args, types)
	}
	args = append(args, limit)
	rows, err := q.Query(ctx, query+fmt.Sprintf(" ORDER BY id LIMIT $%d", len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("query events: %w", mapErr(err))
	}
	defer rows.Close()
	evs := []content.Event{}
	for rows.Next() {
		var e content.Event
		if err := rows.Scan(&e.ID, &e.Type, &e.ArticleID, &e.Slug, &e.Payload, &e.OccurredAt); err != nil {
			return nil, fmt.Errorf("scan event: %w", mapErr(err))
		}
		if e.Payload == nil {
			e.Payload = map[string]any{}
		}
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query events: %w", mapErr(err))
	}
	return evs, nil
}
