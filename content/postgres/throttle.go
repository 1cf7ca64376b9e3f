package postgres

import (
	"context"
	"fmt"
	"time"

	"dateline/auth"
)

// TakeLoginAttempt takes one login attempt at now from the buckets of
// keys, the account's and the address's, as limits.Take decides, and
// returns whether it is allowed and, when not, how long until one may be.
// A refused attempt changes no bucket's state.
//
// Every instance counts in the same rows: in one transaction each bucket's
// row is inserted if missing and locked (INSERT … ON CONFLICT DO UPDATE
// … RETURNING, which locks a row that exists as FOR UPDATE would), the
// account's first and then the address's, so that attempts at once on
// several instances take turns, never both take a bucket's last token and
// never deadlock among themselves; the decision is made and the new state
// written before the locks go.
//
// Each call then deletes up to auth.ThrottlePurge buckets that are full
// again (full_at not after now: the same as no row, such as the row a
// refused attempt inserted), skipping rows other attempts hold (SKIP
// LOCKED, so the purge never waits). A call stores at most two rows, so
// however many keys are sprayed the stale rows do not pile up, and the
// table holds about the buckets of the attempts allowed within the last
// refill window.
func (db *DB) TakeLoginAttempt(ctx context.Context, keys auth.LoginKeys, limits auth.LoginLimits, now time.Time) (bool, time.Duration, error) {
	now = now.UTC().Truncate(time.Microsecond) // what timestamptz stores
	var ok bool
	var wait time.Duration
	err := db.withTx(ctx, func(tx *wtx) error {
		var b auth.LoginBuckets
		var err error
		if b.Account, err = lockBucket(ctx, tx, "account", keys.Account, now); err != nil {
			return err
		}
		if b.Address, err = lockBucket(ctx, tx, "address", keys.Address, now); err != nil {
			return err
		}
		b, ok, wait = limits.Take(b, now)
		if ok {
			_, err := tx.Exec(ctx, `UPDATE login_throttle SET full_at = CASE kind WHEN 'account' THEN $3::timestamptz ELSE $4::timestamptz END
				WHERE (kind = 'account' AND key = $1) OR (kind = 'address' AND key = $2)`,
				keys.Account, keys.Address, b.Account, b.Address)
			if err != nil {
				return fmt.Errorf("store login throttle: %w", mapErr(err))
			}
		}
		_, err = tx.Exec(ctx, `DELETE FROM login_throttle WHERE (kind, key) IN
			(SELECT kind, key FROM login_throttle WHERE full_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`, now, auth.ThrottlePurge)
		if err != nil {
			return fmt.Errorf("purge login throttle: %w", mapErr(err))
		}
		return nil
	})
	if err != nil {
		return false, 0, err
	}
	return ok, wait, nil
}

// lockBucket returns the state of the bucket kind/key, locked until the
// transaction ends; a bucket not stored is inserted full (full_at now).
func lockBucket(ctx context.Context, tx *wtx, kind, key string, now time.Time) (time.Time, error) {
	var full time.Time
	err := tx.QueryRow(ctx, `INSERT INTO login_throttle (kind, key, full_at) VALUES ($1, $2, $3)
		ON CONFLICT (kind, key) DO UPDATE SET full_at = login_throttle.full_at RETURNING full_at`, kind, key, now).Scan(&full)
	if err != nil {
		return time.Time{}, fmt.Errorf("lock login throttle %s bucket: %w", kind, mapErr(err))
	}
	return full, nil
}

// LoginThrottleBuckets returns how many login throttle buckets are stored
// (of accounts and addresses together), to watch the table's size.
func (db *DB) LoginThrottleBuckets(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM login_throttle").Scan(&n); err != nil {
		return 0, fmt.Errorf("count login throttle buckets: %w", mapErr(err))
	}
	return n, nil
}
