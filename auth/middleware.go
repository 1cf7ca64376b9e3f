package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Cookie names and paths of browser sessions. Both cookies are HttpOnly,
// Secure and SameSite; the refresh cookie is sent only to the token
// endpoints.
const (
	AccessCookie      = "dateline_access"
	RefreshCookie     = "dateline_refresh"
	RefreshCookiePath = "/api/admin/v1/auth"
)

// UserStore is what the middleware needs from storage.
type UserStore interface {
	// UserByID returns the user with id, or an error wrapping ErrNoUser.
	UserByID(ctx context.Context, id string) (User, error)
}

// APIKeyStore is what the middleware needs to accept API keys.
type APIKeyStore interface {
	// APIKeyUser returns the key stored under hash (HashToken of the key)
	// and its user. An unknown, revoked or expired key, or one whose user
	// is inactive, is an error wrapping ErrUnauthenticated.
	APIKeyUser(ctx context.Context, hash string) (APIKey, User, error)
}

// Middleware authenticates requests. Gin appears in this package only here.
type Middleware struct {
	Users  UserStore
	Tokens *Tokens
	// Keys looks up API keys; nil refuses them.
	Keys APIKeyStore
	// Origins refuses cross-origin writes that a browser makes with the
	// session cookie; requests with a Bearer token are not checked.
	Origins *http.CrossOriginProtection
	// Problem writes err as the response and aborts the request. Errors
	// wrapping ErrUnauthenticated must become 401 and ErrForbidden 403.
	// Nil means a minimal problem JSON.
	Problem func(c *gin.Context, err error)
}

// Authenticate takes the access token from "Authorization: Bearer …" or,
// failing that, from the access cookie, verifies it, loads the user and
// checks that the user is active and the token's version is the user's
// current one, then puts the user on the request (WithUser). A Bearer
// credential that starts with "dl_" is an API key instead: it must be
// known, not revoked or expired, and its user active; the request then
// carries the key's id too (APIKeyFrom). API keys are accepted only in the
// Authorization header, never from a cookie. Anything else is refused with
// 401; a cookie-authenticated write that fails the cross-origin check is
// refused with 403 (requests with an Authorization header are not checked:
// a browser never adds one to a cross-site request by itself).
func (m *Middleware) Authenticate(c *gin.Context) {
	raw, fromCookie := BearerToken(c.Request)
	if raw == "" {
		m.fail(c, fmt.Errorf("%w: log in and send the access token (Authorization: Bearer …)", ErrUnauthenticated))
		return
	}
	if !fromCookie && IsAPIKey(raw) {
		k, u, err := m.UserForAPIKey(c.Request.Context(), raw)
		if err != nil {
			m.fail(c, err)
			return
		}
		WithUser(c, u)
		c.Set(apiKeyKey, k.ID)
		c.Next()
		return
	}
	if fromCookie && m.Origins != nil {
		if err := m.Origins.Check(c.Request); err != nil {
			m.fail(c, fmt.Errorf("%w: cross-origin request refused", ErrForbidden))
			return
		}
	}
	u, err := m.UserForToken(c.Request.Context(), raw)
	if err != nil {
		m.fail(c, err)
		return
	}
	WithUser(c, u)
	c.Next()
}

// UserForToken verifies an access token and returns its user if the user
// exists, is active and the token's version is current. Errors other than
// storage failures are TokenErrors: "invalid or expired token", whatever
// the reason.
func (m *Middleware) UserForToken(ctx context.Context, raw string) (User, error) {
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
func (m *Middleware) UserForAPIKey(ctx context.Context, key string) (APIKey, User, error) {
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

const apiKeyKey = "dateline.apikey"

// APIKeyFrom returns the id of the API key that authenticated the request,
// if one did.
func APIKeyFrom(c *gin.Context) (string, bool) {
	id, ok := c.Get(apiKeyKey)
	s, _ := id.(string)
	return s, ok && s != ""
}

// Require refuses with 403 a request whose user (set by Authenticate) does
// not have at least role.
func (m *Middleware) Require(role Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, ok := UserFrom(c)
		if !ok {
			m.fail(c, fmt.Errorf("%w: not logged in", ErrUnauthenticated))
			return
		}
		if !u.Role.AtLeast(role) {
			m.fail(c, fmt.Errorf("%w: this needs the %s role or higher", ErrForbidden, role))
			return
		}
		c.Next()
	}
}

// BearerToken returns the access token of r: the Bearer credentials of the
// Authorization header, else the access cookie (then fromCookie is true).
func BearerToken(r *http.Request) (token string, fromCookie bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, cred, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(cred), false
		}
		return "", false
	}
	if ck, err := r.Cookie(AccessCookie); err == nil && ck.Value != "" {
		return ck.Value, true
	}
	return "", false
}

func (m *Middleware) fail(c *gin.Context, err error) {
	if m.Problem != nil {
		m.Problem(c, err)
		c.Abort()
		return
	}
	status, code := http.StatusInternalServerError, "internal"
	switch {
	case errors.Is(err, ErrUnauthenticated):
		status, code = http.StatusUnauthorized, "unauthorized"
	case errors.Is(err, ErrForbidden):
		status, code = http.StatusForbidden, "forbidden"
	}
	detail := "internal error"
	if status != http.StatusInternalServerError {
		detail = err.Error()
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="dateline"`)
	}
	b, _ := json.Marshal(map[string]any{
		"type": "https://dateline.dev/problems/" + code, "title": http.StatusText(status),
		"status": status, "detail": detail, "code": code,
	})
	c.Data(status, "application/problem+json", b)
	c.Abort()
}
