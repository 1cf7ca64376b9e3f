package auth

import (
	"crypto/rand"
	"strings"
	"time"
)

// API keys let scripts call the admin API as a user without a password:
// "Authorization: Bearer dl_…". A key acts as its user with the user's
// current role; it stops working when it is revoked, when it expires and
// while the user is inactive. Deactivation, logging out everywhere and a
// password change (unless UserUpdate.KeepAPIKeys) revoke the user's keys
// for good.

// APIKeyPrefix starts every API key, so the middleware can tell keys from
// access tokens and secret scanners can find leaked ones.
const APIKeyPrefix = "dl_"

// Limits of API keys.
const (
	// APIKeyShownLength is the length of an APIKey's Prefix: "dl_" and the
	// key's next 8 characters.
	APIKeyShownLength = len(APIKeyPrefix) + 8
	// MaxAPIKeyNameLength is the longest name of a key, in characters.
	MaxAPIKeyNameLength = 100
	// APIKeyTouchInterval is how stale LastUsedAt may be: it is written at
	// most once per interval per key, not on every request.
	APIKeyTouchInterval = time.Minute
)

// APIKey is the stored form of an API key; the key itself is never stored.
type APIKey struct {
	ID         string
	UserID     string
	Name       string // what the key is for
	Prefix     string // the key's first APIKeyShownLength characters
	Hash       string // HashToken of the key
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time // nil: never
	RevokedAt  *time.Time
	// The owner, as lists show it.
	UserName   string
	UserEmail  string
	UserActive bool
}

// APIKey states, as APIKey.State reports them.
const (
	APIKeyActive  = "active"
	APIKeyExpired = "expired"
	APIKeyRevoked = "revoked"
)

// State returns whether k is active, expired or revoked at now. It does
// not look at the owner's active flag.
func (k APIKey) State(now time.Time) string {
	switch {
	case k.RevokedAt != nil:
		return APIKeyRevoked
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return APIKeyExpired
	}
	return APIKeyActive
}

// APIKeyFilter selects API keys; nil fields match every key.
type APIKeyFilter struct {
	ID     *string
	UserID *string
}

// NewAPIKey returns a new random API key ("dl_" and 52 characters of
// lowercase base32, 260 random bits), the prefix shown in lists and the
// hash under which it is stored.
func NewAPIKey() (key, prefix, hash string) {
	key = APIKeyPrefix + strings.ToLower(rand.Text()+rand.Text())
	return key, key[:APIKeyShownLength], HashToken(key)
}

// IsAPIKey reports whether raw looks like an API key rather than an access
// token. It does not say whether the key is valid.
func IsAPIKey(raw string) bool { return strings.HasPrefix(raw, APIKeyPrefix) }
