package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"dateline/content"
)

// FanOutEvents turns up to limit outbox events after the webhooks cursor
// into pending deliveries, one per event and active webhook that wants it,
// and moves the cursor past them, all in one transaction: an event is fanned
// out exactly once, whatever crashes. It returns how many events it read;
// fewer than limit means it has caught up.
func (db *DB) FanOutEvents(ctx context.Context, limit int) (int, error) {
	now := timeText(db.now())
	n := 0
	err := db.withTx(ctx, func(tx *wtx) error {
		var cursor int64
		if err := tx.QueryRowContext(ctx, "SELECT event_id FROM outbox_cursors WHERE name = 'webhooks'").Scan(&cursor); err != nil {
			return fmt.Errorf("read webhooks cursor: %w", mapErr(err))
		}
		evs, err := queryEvents(ctx, tx, cursor, limit)
		if err != nil || len(evs) == 0 {
			return err
		}
		n = len(evs)
		hooks, err := activeHooks(ctx, tx)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			for _, h := range hooks {
				if ev.ID <= h.after || !h.Wants(ev.Type) {
					continue
				}
				if err := insertDelivery(ctx, tx, h.ID, &ev, now); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE outbox_cursors SET event_id = ? WHERE name = 'webhooks'", evs[len(evs)-1].ID); err != nil {
			return fmt.Errorf("move webhooks cursor: %w", mapErr(err))
		}
		return nil
	})
	return n, err
}

// activeHook is what fan-out needs to know about a webhook.
type activeHook struct {
	content.Webhook
	after int64 // the last event before the hook was made
}

func activeHooks(ctx context.Context, tx *wtx) ([]activeHook, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, events, after_event_id FROM webhooks WHERE active = 1")
	if err != nil {
		return nil, fmt.Errorf("query active webhooks: %w", mapErr(err))
	}
	defer rows.Close()
	var hooks []activeHook
	for rows.Next() {
		var h activeHook
		var events string
		if err := rows.Scan(&h.ID, &events, &h.after); err != nil {
			return nil, fmt.Errorf("scan webhook: %w", mapErr(err))
		}
		if err := json.Unmarshal([]byte(events), &h.Events); err != nil {
			return nil, fmt.Errorf("decode events of webhook %s: %w", h.ID, err)
		}
		hooks = append(hooks, h)
	}
	return hooks, rows.Err()
}

// insertDelivery queues ev for hook; an event id already queued for the
// hook is ignored. ev.ID 0 is a test message without an event.
func insertDelivery(ctx context.Context, tx *wtx, hook string, ev *content.Event, now string) error {
	uid, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("new delivery id: %w", err)
	}
	payload, err := json.Marshal(ev.Payload)
	if err != nil {
		return fmt.Errorf("encode delivery payload: %w", err)
	}
	var eventID *int64
	if ev.ID != 0 {
		eventID = &ev.ID
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO webhook_deliveries
		(id, webhook_id, event_id, type, article_id, slug, payload, occurred_at, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"msg_"+strings.ReplaceAll(uid.String(), "-", ""), hook, eventID, ev.Type, ev.ArticleID, ev.Slug, string(payload),
		timeText(ev.OccurredAt), now, now, now)
	if err != nil {
		return fmt.Errorf("queue delivery to webhook %s: %w", hook, mapErr(err))
	}
	return nil
}

// QueueTestDelivery queues a test message (type content.EventTest) to
// webhook id, whether or not it is active, and returns it.
func (db *DB) QueueTestDelivery(ctx context.Context, id string) (*content.Delivery, error) {
	now := db.now()
	err := db.withTx(ctx, func(tx *wtx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM webhooks WHERE id = ?)", id).Scan(&exists); err != nil {
			return fmt.Errorf("look up webhook %s: %w", id, mapErr(err))
		}
		if !exists {
			return fmt.Errorf("webhook %s: %w", id, content.ErrNotFound)
		}
		return insertDelivery(ctx, tx, id, &content.Event{Type: content.EventTest, Payload: map[string]any{}, OccurredAt: now}, timeText(now))
	})
	if err != nil {
		return nil, err
	}
	ds, err := db.Deliveries(ctx, content.DeliveryFilter{WebhookID: id, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, fmt.Errorf("test delivery to webhook %s: %w", id, content.ErrNotFound)
	}
	return &ds[0], nil
}

const deliveryColumns = `d.id, d.webhook_id, COALESCE(d.event_id, 0), d.type, d.article_id, d.slug, d.payload, d.occurred_at,
	d.status, d.attempts, d.last_status_code, d.last_error, d.next_attempt_at, d.delivered_at, d.created_at, d.updated_at`

func scanDelivery(s scanner, extra ...any) (content.Delivery, error) {
	var d content.Delivery
	var payload, occurred, status, created, updated string
	var next, delivered sql.NullString
	dest := append([]any{&d.ID, &d.WebhookID, &d.Event.ID, &d.Event.Type, &d.Event.ArticleID, &d.Event.Slug, &payload, &occurred,
		&status, &d.Attempts, &d.LastStatusCode, &d.LastError, &next, &delivered, &created, &updated}, extra...)
	if err := s.Scan(dest...); err != nil {
		return d, fmt.Errorf("scan delivery: %w", mapErr(err))
	}
	d.Status = content.DeliveryStatus(status)
	if err := decodeEvent(&d.Event, payload, occurred); err != nil {
		return d, err
	}
	var err error
	if d.NextAttemptAt, err = parseNullTime(next); err != nil {
		return d, err
	}
	if d.DeliveredAt, err = parseNullTime(delivered); err != nil {
		return d, err
	}
	if d.CreatedAt, err = parseTime(created); err != nil {
		return d, err
	}
	if d.UpdatedAt, err = parseTime(updated); err != nil {
		return d, err
	}
	return d, nil
}

// Deliveries returns the delivery log of a webhook, newest first.
func (db *DB) Deliveries(ctx context.Context, f content.DeliveryFilter) ([]content.Delivery, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	query := "SELECT " + deliveryColumns + " FROM webhook_deliveries d WHERE d.webhook_id = ?"
	args := []any{f.WebhookID}
	if f.Status != "" {
		query += " AND d.status = ?"
		args = append(args, string(f.Status))
	}
	query += " ORDER BY d.created_at DESC, d.id DESC LIMIT ?"
	rows, err := db.r.QueryContext(ctx, query, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("query deliveries: %w", mapErr(err))
	}
	defer rows.Close()
	ds := []content.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// ClaimDeliveries takes up to limit pending deliveries of active webhooks
// whose next attempt is due at now, counts the attempt and leases them until
// now+lease (the next attempt time, should this process die while sending),
// all in one transaction: several dispatchers never send the same delivery
// at once. The deliveries carry the target URL and secret.
func (db *DB) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]content.Delivery, error) {
	var ds []content.Delivery
	err := db.withTx(ctx, func(tx *wtx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+deliveryColumns+`, w.url, w.secret
			FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.active = 1
			ORDER BY d.next_attempt_at, d.id LIMIT ?`, timeText(now), limit)
		if err != nil {
			return fmt.Errorf("query due deliveries: %w", mapErr(err))
		}
		for rows.Next() {
			var url, secret string
			d, err := scanDelivery(rows, &url, &secret)
			if err != nil {
				rows.Close()
				return err
			}
			d.URL, d.Secret = url, secret
			ds = append(ds, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("query due deliveries: %w", mapErr(err))
		}
		until := now.Add(lease)
		for i := range ds {
			if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ?
				WHERE id = ?`, timeText(until), timeText(now), ds[i].ID); err != nil {
				return fmt.Errorf("claim delivery %s: %w", ds[i].ID, mapErr(err))
			}
			ds[i].Attempts++
			ds[i].NextAttemptAt = &until
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// FinishDelivery records the outcome of an attempt at delivery id: delivered,
// to be retried at a.RetryAt, or failed for good; a.DisableHook also turns
// its webhook off. A delivery no longer pending is left as it is.
func (db *DB) FinishDelivery(ctx context.Context, id string, a content.Attempt) error {
	at := timeText(a.At)
	rec := a.Record()
	var delivered *string
	if rec.Status == content.DeliveryDelivered {
		delivered = &at
	}
	return db.withTx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = ?, last_status_code = ?, last_error = ?,
			next_attempt_at = ?, delivered_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
			string(rec.Status), a.StatusCode, rec.Error, optTime(a.RetryAt), delivered, at, id)
		if err != nil {
			return fmt.Errorf("record attempt at delivery %s: %w", id, mapErr(err))
		}
		if n, _ := res.RowsAffected(); n != 1 || rec.DisabledReason == "" {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE webhooks SET active = 0, disabled_reason = ?, updated_at = ?
			WHERE id = (SELECT webhook_id FROM webhook_deliveries WHERE id = ?)`,
			rec.DisabledReason, at, id)
		if err != nil {
			return fmt.Errorf("disable webhook of delivery %s: %w", id, mapErr(err))
		}
		return nil
	})
}

// NextDeliveryAt returns when the earliest pending delivery of an active
// webhook is due, and false when none is pending.
func (db *DB) NextDeliveryAt(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT MIN(d.next_attempt_at) FROM webhook_deliveries d
		JOIN webhooks w ON w.id = d.webhook_id WHERE d.status = 'pending' AND w.active = 1`).Scan(&next)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, fmt.Errorf("query next delivery: %w", mapErr(err))
	}
	if !next.Valid {
		return time.Time{}, false, nil
	}
	t, err := parseTime(next.String)
	return t, err == nil, err
}
