package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"dateline/content"
)

// Events returns outbox events with an id greater than f.AfterID, of the
// types f.Types (every type when empty), oldest first, at most f.Limit
// (default content.DefaultLimit). Events exist only for changes of what
// readers see (published stories, and the tags and authors they carry), so
// every one may be shown publicly.
func (db *DB) Events(ctx context.Context, f content.EventFilter) ([]content.Event, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	return queryEvents(ctx, db.r, f.AfterID, limit, f.Types...)
}

// LastEventID returns the id of the newest event, or 0 when there is none.
func (db *DB) LastEventID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM events").Scan(&id); err != nil {
		return 0, fmt.Errorf("read last event id: %w", mapErr(err))
	}
	return id, nil
}

// queryEvents returns up to limit events after id after, of the types
// types (every type when none).
func queryEvents(ctx context.Context, q querier, after int64, limit int, types ...string) ([]content.Event, error) {
	query, args := `SELECT id, type, article_id, slug, payload, occurred_at FROM events WHERE id > ?`, []any{after}
	if len(types) > 0 {
		query += " AND type IN (" + placeholders(len(types)) + ")"
		for _, t := range types {
			args = append(args, t)
		}
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY id LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("query events: %w", mapErr(err))
	}
	defer rows.Close()
	evs := []content.Event{}
	for rows.Next() {
		var e content.Event
		var payload, at string
		if err := rows.Scan(&e.ID, &e.Type, &e.ArticleID, &e.Slug, &payload, &at); err != nil {
			return nil, fmt.Errorf("scan event: %w", mapErr(err))
		}
		if err := decodeEvent(&e, payload, at); err != nil {
			return nil, err
		}
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query events: %w", mapErr(err))
	}
	return evs, nil
}

func decodeEvent(e *content.Event, payload, at string) error {
	e.Payload = map[string]any{}
	if err := json.Unmarshal([]byte(payload), &e.Payload); err != nil {
		return fmt.Errorf("decode payload of event %d: %w", e.ID, err)
	}
	t, err := parseTime(at)
	if err != nil {
		return err
	}
	e.OccurredAt = t
	return nil
}

// notify signals ch after a committed change, without blocking.
func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default: // one pending signal stands for any number of changes
	}
}

// ScheduleChanges signals after every committed change that may have set,
// moved or cleared a publish_at or unpublish_at, also another process's
// once Follow has found it: the scheduler re-arms its timer on it. Signals
// coalesce: one pending signal stands for every change since the last
// receive.
func (db *DB) ScheduleChanges() <-chan struct{} { return db.schedules }

// EventsWritten signals, like ScheduleChanges, after every committed change
// that may have written an outbox event: the webhook dispatcher wakes on it.
func (db *DB) EventsWritten() <-chan struct{} { return db.events }

var _ querier = (*sql.Tx)(nil)
