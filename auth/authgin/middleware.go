// Package authgin is the Gin adapter of package auth: it takes credentials
// off requests (the Authorization header or the session cookie), puts the
// authenticated user on the request, and refuses requests by role. It is
// the only place authentication meets HTTP.
package authgin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"dateline/auth"
)

// Cookie names and paths of browser sessions. Both cookies are HttpOnly,
// Secure and SameSite; the refresh cookie is sent only to the token
// endpoints.
const (
	AccessCookie      = "dateline_access"
	RefreshCookie     = "dateline_refresh"
	RefreshCookiePath = "/api/admin/v1/auth"
)

// Middleware authenticates requests with its Authenticator.
type Middleware struct {
	auth.Authenticator
	// Origins refuses cross-origin writes that a browser makes with the
	// session cookie; requests with a Bearer token are not checked.
	Origins *http.CrossOriginProtection
	// Problem writes err as the response and aborts the request. Errors
	// wrapping auth.ErrUnauthenticated must become 401 and auth.ErrForbidden 403.
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
		m.fail(c, fmt.Errorf("%w: log in and send the access token (Authorization: Bearer …)", auth.ErrUnauthenticated))
		return
	}
	if !fromCookie && auth.IsAPIKey(raw) {
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
			m.fail(c, fmt.Errorf("%w: cross-origin request refused", auth.ErrForbidden))
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
func (m *Middleware) Require(role auth.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, ok := UserFrom(c)
		if !ok {
			m.fail(c, fmt.Errorf("%w: not logged in", auth.ErrUnauthenticated))
			return
		}
		if !u.Role.AtLeast(role) {
			m.fail(c, fmt.Errorf("%w: this needs the %s role or higher", auth.ErrForbidden, role))
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
	case errors.Is(err, auth.ErrUnauthenticated):
		status, code = http.StatusUnauthorized, "unauthorized"
	case errors.Is(err, auth.ErrForbidden):
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
