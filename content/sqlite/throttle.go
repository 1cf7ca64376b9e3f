package sqlite

import (
	"context"
	"fmt"
	"time"

	"dateline/auth"
)

// TakeLoginAttempt takes one login attempt at now from the buckets of
// keys, the account's and the address's, as limits.Take decides, and
// returns whether it is allowed and, when not, how long until one may be.
// A refused attempt changes no bucket. Both buckets are read and written in
// one write transaction, and SQLite lets one writer at a time, so two
// processes on the file never both take a bucket's last token, and a
// restart keeps the count.
//
// Each call also deletes up to auth.ThrottlePurge buckets that are full
// again (full_at not after now: the same as no row). A call stores at most
// two buckets, so however many keys are sprayed the stale rows do not pile
// up, and the table holds about the buckets of the attempts allowed within
// the last refill window.
func (db *DB) TakeLoginAttempt(ctx context.Context, keys auth.LoginKeys, limits auth.LoginLimits, now time.Time) (bool, time.Duration, error) {
	now = now.UTC().Truncate(time.Microsecond) // what TimeLayout stores
	var ok bool
	var wait time.Duration
	err := db.withTx(ctx, func(tx *wtx) error {
		var b auth.LoginBuckets
		rows, err := tx.QueryContext(ctx, `SELECT kind, full_at FROM login_throttle
			WHERE (kind = 'account' AND key = ?) OR (kind = 'address' AND key = ?)`, keys.Account, keys.Address)
		if err != nil {
			return fmt.Errorf("read login throttle: %w", mapErr(err))
		}
		defer rows.Close()
		for rows.Next() {
			var kind, full string
			if err := rows.Scan(&kind, &full); err != nil {
				return fmt.Errorf("read login throttle: %w", mapErr(err))
			}
			t, err := parseTime(full)
			if err != nil {
				return err
			}
			if kind == "account" {
				b.Account = t
			} else {
				b.Address = t
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read login throttle: %w", mapErr(err))
		}
		rows.Close()
		b, ok, wait = limits.Take(b, now)
		if ok {
			_, err := tx.ExecContext(ctx, `INSERT INTO login_throttle (kind, key, full_at) VALUES ('account', ?, ?), ('address', ?, ?)
				ON CONFLICT (kind, key) DO UPDATE SET full_at = excluded.full_at`,
				keys.Account, timeText(b.Account), keys.Address, timeText(b.Address))
			if err != nil {
				return fmt.Errorf("store login throttle: %w", mapErr(err))
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE rowid IN
			(SELECT rowid FROM login_throttle WHERE full_at <= ? LIMIT ?)`, timeText(now), auth.ThrottlePurge)
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

// LoginThrottleBuckets returns how many login throttle buckets are stored
// (of accounts and addresses together), to watch the table's size.
func (db *DB) LoginThrottleBuckets(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_throttle").Scan(&n); err != nil {
		return 0, fmt.Errorf("count login throttle buckets: %w", mapErr(err))
	}
	return n, nil
}
