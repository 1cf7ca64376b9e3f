package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"dateline/content"
)

// CreateWebhook validates e and stores a new, active webhook with a fresh
// secret; it gets the events written after it. The returned hook is the
// only one that carries the secret.
func (db *DB) CreateWebhook(ctx context.Context, e content.WebhookEdit) (*content.Webhook, error) {
	if err := e.Validate(true); err != nil {
		return nil, err
	}
	uid, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("new webhook id: %w", err)
	}
	secret, err := content.NewWebhookSecret()
	if err != nil {
		return nil, fmt.Errorf("new webhook secret: %w", err)
	}
	events := []string{}
	if e.Events != nil {
		events = *e.Events
	}
	desc := ""
	if e.Description != nil {
		desc = *e.Description
	}
	active := e.Active == nil || *e.Active
	now := db.now()
	id := uid.String()
	err = db.withTx(ctx, func(tx *wtx) error {
		// The outbox lock waits for the events being appended now, so
		// that the hook starts after exactly the events committed
		// before it.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", outboxLock); err != nil {
			return fmt.Errorf("lock the outbox: %w", mapErr(err))
		}
		_, err := tx.Exec(ctx, `INSERT INTO webhooks (id, url, events, description, secret, active, after_event_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(max(id), 0) FROM events), $7, $7)`, id, *e.URL, events, desc, secret, active, now)
		if err != nil {
			return fmt.Errorf("insert webhook: %w", mapErr(err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	w, err := db.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	w.Secret = secret
	return w, nil
}

const webhookColumns = "id, url, events, description, active, disabled_reason, created_at, updated_at"

// Webhooks returns every webhook, oldest first, without secrets.
func (db *DB) Webhooks(ctx context.Context) ([]content.Webhook, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+webhookColumns+" FROM webhooks ORDER BY created_at, id")
	if err != nil {
		return nil, fmt.Errorf("query webhooks: %w", mapErr(err))
	}
	defer rows.Close()
	hooks := []content.Webhook{}
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		hooks = append(hooks, *w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query webhooks: %w", mapErr(err))
	}
	return hooks, nil
}

// Webhook returns webhook id without its secret, or content.ErrNotFound.
func (db *DB) Webhook(ctx context.Context, id string) (*content.Webhook, error) {
	w, err := scanWebhook(db.pool.QueryRow(ctx, "SELECT "+webhookColumns+" FROM webhooks WHERE id = $1", id))
	if noRows(err) {
		return nil, fmt.Errorf("webhook %s: %w", id, content.ErrNotFound)
	}
	return w, err
}

func scanWebhook(s pgx.Row) (*content.Webhook, error) {
	var w content.Webhook
	if err := s.Scan(&w.ID, &w.URL, &w.Events, &w.Description, &w.Active, &w.DisabledReason, &w.CreatedAt, &w.UpdatedAt); err != nil {
		if noRows(err) {
			return nil, err
		}
		return nil, fmt.Errorf("scan webhook: %w", mapErr(err))
	}
	if w.Events == nil {
		w.Events = []string{}
	}
	return &w, nil
}

// UpdateWebhook applies the fields e sets to webhook id. Turning a hook
// back on clears the reason it was disabled; its pending deliveries resume.
func (db *DB) UpdateWebhook(ctx context.Context, id string, e content.WebhookEdit) (*content.Webhook, error) {
	if err := e.Validate(false); err != nil {
		return nil, err
	}
	var p params
	var sets []string
	if e.URL != nil {
		sets = append(sets, "url = "+p.add(*e.URL))
	}
	if e.Events != nil {
		sets = append(sets, "events = "+p.add(*e.Events))
	}
	if e.Description != nil {
		sets = append(sets, "description = "+p.add(*e.Description))
	}
	if e.Active != nil {
		sets = append(sets, "active = "+p.add(*e.Active), "disabled_reason = ''")
	}
	sets = append(sets, "updated_at = "+p.add(db.now()))
	tag, err := db.pool.Exec(ctx, "UPDATE webhooks SET "+strings.Join(sets, ", ")+" WHERE id = "+p.add(id), p...)
	if err != nil {
		return nil, fmt.Errorf("update webhook %s: %w", id, mapErr(err))
	}
	if tag.RowsAffected() != 1 {
		return nil, fmt.Errorf("webhook %s: %w", id, content.ErrNotFound)
	}
	return db.Webhook(ctx, id)
}

// DeleteWebhook removes webhook id and its delivery log, or fails with
// content.ErrNotFound.
func (db *DB) DeleteWebhook(ctx context.Context, id string) error {
	tag, err := db.pool.Exec(ctx, "DELETE FROM webhooks WHERE id = $1", id)
	if err != nil {
		return fmt.Errorf("delete webhook %s: %w", id, mapErr(err))
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("webhook %s: %w", id, content.ErrNotFound)
	}
	return nil
}
