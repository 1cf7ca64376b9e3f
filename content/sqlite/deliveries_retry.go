package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dateline/content"
)

// RetryDelivery queues failed delivery id of webhook hookID for another
// attempt now and returns it: it becomes pending again, keeps its
// webhook-id, body and attempt count, and the dispatcher sends it once
// more (giving up again after one failure once the attempts are used up).
// The errors: content.ErrNotFound when the hook has no such delivery;
// ECONFLICT when the delivery is not failed (delivered, or still pending)
// or the webhook is turned off, with a message saying so.
func (db *DB) RetryDelivery(ctx context.Context, hookID, id string) (*content.Delivery, error) {
	now := timeText(db.now())
	err := db.withTx(ctx, func(tx *wtx) error {
		var status string
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT d.status, w.active FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.id = ? AND d.webhook_id = ?`, id, hookID).Scan(&status, &active)
		if errors.Is(err, sql.ErrNoRows) {
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
		_, err = tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, delivered_at = NULL, updated_at = ?
			WHERE id = ? AND status = 'failed'`, now, now, id)
		if err != nil {
			return fmt.Errorf("retry delivery %s: %w", id, mapErr(err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d, err := scanDelivery(db.r.QueryRowContext(ctx, "SELECT "+deliveryColumns+" FROM webhook_deliveries d WHERE d.id = ?", id))
	if err != nil {
		return nil, err
	}
	notify(db.events) // wakes the dispatcher
	return &d, nil
}
