package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"dateline/content"
)

// CreateWebhook validates e and stores a new, active webhook with a fresh
// secret. The returned hook is the only one that carries the secret.
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
	evs, _ := json.Marshal(events)
	now := timeText(db.now())
	id := uid.String()
	err = db.withTx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO webhooks (id, url, events, description, secret, active, after_event_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM events), ?, ?)`, id, *e.URL, string(evs), desc, secret, active, now, now)
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
	rows, err := db.r.QueryContext(ctx, "SELECT "+webhookColumns+" FROM webhooks ORDER BY created_at, id")
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
	return hooks, rows.Err()
}

// Webhook returns webhook id without its secret, or content.ErrNotFound.
func (db *DB) Webhook(ctx context.Context, id string) (*content.Webhook, error) {
	w, err := scanWebhook(db.r.QueryRowContext(ctx, "SELECT "+webhookColumns+" FROM webhooks WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("webhook %s: %w", id, content.ErrNotFound)
	}
	return w, err
}

func scanWebhook(s scanner) (*content.Webhook, error) {
	var w content.Webhook
	var events, created, updated string
	if err := s.Scan(&w.ID, &w.URL, &events, &w.Description, &w.Active, &w.DisabledReason, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("scan webhook: %w", mapErr(err))
	}
	if err := json.Unmarshal([]byte(events), &w.Events); err != nil {
		return nil, fmt.Errorf("decode events of webhook %s: %w", w.ID, err)
	}
	var err error
	if w.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if w.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &w, nil
}

// UpdateWebhook applies the fields e sets to webhook id. Turning a hook
// back on clears the reason it was disabled; its pending deliveries resume.
func (db *DB) UpdateWebhook(ctx context.Context, id string, e content.WebhookEdit) (*content.Webhook, error) {
	if err := e.Validate(false); err != nil {
		return nil, err
	}
	now := timeText(db.now())
	err := db.withTx(ctx, func(tx *wtx) error {
		var sets []string
		var args []any
		if e.URL != nil {
			sets, args = append(sets, "url = ?"), append(args, *e.URL)
		}
		if e.Events != nil {
			evs, _ := json.Marshal(*e.Events)
			sets, args = append(sets, "events = ?"), append(args, string(evs))
		}
		if e.Description != nil {
			sets, args = append(sets, "description = ?"), append(args, *e.Description)
		}
		if e.Active != nil {
			sets, args = append(sets, "active = ?", "disabled_reason = ''"), append(args, *e.Active)
		}
		sets, args = append(sets, "updated_at = ?"), append(args, now, id)
		res, err := tx.ExecContext(ctx, "UPDATE webhooks SET "+strings.Join(sets, ", ")+" WHERE id = ?", args...)
		if err != nil {
			return fmt.Errorf("update webhook %s: %w", id, mapErr(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("webhook %s: %w", id, content.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.Webhook(ctx, id)
}

// DeleteWebhook removes webhook id and its delivery log, or fails with
// content.ErrNotFound.
func (db *DB) DeleteWebhook(ctx context.Context, id string) error {
	return db.withTx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM webhooks WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("delete webhook %s: %w", id, mapErr(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("webhook %s: %w", id, content.ErrNotFound)
		}
		return nil
	})
}
