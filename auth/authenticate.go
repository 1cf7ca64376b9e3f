package auth

import (
	"context"
	"errors"
	"fmt"
)

// UserStore is what authentication needs from storage.
type UserStore interface {
	// UserByID returns the user with id, or an error wrapping ErrNoUser.
	UserByID(ctx context.Context, id string) (User, error)
}

// APIKeyStore is what authentication needs to accept API keys.
type APIKeyStore interface {
	// APIKeyUser returns the key stored under hash (HashToken of the key)
	// and its user. An unknown, revoked or expired key, or one whose user
	// is inactive, is an error wrapping ErrUnauthenticated.
	APIKeyUser(ctx context.Context, hash string) (APIKey, User, error)
}

// Authenticator turns credentials (access tokens, API keys) into users.
// It knows nothing of HTTP; the Gin adapter (package authgin) takes the
// credentials off requests.
type Authenticator struct {
	Users  UserStore
	Tokens *Tokens
	// Keys looks up API keys; nil refuses them.
	Keys APIKeyStore
}

// UserForToken verifies an access token and returns its user if the user
// exists, is active and the token's version is current. Errors other than
// storage failures are TokenErrors: "invalid or expired token", whatever
// the reason.
func (m *Authenticator) UserForToken(ctx context.Context, raw string) (User, error) {
	claims, err := m.Tokens.VerifyAccess(raw)
	if err != nil {
		return User{}, err
	}
	u, err := m.Users.UserByID(ctx, claims.Subject)
	if errors.Is(err, ErrNoUser) {
		return User{}, invalidToken(errors.New("the account no longer exists"))
	}
	if err != nil {
		return User{}, fmt.Errorf("load user of token: %w", err)
	}
	if !u.Active || u.TokenVersion != claims.Ver {
		return User{}, invalidToken(errors.New("the session has ended"))
	}
	return u, nil
}

// UserForAPIKey looks up an API key and returns it with its user. Errors
// other than storage failures are TokenErrors.
func (m *Authenticator) UserForAPIKey(ctx context.Context, key string) (APIKey, User, error) {
	if m.Keys == nil {
		return APIKey{}, User{}, invalidToken(errors.New("API keys are not accepted here"))
	}
	k, u, err := m.Keys.APIKeyUser(ctx, HashToken(key))
	if err != nil {
		if errors.Is(err, ErrUnauthenticated) {
			return APIKey{}, User{}, invalidToken(err)
		}
		return APIKey{}, User{}, fmt.Errorf("look up api key: %w", err)
	}
	return k, u, nil
}
