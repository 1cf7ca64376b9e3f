package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
)

// AccountStore is what the account endpoints read and write.
type AccountStore interface {
	UserByID(ctx context.Context, id string) (auth.User, error)
	UserByEmail(ctx context.Context, email string) (auth.User, error)
	Users(ctx context.Context) ([]auth.User, error)
	CreateUser(ctx context.Context, u auth.User) (auth.User, error)
	UpdateUser(ctx context.Context, id string, upd auth.UserUpdate) (auth.User, error)
	LogOutEverywhere(ctx context.Context, id string) error
	CreateRefreshToken(ctx context.Context, userID, hash string, expiresAt time.Time) (auth.RefreshToken, error)
	RotateRefreshToken(ctx context.Context, oldHash, newHash string, expiresAt time.Time) (auth.User, error)
	CreateFirstAdmin(ctx context.Context, setupHash string, u auth.User) (auth.User, error)
	// TakeLoginAttempt takes one login attempt from the buckets of keys as
	// limits.Take decides, in the database, so that every instance counts
	// the same attempts and a restart forgets none.
	TakeLoginAttempt(ctx context.Context, keys auth.LoginKeys, limits auth.LoginLimits, now time.Time) (bool, time.Duration, error)
}

// Accounts serves login, token refresh, logout, first-start setup, the
// current user and user management under /api/admin/v1.
type Accounts struct {
	Store  AccountStore
	Tokens *auth.Tokens
	Auth   *authgin.Middleware
	// Throttle is the limits of login attempts per account and per client
	// address; their buckets are in the Store.
	Throttle auth.LoginLimits
	// Origins refuses cross-origin browser requests to the public endpoints
	// (login, refresh, setup), which set or read the session cookies.
	Origins *http.CrossOriginProtection
	// Passwords hashes and checks passwords within the memory budget of
	// concurrent argon2id; a login it cannot fit in time answers 503.
	Passwords *auth.Passwords
	Log       *slog.Logger
	Now       func() time.Time
}

// acctUserJSON is a user as the admin API shows it; the password hash and
// token version never leave the server.
type acctUserJSON struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	Bio       string    `json:"bio"`
	Role      auth.Role `json:"role"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func acctUser(u auth.User) acctUserJSON {
	return acctUserJSON{ID: u.ID, Email: u.Email, Name: u.Name, Slug: u.Slug, Bio: u.Bio, Role: u.Role,
		Active: u.Active, CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

// acctSession is the answer to login, refresh and setup.
type acctSession struct {
	AccessToken  string       `json:"access_token"`
	TokenType    string       `json:"token_type"`
	ExpiresIn    int          `json:"expires_in"` // seconds
	RefreshToken string       `json:"refresh_token"`
	User         acctUserJSON `json:"user"`
}

// acctLoginFailed is the one answer to every failed login, whether the
// account exists or not.
func acctLoginFailed() error {
	return content.Errorf(content.EUNAUTHORIZED, "the email or password is wrong")
}

func (h *Accounts) now() time.Time { return h.Now() }

// checkOrigin refuses a cross-origin browser request.
func (h *Accounts) checkOrigin(c *gin.Context) bool {
	if h.Origins == nil {
		return true
	}
	if err := h.Origins.Check(c.Request); err != nil {
		h.Problem(c, content.Errorf(content.EFORBIDDEN, "cross-origin request refused"))
		return false
	}
	return true
}

// throttle takes one login attempt for email from the client's address and
// answers 429 with Retry-After when none is left (or the error when the
// store cannot count it: no attempt goes uncounted).
func (h *Accounts) throttle(c *gin.Context, email string) bool {
	ok, wait, err := h.Store.TakeLoginAttempt(c.Request.Context(), auth.NewLoginKeys(email, c.ClientIP()), h.Throttle, h.now())
	if err != nil {
		h.Problem(c, err)
		return false
	}
	if ok {
		return true
	}
	secs := auth.RetryAfter(wait)
	c.Header("Retry-After", strconv.Itoa(secs))
	h.Problem(c, content.Errorf(content.ETOOMANY, "too many login attempts; try again in %d seconds", secs))
	return false
}

func (h *Accounts) handleLogin(c *gin.Context) {
	if !h.checkOrigin(c) {
		return
	}
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decodeBody(c, &req, acctMaxBody, false); err != nil {
		h.Problem(c, err)
		return
	}
	var p content.Problems
	if strings.TrimSpace(req.Email) == "" {
		p.Add("email", "is required")
	}
	if req.Password == "" {
		p.Add("password", "is required")
	}
	if err := p.Err(); err != nil {
		h.Problem(c, err)
		return
	}
	if !h.throttle(c, req.Email) {
		return
	}
	ctx := c.Request.Context()
	u, err := h.Store.UserByEmail(ctx, req.Email)
	switch {
	case errors.Is(err, auth.ErrNoUser):
		if err := h.Passwords.VerifyNobody(ctx, req.Password); err != nil {
			h.Problem(c, err)
			return
		}
		h.Problem(c, acctLoginFailed())
		return
	case err != nil:
		h.Problem(c, err)
		return
	}
	ok, err := h.Passwords.Verify(ctx, u.PasswordHash, req.Password)
	if err != nil {
		h.Problem(c, err)
		return
	}
	if !ok || !u.Active {
		h.Problem(c, acctLoginFailed())
		return
	}
	rt, hash := auth.NewOpaqueToken()
	if _, err := h.Store.CreateRefreshToken(c.Request.Context(), u.ID, hash, h.now().Add(auth.RefreshTTL)); err != nil {
		h.Problem(c, err)
		return
	}
	h.session(c, http.StatusOK, u, rt)
}

// session answers with a new access token for u and the refresh token rt,
// in the body and as cookies.
func (h *Accounts) session(c *gin.Context, status int, u auth.User, rt string) {
	access, exp, err := h.Tokens.IssueAccess(u)
	if err != nil {
		h.Problem(c, err)
		return
	}
	ttl := int(math.Ceil(exp.Sub(h.Tokens.Now()).Seconds()))
	http.SetCookie(c.Writer, &http.Cookie{Name: authgin.AccessCookie, Value: access, Path: "/", MaxAge: ttl,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	http.SetCookie(c.Writer, &http.Cookie{Name: authgin.RefreshCookie, Value: rt, Path: authgin.RefreshCookiePath,
		MaxAge: int(auth.RefreshTTL.Seconds()), HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
	http.SetCookie(c.Writer, &http.Cookie{Name: renewCookie, Value: "1", Path: "/admin/login",
		MaxAge: int(auth.RefreshTTL.Seconds()), HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
	c.Header("Cache-Control", "no-store")
	c.JSON(status, acctSession{AccessToken: access, TokenType: "Bearer", ExpiresIn: ttl, RefreshToken: rt, User: acctUser(u)})
}

// renewCookie, sent only to the login page and holding no secret, says
// that the browser may have a refresh cookie, so that the login page tries
// a silent renewal only then (and a first visit makes no failing request).
const renewCookie = "dateline_renew"

// clearCookies tells the browser to drop the session cookies.
func clearCookies(c *gin.Context) {
	for name, path := range map[string]string{authgin.AccessCookie: "/", authgin.RefreshCookie: authgin.RefreshCookiePath, renewCookie: "/admin/login"} {
		http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1,
			HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	}
}

func (h *Accounts) handleRefresh(c *gin.Context) {
	var req struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := decodeBody(c, &req, acctMaxBody, true); err != nil {
		h.Problem(c, err)
		return
	}
	old := req.RefreshToken
	if old == "" {
		if ck, err := c.Request.Cookie(authgin.RefreshCookie); err == nil {
			old = ck.Value
		}
		if !h.checkOrigin(c) {
			return
		}
	}
	if old == "" {
		h.Problem(c, invalid("refresh_token", "is required (in the body or the refresh cookie)"))
		return
	}
	next, hash := auth.NewOpaqueToken()
	u, err := h.Store.RotateRefreshToken(c.Request.Context(), auth.HashToken(old), hash, h.now().Add(auth.RefreshTTL))
	if err != nil {
		if content.ErrorCode(err) == content.EUNAUTHORIZED {
			clearCookies(c)
		}
		h.Problem(c, err)
		return
	}
	h.session(c, http.StatusOK, u, next)
}

// handleLogout logs the user out everywhere, leaving no credential of
// theirs working: it bumps the token version (access tokens stop working at
// once), deletes the refresh tokens and revokes the API keys.
func (h *Accounts) handleLogout(c *gin.Context) {
	u, _ := authgin.UserFrom(c)
	if err := h.Store.LogOutEverywhere(c.Request.Context(), u.ID); err != nil {
		h.Problem(c, err)
		return
	}
	clearCookies(c)
	c.Status(http.StatusNoContent)
}

func (h *Accounts) handleMe(c *gin.Context) {
	u, _ := authgin.UserFrom(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"user": acctUser(u)})
}

// handleSetup creates the first admin with the one-time setup token printed
// at the first start, and logs the new admin in.
func (h *Accounts) handleSetup(c *gin.Context) {
	if !h.checkOrigin(c) {
		return
	}
	var req struct {
		Token    string `json:"token"`
		Email    string `json:"email"`
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if err := decodeBody(c, &req, acctMaxBody, false); err != nil {
		h.Problem(c, err)
		return
	}
	if req.Token == "" {
		h.Problem(c, invalid("token", "is required: use the setup link printed at the first start"))
		return
	}
	hash, err := h.hashPassword(c.Request.Context(), req.Password)
	if err != nil {
		h.Problem(c, err)
		return
	}
	u, err := h.Store.CreateFirstAdmin(c.Request.Context(), auth.HashToken(req.Token),
		auth.User{Email: req.Email, Name: req.Name, Role: auth.RoleAdmin, PasswordHash: hash})
	if err != nil {
		h.Problem(c, err)
		return
	}
	h.Log.InfoContext(c.Request.Context(), "first admin created", "user", u.ID)
	rt, rtHash := auth.NewOpaqueToken()
	if _, err := h.Store.CreateRefreshToken(c.Request.Context(), u.ID, rtHash, h.now().Add(auth.RefreshTTL)); err != nil {
		h.Problem(c, err)
		return
	}
	h.session(c, http.StatusCreated, u, rt)
}

// hashPassword checks pw against the limits (EINVALID on field "password")
// and hashes it within the hashing budget (an error wrapping
// auth.ErrHashingBusy when it cannot start in time).
func (h *Accounts) hashPassword(ctx context.Context, pw string) (string, error) {
	if err := auth.CheckPassword(pw); err != nil {
		return "", invalid("password", err.Error())
	}
	hash, err := h.Passwords.Hash(ctx, pw)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}
