package postgres

import (
	"context"
	"fmt"
	"time"

	"dateline/content"
)

// Edit locks live in the database, so they hold across instances: an
// editor holds a story's lock whichever instance their heartbeats reach.
// Lock writes read the story's row FOR UPDATE first (currentState), so
// two editors acquiring at once on two instances take turns.

// Lock returns the live edit lock on article id, or content.ErrNotFound
// when nobody is editing it (or the last lock expired).
func (db *DB) Lock(ctx context.Context, articleID string) (content.EditLock, error) {
	l, err := liveLock(ctx, db.pool, articleID, db.now())
	if err != nil {
		return content.EditLock{}, err
	}
	if l == nil {
		return content.EditLock{}, fmt.Errorf("lock of article %s: %w", articleID, content.ErrNotFound)
	}
	return *l, nil
}

// AcquireLock gives user userID the edit lock on article id, or renews it
// when the user holds it already (keeping acquired_at). While another user
// holds a live lock it fails with a *content.LockedError naming them,
// unless takeOver is set: then the lock passes to userID whoever holds it
// (callers check that the user may take over). A missing or deleted article
// is content.ErrNotFound.
func (db *DB) AcquireLock(ctx context.Context, articleID, userID string, takeOver bool) (content.EditLock, error) {
	now := db.now()
	err := db.withTx(ctx, func(tx *wtx) error {
		if _, err := currentState(ctx, tx, articleID); err != nil {
			return err
		}
		cur, err := liveLock(ctx, tx, articleID, now)
		if err != nil {
			return err
		}
		if cur != nil && cur.UserID != userID && !takeOver {
			return &content.LockedError{Lock: *cur}
		}
		acquired := now
		if cur != nil && cur.UserID == userID {
			acquired = cur.AcquiredAt
		}
		_, err = tx.Exec(ctx, `INSERT INTO edit_locks (article_id, user_id, acquired_at, heartbeat_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (article_id) DO UPDATE SET user_id = excluded.user_id,
				acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
			articleID, userID, acquired, now)
		if err != nil {
			return fmt.Errorf("lock article %s: %w", articleID, mapErr(err))
		}
		return nil
	})
	if err != nil {
		return content.EditLock{}, err
	}
	return db.Lock(ctx, articleID)
}

// HeartbeatLock keeps userID's lock on article id alive. If the user no
// longer holds a live lock (it expired or was taken over) it fails with a
// *content.LockedError when someone else holds it now, or ECONFLICT when
// nobody does: the editor must acquire the lock again and reload.
func (db *DB) HeartbeatLock(ctx context.Context, articleID, userID string) (content.EditLock, error) {
	now := db.now()
	err := db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "SELECT 1 FROM edit_locks WHERE article_id = $1 FOR UPDATE", articleID); err != nil {
			return fmt.Errorf("lock of article %s: %w", articleID, mapErr(err))
		}
		cur, err := liveLock(ctx, tx, articleID, now)
		if err != nil {
			return err
		}
		switch {
		case cur == nil:
			return content.Errorf(content.ECONFLICT, "you no longer hold the edit lock on this story; acquire it again")
		case cur.UserID != userID:
			return &content.LockedError{Lock: *cur}
		}
		_, err = tx.Exec(ctx, "UPDATE edit_locks SET heartbeat_at = $1 WHERE article_id = $2 AND user_id = $3", now, articleID, userID)
		if err != nil {
			return fmt.Errorf("renew lock of article %s: %w", articleID, mapErr(err))
		}
		return nil
	})
	if err != nil {
		return content.EditLock{}, err
	}
	return db.Lock(ctx, articleID)
}

// ReleaseLock drops userID's lock on article id. Releasing a lock one does
// not hold is a no-op unless another user holds it live: then it fails with
// a *content.LockedError, or, with force, drops their lock.
func (db *DB) ReleaseLock(ctx context.Context, articleID, userID string, force bool) error {
	now := db.now()
	return db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "SELECT 1 FROM edit_locks WHERE article_id = $1 FOR UPDATE", articleID); err != nil {
			return fmt.Errorf("lock of article %s: %w", articleID, mapErr(err))
		}
		cur, err := liveLock(ctx, tx, articleID, now)
		if err != nil {
			return err
		}
		if cur != nil && cur.UserID != userID && !force {
			return &content.LockedError{Lock: *cur}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM edit_locks WHERE article_id = $1", articleID); err != nil {
			return fmt.Errorf("release lock of article %s: %w", articleID, mapErr(err))
		}
		return nil
	})
}

// liveLock returns the lock on article id whose heartbeat is within
// content.LockTTL of now, or nil.
func liveLock(ctx context.Context, q querier, id string, now time.Time) (*content.EditLock, error) {
	var l content.EditLock
	err := q.QueryRow(ctx, `SELECT l.article_id, l.user_id, COALESCE(u.name, ''), l.acquired_at, l.heartbeat_at
		FROM edit_locks l LEFT JOIN users u ON u.id = l.user_id
		WHERE l.article_id = $1 AND l.heartbeat_at > $2`, id, now.Add(-content.LockTTL)).
		Scan(&l.ArticleID, &l.UserID, &l.UserName, &l.AcquiredAt, &l.HeartbeatAt)
	if noRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read lock of article %s: %w", id, mapErr(err))
	}
	l.ExpiresAt = l.HeartbeatAt.Add(content.LockTTL)
	return &l, nil
}
