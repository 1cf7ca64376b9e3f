package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"dateline/auth"
	"dateline/content"
)

// API keys change no content, so their writes, each one statement, go
// straight to the writer connection: they append no outbox event, so the
// content generation and with it the response caches stay.

const apiKeyColumns = `k.id, k.user_id, k.name, k.prefix, k.hash, k.created_at, k.last_used_at, k.expires_at, k.revoked_at,
	u.name, u.email, u.active`

// apiKeys returns the keys matching f with their owners, newest first.
func apiKeys(ctx context.Context, q querier, f auth.APIKeyFilter, hash *string) ([]auth.APIKey, error) {
	var cond []string
	var args []any
	if f.ID != nil {
		cond, args = append(cond, "k.id = ?"), append(args, *f.ID)
	}
	if f.UserID != nil {
		cond, args = append(cond, "k.user_id = ?"), append(args, *f.UserID)
	}
	if hash != nil {
		cond, args = append(cond, "k.hash = ?"), append(args, *hash)
	}
	query := "SELECT " + apiKeyColumns + " FROM api_keys k JOIN users u ON u.id = k.user_id"
	if len(cond) > 0 {
		query += " WHERE " + strings.Join(cond, " AND ")
	}
	query += " ORDER BY k.created_at DESC, k.id DESC"
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query api keys: %w", mapErr(err))
	}
	defer rows.Close()
	out := []auth.APIKey{}
	for rows.Next() {
		var k auth.APIKey
		var created string
		var used, expires, revoked sql.NullString
		if err := rows.Scan(&k.ID, &k.UserID, &k.Name, &k.Prefix, &k.Hash, &created, &used, &expires, &revoked,
			&k.UserName, &k.UserEmail, &k.UserActive); err != nil {
			return nil, fmt.Errorf("scan api key: %w", err)
		}
		if k.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if k.LastUsedAt, err = parseNullTime(used); err != nil {
			return nil, err
		}
		if k.ExpiresAt, err = parseNullTime(expires); err != nil {
			return nil, err
		}
		if k.RevokedAt, err = parseNullTime(revoked); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query api keys: %w", mapErr(err))
	}
	return out, nil
}

// APIKeys returns the keys matching f, revoked and expired ones included,
// newest first, each with its owner's name, email and active flag.
func (db *DB) APIKeys(ctx context.Context, f auth.APIKeyFilter) ([]auth.APIKey, error) {
	return apiKeys(ctx, db.r, f, nil)
}

// APIKey returns the key with id, or an ENOTFOUND error.
func (db *DB) APIKey(ctx context.Context, id string) (auth.APIKey, error) {
	return apiKey(ctx, db.r, auth.APIKeyFilter{ID: &id})
}

func apiKey(ctx context.Context, q querier, f auth.APIKeyFilter) (auth.APIKey, error) {
	ks, err := apiKeys(ctx, q, f, nil)
	if err != nil {
		return auth.APIKey{}, err
	}
	if len(ks) == 0 {
		return auth.APIKey{}, content.Errorf(content.ENOTFOUND, "no such API key")
	}
	return ks[0], nil
}

// CreateAPIKey stores a key for k.UserID from k's Name, Prefix, Hash and
// optional ExpiresAt, and returns it with its id and creation time. A name
// that is empty, too long or holds control characters, an expiry that is
// not in the future or a malformed prefix or hash fail with EINVALID naming
// the field; an owner who does not exist or is inactive fails with
// EFORBIDDEN.
func (db *DB) CreateAPIKey(ctx context.Context, k auth.APIKey) (auth.APIKey, error) {
	now := db.now().Truncate(time.Microsecond) // as stored
	k.Name = strings.TrimSpace(k.Name)
	var p content.Problems
	switch n := utf8.RuneCountInString(k.Name); {
	case n == 0:
		p.Add("name", "is required: say what the key is for")
	case n > auth.MaxAPIKeyNameLength:
		p.Add("name", "must be at most %d characters", auth.MaxAPIKeyNameLength)
	default:
		auth.CheckText(&p, "name", k.Name, false)
	}
	if k.ExpiresAt != nil && !k.ExpiresAt.After(now) {
		p.Add("expires_at", "must be in the future")
	}
	if len(k.Prefix) != auth.APIKeyShownLength || !auth.IsAPIKey(k.Prefix) || len(k.Hash) != 64 {
		p.Add("key", "must be made by auth.NewAPIKey")
	}
	if err := p.Err(); err != nil {
		return auth.APIKey{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return auth.APIKey{}, fmt.Errorf("api key id: %w", err)
	}
	res, err := db.w.ExecContext(ctx, `INSERT INTO api_keys (id, user_id, name, prefix, hash, created_at, expires_at)
		SELECT ?, id, ?, ?, ?, ?, ? FROM users WHERE id = ? AND active = 1`,
		id.String(), k.Name, k.Prefix, k.Hash, timeText(now), optTime(k.ExpiresAt), k.UserID)
	if err != nil {
		return auth.APIKey{}, fmt.Errorf("insert api key: %w", mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return auth.APIKey{}, content.Errorf(content.EFORBIDDEN, "only an active user can have API keys")
	}
	return apiKey(ctx, db.w, auth.APIKeyFilter{ID: ptr(id.String())})
}

// RevokeAPIKey revokes the key with id and returns it; revoking a revoked
// key changes nothing. A missing key fails with ENOTFOUND.
func (db *DB) RevokeAPIKey(ctx context.Context, id string) (auth.APIKey, error) {
	if _, err := db.w.ExecContext(ctx, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
		timeText(db.now()), id); err != nil {
		return auth.APIKey{}, fmt.Errorf("revoke api key %s: %w", id, mapErr(err))
	}
	return apiKey(ctx, db.w, auth.APIKeyFilter{ID: &id})
}

// revokeAPIKeysOf revokes, at now, every key of the user with id that is
// not revoked yet.
func revokeAPIKeysOf(ctx context.Context, tx *wtx, userID string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
		timeText(now), userID); err != nil {
		return fmt.Errorf("revoke api keys of %s: %w", userID, mapErr(err))
	}
	return nil
}

// APIKeyUser returns the key stored under hash and its user. An unknown,
// revoked or expired key, or one whose user is inactive, fails with an
// EUNAUTHORIZED error whose message is auth.InvalidTokenMessage and that
// also wraps auth.ErrUnauthenticated. It records
// the use in LastUsedAt when that is older than auth.APIKeyTouchInterval,
// so a busy script costs one write a minute, not one per request.
func (db *DB) APIKeyUser(ctx context.Context, hash string) (auth.APIKey, auth.User, error) {
	refuse := func(reason string) (auth.APIKey, auth.User, error) {
		return auth.APIKey{}, auth.User{}, fmt.Errorf("%w: %w: %s", invalidToken(), auth.ErrUnauthenticated, reason)
	}
	ks, err := apiKeys(ctx, db.r, auth.APIKeyFilter{}, &hash)
	if err != nil {
		return auth.APIKey{}, auth.User{}, err
	}
	if len(ks) == 0 {
		return refuse("the API key is not valid")
	}
	k := ks[0]
	now := db.now()
	switch k.State(now) {
	case auth.APIKeyRevoked:
		return refuse("the API key has been revoked")
	case auth.APIKeyExpired:
		return refuse("the API key has expired")
	}
	u, err := user(ctx, db.r, userFilter{ID: &k.UserID})
	if errors.Is(err, auth.ErrNoUser) {
		return refuse("the API key is not valid")
	}
	if err != nil {
		return auth.APIKey{}, auth.User{}, err
	}
	if !u.Active {
		return refuse("the API key's user has been deactivated")
	}
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) >= auth.APIKeyTouchInterval {
		stale := timeText(now.Add(-auth.APIKeyTouchInterval))
		if _, err := db.w.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ?
			WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`, timeText(now), k.ID, stale); err != nil {
			return auth.APIKey{}, auth.User{}, fmt.Errorf("record use of api key %s: %w", k.ID, mapErr(err))
		}
		t := now.Truncate(time.Microsecond)
		k.LastUsedAt = &t
	}
	return k, u, nil
}
