package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"dateline/auth"
	"dateline/content"
)

func unauthorized(msg string) error { return content.Errorf(content.EUNAUTHORIZED, "%s", msg) }

// invalidToken is the error of every refused token, refresh token, setup
// link and API key: EUNAUTHORIZED with auth.InvalidTokenMessage, whatever
// the reason (which the caller's doc comment states, not the answer).
func invalidToken() error { return unauthorized(auth.InvalidTokenMessage) }

// CreateRefreshToken stores the first token of a new family for userID at
// the user's current token version and returns the stored record. Expired
// tokens of every user are deleted on the way.
func (db *DB) CreateRefreshToken(ctx context.Context, userID, hash string, expiresAt time.Time) (auth.RefreshToken, error) {
	fam, err := uuid.NewV7()
	if err != nil {
		return auth.RefreshToken{}, fmt.Errorf("token family: %w", err)
	}
	rt := auth.RefreshToken{Hash: hash, FamilyID: fam.String(), UserID: userID, ExpiresAt: expiresAt}
	err = db.withTx(ctx, func(tx *wtx) error {
		now := db.now()
		if _, err := tx.Exec(ctx, "DELETE FROM refresh_tokens WHERE expires_at < $1", now); err != nil {
			return fmt.Errorf("delete expired refresh tokens: %w", mapErr(err))
		}
		// FOR SHARE: a concurrent change of the user's token version
		// waits for this login, or this login sees the new version.
		err := tx.QueryRow(ctx, "SELECT token_version FROM users WHERE id = $1 AND active FOR SHARE", userID).Scan(&rt.TokenVersion)
		if noRows(err) {
			return unauthorized("the account is not active")
		}
		if err != nil {
			return fmt.Errorf("read token version: %w", mapErr(err))
		}
		return insertRefresh(ctx, tx, rt, now)
	})
	return rt, err
}

func insertRefresh(ctx context.Context, tx *wtx, rt auth.RefreshToken, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (hash, family_id, user_id, token_version, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, rt.Hash, rt.FamilyID, rt.UserID, rt.TokenVersion, now, rt.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("insert refresh token: %w", mapErr(err))
	}
	return nil
}

// RotateRefreshToken exchanges the refresh token stored under oldHash for a
// new one stored under newHash in the same family, and returns the token's
// user. It fails with EUNAUTHORIZED (auth.InvalidTokenMessage, whatever the
// reason) when the token is unknown, expired or revoked, or when its user
// is inactive or has a newer token version. A token that was already
// rotated means that someone else holds the login: it ends every session
// of the user, as LogOutEverywhere does but keeping API keys (the token
// version moves, so access tokens already issued stop working, and every
// refresh token is deleted; that change is committed), and fails with
// EUNAUTHORIZED (auth.MsgRefreshReused) wrapping auth.ErrRefreshReused.
//
// The token's row is locked (FOR UPDATE) while it is judged, so two
// instances presenting one token at once rotate it once: the second finds
// it used, which is a reuse.
func (db *DB) RotateRefreshToken(ctx context.Context, oldHash, newHash string, expiresAt time.Time) (auth.User, error) {
	var u auth.User
	reused := false
	err := db.withTx(ctx, func(tx *wtx) error {
		u, reused = auth.User{}, false // a transaction run again decides anew
		now := db.now()
		var rt auth.RefreshToken
		var expires time.Time
		var used, revoked *time.Time
		err := tx.QueryRow(ctx, `SELECT family_id, user_id, token_version, expires_at, used_at, revoked_at
			FROM refresh_tokens WHERE hash = $1 FOR UPDATE`, oldHash).
			Scan(&rt.FamilyID, &rt.UserID, &rt.TokenVersion, &expires, &used, &revoked)
		if noRows(err) {
			return invalidToken()
		}
		if err != nil {
			return fmt.Errorf("read refresh token: %w", mapErr(err))
		}
		if revoked != nil {
			return invalidToken()
		}
		if used != nil {
			reused = true
			return endSessions(ctx, tx, rt.UserID)
		}
		if expires.Before(now) {
			return invalidToken()
		}
		if u, err = user(ctx, tx, userFilter{ID: &rt.UserID}); err != nil {
			return err
		}
		if !u.Active || u.TokenVersion != rt.TokenVersion {
			return invalidToken()
		}
		if _, err := tx.Exec(ctx, "UPDATE refresh_tokens SET used_at = $1 WHERE hash = $2", now, oldHash); err != nil {
			return fmt.Errorf("mark refresh token used: %w", mapErr(err))
		}
		rt.Hash, rt.ExpiresAt = newHash, expiresAt
		return insertRefresh(ctx, tx, rt, now)
	})
	if err != nil {
		return auth.User{}, err
	}
	if reused {
		return auth.User{}, fmt.Errorf("%w: %w", unauthorized(auth.MsgRefreshReused), auth.ErrRefreshReused)
	}
	return u, nil
}

// RevokeRefreshFamily revokes the family of the refresh token stored under
// hash (logout of one login). An unknown hash is not an error.
func (db *DB) RevokeRefreshFamily(ctx context.Context, hash string) error {
	return db.withTx(ctx, func(tx *wtx) error {
		_, err := tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $1
			WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE hash = $2) AND revoked_at IS NULL`,
			db.now(), hash)
		if err != nil {
			return fmt.Errorf("revoke refresh tokens: %w", mapErr(err))
		}
		return nil
	})
}

func deleteRefreshTokens(ctx context.Context, tx *wtx, userID string) error {
	if _, err := tx.Exec(ctx, "DELETE FROM refresh_tokens WHERE user_id = $1", userID); err != nil {
		return fmt.Errorf("delete refresh tokens of %s: %w", userID, mapErr(err))
	}
	return nil
}

// CreateSetupToken stores the hash of a one-time setup token that expires at
// expiresAt. Setup tokens work only while no user exists.
func (db *DB) CreateSetupToken(ctx context.Context, hash string, expiresAt time.Time) error {
	return db.withTx(ctx, func(tx *wtx) error {
		now := db.now()
		if _, err := tx.Exec(ctx, "DELETE FROM one_time_tokens WHERE expires_at < $1", now); err != nil {
			return fmt.Errorf("delete expired one-time tokens: %w", mapErr(err))
		}
		_, err := tx.Exec(ctx, `INSERT INTO one_time_tokens (hash, purpose, created_at, expires_at)
			VALUES ($1, 'setup', $2, $3)`, hash, now, expiresAt.UTC())
		if err != nil {
			return fmt.Errorf("insert setup token: %w", mapErr(err))
		}
		return nil
	})
}

// setupLock is the key of the advisory lock CreateFirstAdmin holds: the
// check that nobody exists yet and the insert of the first admin are one
// step across instances.
const setupLock = 7_265_843_003

// CreateFirstAdmin uses the setup token stored under hash to create u as the
// first user, with the admin role, and marks the token used, in one
// transaction. It fails with EUNAUTHORIZED (auth.InvalidTokenMessage) when
// the token is unknown, used or expired, with ECONFLICT when a user exists
// already, and as CreateUser fails for invalid fields.
func (db *DB) CreateFirstAdmin(ctx context.Context, hash string, u auth.User) (auth.User, error) {
	var out auth.User
	err := db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", setupLock); err != nil {
			return fmt.Errorf("lock setup: %w", mapErr(err))
		}
		now := db.now()
		var expires time.Time
		var used *time.Time
		err := tx.QueryRow(ctx, "SELECT expires_at, used_at FROM one_time_tokens WHERE hash = $1 AND purpose = 'setup' FOR UPDATE", hash).
			Scan(&expires, &used)
		switch {
		case noRows(err):
			return invalidToken()
		case err != nil:
			return fmt.Errorf("read setup token: %w", mapErr(err))
		case used != nil:
			return invalidToken()
		case expires.Before(now):
			return invalidToken()
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
			return fmt.Errorf("count users: %w", mapErr(err))
		}
		if n > 0 {
			return content.Errorf(content.ECONFLICT, "the newsroom has users already; ask an admin for an account")
		}
		u.Role = auth.RoleAdmin
		if out, err = db.insertUser(ctx, tx, u); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE one_time_tokens SET used_at = $1 WHERE hash = $2", now, hash); err != nil {
			return fmt.Errorf("mark setup token used: %w", mapErr(err))
		}
		return nil
	})
	return out, err
}
