package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"dateline/content"
)

// FanOutEvents turns up to limit outbox events after the webhooks cursor
// into pending deliveries, one per event and active webhook that wants it,
// and moves the cursor past them, all in one transaction: an event is
// fanned out exactly once, whatever crashes. The cursor's row is locked
// (FOR UPDATE), so instances fanning out at once take turns, and the next
// one starts where the last left off. It returns how many events it read;
// fewer than limit means it has caught up.
func (db *DB) FanOutEvents(ctx context.Context, limit int) (int, error) {
	now := db.now()
	n := 0
	err := db.withTx(ctx, func(tx *wtx) error {
		var cursor int64
		if err := tx.QueryRow(ctx, "SELECT event_id FROM outbox_cursors WHERE name = 'webhooks' FOR UPDATE").Scan(&cursor); err != nil {
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
		if _, err := tx.Exec(ctx, "UPDATE outbox_cursors SET event_id = $1 WHERE name = 'webhooks'", evs[len(evs)-1].ID); err != nil {
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
	rows, err := tx.Query(ctx, "SELECT id, events, after_event_id FROM webhooks WHERE active")
	if err != nil {
		return nil, fmt.Errorf("query active webhooks: %w", mapErr(err))
	}
	defer rows.Close()
	var hooks []activeHook
	for rows.Next() {
		var h activeHook
		if err := rows.Scan(&h.ID, &h.Events, &h.after); err != nil {
			return nil, fmt.Errorf("scan webhook: %w", mapErr(err))
		}
		hooks = append(hooks, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query active webhooks: %w", mapErr(err))
	}
	return hooks, nil
}

// insertDelivery queues ev for hook; an event id already queued for the
// hook is ignored. ev.ID 0 is a test message without an event.
func insertDelivery(ctx context.Context, tx *wtx, hook string, ev *content.Event, now time.Time) error {
	uid, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("new delivery id: %w", err)
	}
	var eventID *int64
	if ev.ID != 0 {
		eventID = &ev.ID
	}
	payload := ev.Payload
	if payload == nil {
		payload = map[string]any{}
	}
	_, err = tx.Exec(ctx, `INSERT INTO webhook_deliveries
		(id, webhook_id, event_id, type, article_id, slug, payload, occurred_at, next_attempt_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) ON CONFLICT (webhook_id, event_id) DO NOTHING`,
		"msg_"+strings.ReplaceAll(uid.String(), "-", ""), hook, eventID, ev.Type, ev.ArticleID, ev.Slug, payload,
		ev.OccurredAt, now)
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
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM webhooks WHERE id = $1)", id).Scan(&exists); err != nil {
			return fmt.Errorf("look up webhook %s: %w", id, mapErr(err))
		}
		if !exists {
			return fmt.Errorf("webhook %s: %w", id, content.ErrNotFound)
		}
		return insertDelivery(ctx, tx, id, &content.Event{Type: content.EventTest, Payload: map[string]any{}, OccurredAt: now}, now)
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

func scanDelivery(s pgx.Row, extra ...any) (content.Delivery, error) {
	var d content.Delivery
	var status string
	dest := append([]any{&d.ID, &d.WebhookID, &d.Event.ID, &d.Event.Type, &d.Event.ArticleID, &d.Event.Slug, &d.Event.Payload, &d.Event.OccurredAt,
		&status, &d.Attempts, &d.LastStatusCode, &d.LastError, &d.NextAttemptAt, &d.DeliveredAt, &d.CreatedAt, &d.UpdatedAt}, extra...)
	if err := s.Scan(dest...); err != nil {
		return d, fmt.Errorf("scan delivery: %w", mapErr(err))
	}
	if d.Event.Payload == nil {
		d.Event.Payload = map[string]any{}
	}
	d.Status = content.DeliveryStatus(status)
	return d, nil
}

// Deliveries returns the delivery log of a webhook, newest first.
func (db *DB) Deliveries(ctx context.Context, f content.DeliveryFilter) ([]content.Delivery, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	var p params
	query := "SELECT " + deliveryColumns + " FROM webhook_deliveries d WHERE d.webhook_id = " + p.add(f.WebhookID)
	if f.Status != "" {
		query += " AND d.status = " + p.add(string(f.Status))
	}
	query += " ORDER BY d.created_at DESC, d.id DESC LIMIT " + p.add(limit)
	rows, err := db.pool.Query(ctx, query, p...)
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query deliveries: %w", mapErr(err))
	}
	return ds, nil
}

// ClaimDeliveries takes up to limit pending deliveries of active webhooks
// whose next attempt is due at now, counts the attempt and leases them until
// now+lease (the next attempt time, should this instance die while
// sending), all in one statement: the due rows are locked with FOR UPDATE
// SKIP LOCKED, so dispatchers of several instances claiming at once each
// take different deliveries, and none is sent twice at once. The
// deliveries carry the target URL and secret.
func (db *DB) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]content.Delivery, error) {
	now = now.UTC()
	rows, err := db.pool.Query(ctx, `WITH due AS (
			SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.active
			ORDER BY d.next_attempt_at, d.id LIMIT $2
			FOR UPDATE OF d SKIP LOCKED)
		UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = $3, updated_at = $1
		FROM due, webhooks w WHERE d.id = due.id AND w.id = d.webhook_id
		RETURNING `+deliveryColumns+`, w.url, w.secret`, now, limit, now.Add(lease))
	if err != nil {
		return nil, fmt.Errorf("claim due deliveries: %w", mapErr(err))
	}
	defer rows.Close()
	ds := []content.Delivery{}
	for rows.Next() {
		var url, secret string
		d, err := scanDelivery(rows, &url, &secret)
		if err != nil {
			return nil, err
		}
		d.URL, d.Secret = url, secret
		ds = append(ds, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim due deliveries: %w", mapErr(err))
	}
	return ds, nil
}

// FinishDelivery records the outcome of an attempt at delivery id: delivered,
// to be retried at a.RetryAt, or failed for good; a.DisableHook also turns
// its webhook off. A delivery no longer pending is left as it is.
func (db *DB) FinishDelivery(ctx context.Context, id string, a content.Attempt) error {
	at := a.At.UTC()
	rec := a.Record()
	var delivered *time.Time
	if rec.Status == content.DeliveryDelivered {
		delivered = &at
	}
	return db.withTx(ctx, func(tx *wtx) error {
		tag, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET status = $1, last_status_code = $2, last_error = $3,
			next_attempt_at = $4, delivered_at = $5, updated_at = $6 WHERE id = $7 AND status = 'pending'`,
			string(rec.Status), a.StatusCode, rec.Error, a.RetryAt, delivered, at, id)
		if err != nil {
			return fmt.Errorf("record attempt at delivery %s: %w", id, mapErr(err))
		}
		if tag.RowsAffected() != 1 || rec.DisabledReason == "" {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE webhooks SET active = false, disabled_reason = $1, updated_at = $2
			WHERE id = (SELECT webhook_id FROM webhook_deliveries WHERE id = $3)`,
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
	var next *time.Time
	err := db.pool.QueryRow(ctx, `SELECT min(d.next_attempt_at) FROM webhook_deliveries d
		JOIN webhooks w ON w.id = d.webhook_id WHERE d.status = 'pending' AND w.active`).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("query next delivery: %w", mapErr(err))
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return *next, true, nil
}

// RetryDelivery queues failed delivery id of webhook hookID for another
// attempt now and returns it: it becomes pending again, keeps its
// webhook-id, body and attempt count, and a dispatcher sends it once more
// (giving up again after one failure once the attempts are used up). The
// errors: content.ErrNotFound when the hook has no such delivery;
// ECONFLICT when the delivery is not failed (delivered, or still pending)
// or the webhook is turned off, with a message saying so.
func (db *DB) RetryDelivery(ctx context.Context, hookID, id string) (*content.Delivery, error) {
	now := db.now()
	err := db.withTx(ctx, func(tx *wtx) error {
		var status string
		var active bool
		err := tx.QueryRow(ctx, `SELECT d.status, w.active FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.id = $1 AND d.webhook_id = $2 FOR UPDATE OF d`, id, hookID).Scan(&status, &active)
		if noRows(err) {
			return fmt.Errorf("delivery %s of webhook %s: %w", id, hookID, content.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read delivery %s: %w", id, mapErr(err))
		}
		switch {
		case !active:
			return content.Errorf(content.ECONFLICT, "the webhook is turned off; turn it on to retry its deliveries")
		case content.DeliveryStatus(status) == content.DeliveryDelivered:
			return content.Errorf(content.ECONFLICT, "the delivery was delivered; only a failed delivery is retried")
		case content.DeliveryStatus(status) == content.DeliveryPending:
			return content.Errorf(content.ECONFLICT, "the delivery is still pending: the dispatcher retries it on its own")
		}
		_, err = tx.Exec(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, delivered_at = NULL, updated_at = $1
			WHERE id = $2 AND status = 'failed'`, now, id)
		if err != nil {
			return fmt.Errorf("retry delivery %s: %w", id, mapErr(err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d, err := scanDelivery(db.pool.QueryRow(ctx, "SELECT "+deliveryColumns+" FROM webhook_deliveries d WHERE d.id = $1", id))
	if err != nil {
		return nil, err
	}
	notify(db.events) // wakes the dispatcher
	return &d, nil
}
