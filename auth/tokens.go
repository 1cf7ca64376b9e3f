package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token audiences. A token is accepted only for the audience it was issued
// for, so a preview token never works as an access token.
const (
	AudienceAccess  = "dateline-access"
	AudiencePreview = "dateline-preview"
)

// Token lifetimes.
const (
	AccessTTL     = 10 * time.Minute
	MaxAccessTTL  = 15 * time.Minute
	RefreshTTL    = 30 * 24 * time.Hour
	SetupTTL      = time.Hour
	MaxPreviewTTL = 24 * time.Hour
)

// MinKeyLength is the shortest signing secret accepted, in bytes.
const MinKeyLength = 32

var (
	// ErrUnauthenticated is wrapped by every error that means "who is
	// asking is not known": a missing, malformed, expired or revoked token,
	// wrong credentials. HTTP layers answer 401.
	ErrUnauthenticated = errors.New("not authenticated")
	// ErrForbidden is wrapped by errors that mean "known, but not allowed".
	// HTTP layers answer 403.
	ErrForbidden = errors.New("forbidden")
	// ErrNoUser is wrapped by a UserStore's error for an id or email that
	// names no user.
	ErrNoUser = errors.New("no such user")
)

// InvalidTokenMessage is all a refused token is told, whatever the reason:
// a bad signature, a wrong audience, expiry, revocation, an unknown or
// inactive user. The reason goes to logs at most, never into an answer.
const InvalidTokenMessage = "invalid or expired token"

// TokenError is the error of a refused token. Its message is always
// InvalidTokenMessage; it wraps ErrUnauthenticated and the reason.
type TokenError struct {
	Reason error
}

func (e *TokenError) Error() string { return InvalidTokenMessage }

// Unwrap returns ErrUnauthenticated and the reason.
func (e *TokenError) Unwrap() []error { return []error{ErrUnauthenticated, e.Reason} }

// invalidToken returns a TokenError for reason.
func invalidToken(reason error) error { return &TokenError{Reason: reason} }

// Key is one HMAC signing secret and its key id (the JWT "kid" header).
type Key struct {
	ID     string
	Secret []byte
}

// NewKey returns a Key for secret with an id derived from it (the first 8
// bytes of its SHA-256, hex), so the same secret always has the same id and
// the id reveals nothing useful about it.
func NewKey(secret []byte) (Key, error) {
	if len(secret) < MinKeyLength {
		return Key{}, fmt.Errorf("a signing key must have at least %d bytes", MinKeyLength)
	}
	sum := sha256.Sum256(append([]byte("dateline-kid:"), secret...))
	return Key{ID: hex.EncodeToString(sum[:8]), Secret: secret}, nil
}

// Tokens issues and verifies signed tokens (HS256 JWTs). Keys[0] signs; every
// key in Keys verifies, so a key can be rotated by putting the new one first
// and keeping the old one until the tokens it signed have expired.
type Tokens struct {
	issuer    string
	keys      []Key
	accessTTL time.Duration
	clock     func() time.Time
}

// TokenOptions configure NewTokens.
type TokenOptions struct {
	Issuer    string           // the "iss" of every token: the server's base URL
	Keys      []Key            // at least one; the current signing key first
	AccessTTL time.Duration    // lifetime of access tokens; zero or over MaxAccessTTL: AccessTTL
	Now       func() time.Time // the clock; nil: time.Now
}

// NewTokens returns Tokens as opt says. It fails when opt has no key.
func NewTokens(opt TokenOptions) (*Tokens, error) {
	if len(opt.Keys) == 0 {
		return nil, errors.New("tokens: no signing key")
	}
	if opt.AccessTTL <= 0 || opt.AccessTTL > MaxAccessTTL {
		opt.AccessTTL = AccessTTL
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Tokens{issuer: opt.Issuer, keys: slices.Clone(opt.Keys), accessTTL: opt.AccessTTL, clock: opt.Now}, nil
}

// Now returns the current time by the clock tokens are issued and checked by.
func (t *Tokens) Now() time.Time { return t.clock() }

// AccessClaims are the claims of an access token: the user id as subject
// and the user's token version as "ver".
type AccessClaims struct {
	jwt.RegisteredClaims
	Ver int `json:"ver"`
}

// PreviewClaims are the claims of a draft preview token: the article id as
// subject, the article version as "v" and the id of the preview grant that
// the server keeps for the link as "jti".
type PreviewClaims struct {
	jwt.RegisteredClaims
	Version int `json:"v"`
}

func (t *Tokens) registered(subject, audience string, ttl time.Duration) jwt.RegisteredClaims {
	now := t.Now()
	return jwt.RegisteredClaims{
		Issuer:    t.issuer,
		Subject:   subject,
		Audience:  jwt.ClaimStrings{audience},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}
}

func (t *Tokens) sign(claims jwt.Claims) (string, error) {
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = t.keys[0].ID
	s, err := tok.SignedString(t.keys[0].Secret)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

// verify parses s into claims, accepting only HS256 with a known kid, the
// issuer, the audience, an issue time not in the future and an expiry in
// the future, and at most maxTTL after the issue time: a token that claims
// a longer life than this server grants was not made by it as it is
// configured now. Errors are TokenErrors.
func (t *Tokens) verify(s, audience string, maxTTL time.Duration, claims jwt.Claims) error {
	_, err := jwt.ParseWithClaims(s, claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		for _, k := range t.keys {
			if k.ID == kid {
				return k.Secret, nil
			}
		}
		return nil, fmt.Errorf("unknown key id %q", kid)
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(audience),
		jwt.WithTimeFunc(t.clock),
		jwt.WithLeeway(5*time.Second),
	)
	if err != nil {
		return invalidToken(err)
	}
	iat, err := claims.GetIssuedAt()
	if err != nil || iat == nil {
		return invalidToken(errors.New("token without iat"))
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		return invalidToken(errors.New("token without exp"))
	}
	if life := exp.Sub(iat.Time); life > maxTTL {
		return invalidToken(fmt.Errorf("token lifetime %s is over the %s this server grants", life, maxTTL))
	}
	return nil
}

// IssueAccess returns a signed access token for u and when it expires.
func (t *Tokens) IssueAccess(u User) (string, time.Time, error) {
	c := AccessClaims{RegisteredClaims: t.registered(u.ID, AudienceAccess, t.accessTTL), Ver: u.TokenVersion}
	s, err := t.sign(c)
	return s, c.ExpiresAt.Time, err
}

// VerifyAccess checks an access token and returns its claims; a token
// whose exp is more than the access lifetime after its iat is refused.
// Errors are TokenErrors (wrapping ErrUnauthenticated). The caller must
// still load the user and compare Ver with the user's token version and
// check that the user is active.
func (t *Tokens) VerifyAccess(s string) (AccessClaims, error) {
	var c AccessClaims
	if err := t.verify(s, AudienceAccess, t.accessTTL, &c); err != nil {
		return AccessClaims{}, err
	}
	if c.Subject == "" || c.Ver <= 0 {
		return AccessClaims{}, invalidToken(errors.New("access token without subject or version"))
	}
	return c, nil
}

// IssuePreview returns a token for the preview grant grantID, which lets
// the delivery API show version of the article articleID for ttl (at most
// MaxPreviewTTL) while the grant stands.
func (t *Tokens) IssuePreview(grantID, articleID string, version int, ttl time.Duration) (string, error) {
	if grantID == "" || articleID == "" || version <= 0 {
		return "", errors.New("preview token: a grant id, an article id and a version are required")
	}
	if ttl <= 0 || ttl > MaxPreviewTTL {
		return "", fmt.Errorf("preview token: the lifetime must be positive and at most %s", MaxPreviewTTL)
	}
	c := PreviewClaims{RegisteredClaims: t.registered(articleID, AudiencePreview, ttl), Version: version}
	c.ID = grantID
	return t.sign(c)
}

// VerifyPreview checks a preview token and returns the grant, article id
// and version it names; the caller must still check that the grant stands.
// Errors are TokenErrors; a token without a grant id (made before grants
// existed) is refused.
func (t *Tokens) VerifyPreview(s string) (grantID, articleID string, version int, err error) {
	var c PreviewClaims
	if err := t.verify(s, AudiencePreview, MaxPreviewTTL, &c); err != nil {
		return "", "", 0, err
	}
	if c.ID == "" || c.Subject == "" || c.Version <= 0 {
		return "", "", 0, invalidToken(errors.New("preview token without grant, article or version"))
	}
	return c.ID, c.Subject, c.Version, nil
}

// NewOpaqueToken returns a random token (32 bytes, unpadded base64url) and
// the hash under which it is stored; the token itself is never stored.
func NewOpaqueToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of an opaque token: hex SHA-256. A
// fast hash suffices for 256 random bits.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ErrRefreshReused is wrapped by a store's error when a refresh token that
// was already rotated is presented again; every session of its user has
// then ended (not only that login): the token version moved and every
// refresh token of the user is gone. API keys keep working.
var ErrRefreshReused = errors.New("refresh token reused")

// MsgRefreshReused is the detail of the 401 for a reused refresh token. It
// says what ended, since the holder of the legitimate login has just been
// logged out everywhere; it says nothing a thief of the used token did not
// know.
const MsgRefreshReused = "this refresh token was already used, so someone else may hold this login: " +
	"every session of the account has ended (API keys keep working); log in again"

// RefreshToken is the stored form of a refresh token. Tokens of one login
// share a family; rotating a token marks it used and issues the next one in
// the family, and presenting a used token revokes the whole family.
type RefreshToken struct {
	Hash         string
	FamilyID     string
	UserID       string
	TokenVersion int // the user's token version when the family began
	ExpiresAt    time.Time
}
