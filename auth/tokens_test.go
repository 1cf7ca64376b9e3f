package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func testKey(t *testing.T, fill byte) Key {
	t.Helper()
	k, err := NewKey([]byte(strings.Repeat(string(rune(fill)), 40)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testTokens returns Tokens with a clock frozen at a known instant.
func testTokens(t *testing.T, keys ...Key) (*Tokens, *time.Time) {
	t.Helper()
	return testTokensTTL(t, 0, keys...)
}

// testTokensTTL is testTokens granting access tokens ttl.
func testTokensTTL(t *testing.T, ttl time.Duration, keys ...Key) (*Tokens, *time.Time) {
	t.Helper()
	if len(keys) == 0 {
		keys = []Key{testKey(t, 'a')}
	}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tk, err := NewTokens(TokenOptions{Issuer: "https://news.example.org", Keys: keys, AccessTTL: ttl, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return tk, &now
}

var alice = User{ID: "u1", Role: RoleEditor, Active: true, TokenVersion: 3}

func TestAccessTokenRoundTrip(t *testing.T) {
	tk, now := testTokens(t)
	s, exp, err := tk.IssueAccess(alice)
	if err != nil {
		t.Fatal(err)
	}
	if got := exp.Sub(*now); got <= 0 || got > MaxAccessTTL {
		t.Errorf("lifetime %s, want at most %s", got, MaxAccessTTL)
	}
	c, err := tk.VerifyAccess(s)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "u1" || c.Ver != 3 || c.Issuer != "https://news.example.org" || c.IssuedAt == nil {
		t.Errorf("claims %+v", c)
	}
	tok, _, _ := jwt.NewParser().ParseUnverified(s, &AccessClaims{})
	if tok.Header["kid"] != tk.keys[0].ID || tok.Header["alg"] != "HS256" {
		t.Errorf("header %v", tok.Header)
	}
}

func TestForeignTokensAreRefused(t *testing.T) {
	tk, now := testTokens(t)
	key := tk.keys[0]
	sign := func(method jwt.SigningMethod, header map[string]any, claims jwt.Claims, secret any) string {
		tok := jwt.NewWithClaims(method, claims)
		for k, v := range header {
			tok.Header[k] = v
		}
		s, err := tok.SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	valid := func() AccessClaims {
		return AccessClaims{RegisteredClaims: tk.registered("u1", AudienceAccess, 5*time.Minute), Ver: 3}
	}
	preview, err := tk.IssuePreview("g1", "a1", 2, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := testTokens(t, testKey(t, 'b'))
	foreign, _, _ := other.IssueAccess(alice)
	tests := []struct {
		name  string
		token string
	}{
		{"alg none is refused", sign(jwt.SigningMethodNone, map[string]any{"kid": key.ID}, valid(), jwt.UnsafeAllowNoneSignatureType)},
		{"a token signed with another key is refused", foreign},
		{"a right key under a wrong kid is refused", sign(jwt.SigningMethodHS256, map[string]any{"kid": "nope"}, valid(), key.Secret)},
		{"a token without kid is refused", sign(jwt.SigningMethodHS256, nil, valid(), key.Secret)},
		{"HS512 is refused although the key is right", sign(jwt.SigningMethodHS512, map[string]any{"kid": key.ID}, valid(), key.Secret)},
		{"an expired token is refused", func() string {
			c := valid()
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Minute))
			return sign(jwt.SigningMethodHS256, map[string]any{"kid": key.ID}, c, key.Secret)
		}()},
		{"a token without exp is refused", func() string {
			c := valid()
			c.ExpiresAt = nil
			return sign(jwt.SigningMethodHS256, map[string]any{"kid": key.ID}, c, key.Secret)
		}()},
		{"a token from another issuer is refused", func() string {
			c := valid()
			c.Issuer = "https://evil.example"
			return sign(jwt.SigningMethodHS256, map[string]any{"kid": key.ID}, c, key.Secret)
		}()},
		{"a token issued in the future is refused", func() string {
			c := valid()
			c.IssuedAt = jwt.NewNumericDate(now.Add(time.Hour))
			return sign(jwt.SigningMethodHS256, map[string]any{"kid": key.ID}, c, key.Secret)
		}()},
		{"a token that claims a longer life than the access lifetime is refused", func() string {
			c := valid()
			c.ExpiresAt = jwt.NewNumericDate(now.Add(AccessTTL + time.Second))
			return sign(jwt.SigningMethodHS256, map[string]any{"kid": key.ID}, c, key.Secret)
		}()},
		{"a token without iat is refused", func() string {
			c := valid()
			c.IssuedAt = nil
			return sign(jwt.SigningMethodHS256, map[string]any{"kid": key.ID}, c, key.Secret)
		}()},
		{"a preview token is not an access token", preview},
		{"a token without version is refused", func() string {
			c := valid()
			c.Ver = 0
			return sign(jwt.SigningMethodHS256, map[string]any{"kid": key.ID}, c, key.Secret)
		}()},
		{"garbage is refused", "not.a.token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tk.VerifyAccess(tt.token)
			if !errors.Is(err, ErrUnauthenticated) {
				t.Fatalf("err = %v, want ErrUnauthenticated", err)
			}
			if err.Error() != InvalidTokenMessage {
				t.Errorf("the error says %q, want only %q", err, InvalidTokenMessage)
			}
		})
	}
	t.Run("the valid token of the same shape is accepted", func(t *testing.T) {
		if _, err := tk.VerifyAccess(sign(jwt.SigningMethodHS256, map[string]any{"kid": key.ID}, valid(), key.Secret)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestTokensExpire(t *testing.T) {
	tk, now := testTokens(t)
	s, _, _ := tk.IssueAccess(alice)
	*now = now.Add(MaxAccessTTL + time.Second)
	if _, err := tk.VerifyAccess(s); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a token past %s verified: %v", MaxAccessTTL, err)
	}
}

func TestAccessTokensLiveAtMostTheConfiguredLifetime(t *testing.T) {
	long, _ := testTokensTTL(t, MaxAccessTTL)
	s, _, err := long.IssueAccess(alice)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ttl  time.Duration
		ok   bool
	}{
		{"a server that grants the lifetime accepts the token", MaxAccessTTL, true},
		{"a server that grants less refuses it", 5 * time.Minute, false},
		{"a server with the default lifetime refuses it", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, _ := testTokensTTL(t, tt.ttl)
			_, err := tk.VerifyAccess(s)
			if (err == nil) != tt.ok {
				t.Errorf("VerifyAccess: %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestKeyRotationKeepsOldTokensValid(t *testing.T) {
	oldKey, newKey := testKey(t, 'o'), testKey(t, 'n')
	before, _ := testTokens(t, oldKey)
	s, _, _ := before.IssueAccess(alice)
	after, _ := testTokens(t, newKey, oldKey)
	if _, err := after.VerifyAccess(s); err != nil {
		t.Fatalf("a token of the previous key no longer verifies: %v", err)
	}
	fresh, _, _ := after.IssueAccess(alice)
	tok, _, _ := jwt.NewParser().ParseUnverified(fresh, &AccessClaims{})
	if tok.Header["kid"] != newKey.ID {
		t.Errorf("new tokens are signed with kid %v, want the new key %s", tok.Header["kid"], newKey.ID)
	}
	retired, _ := testTokens(t, newKey)
	if _, err := retired.VerifyAccess(s); err == nil {
		t.Error("a token of a retired key still verifies")
	}
}

func TestPreviewTokens(t *testing.T) {
	tk, now := testTokens(t)
	s, err := tk.IssuePreview("grant-1", "article-1", 7, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	g, id, v, err := tk.VerifyPreview(s)
	if err != nil || g != "grant-1" || id != "article-1" || v != 7 {
		t.Fatalf("VerifyPreview = %q %q %d %v", g, id, v, err)
	}
	access, _, _ := tk.IssueAccess(alice)
	if _, _, _, err := tk.VerifyPreview(access); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("an access token worked as a preview token: %v", err)
	}
	for _, ttl := range []time.Duration{0, -time.Second, MaxPreviewTTL + time.Second} {
		if _, err := tk.IssuePreview("grant-1", "article-1", 7, ttl); err == nil {
			t.Errorf("lifetime %s accepted", ttl)
		}
	}
	if _, err := tk.IssuePreview("grant-1", "", 7, time.Minute); err == nil {
		t.Error("a preview without article accepted")
	}
	if _, err := tk.IssuePreview("", "article-1", 7, time.Minute); err == nil {
		t.Error("a preview without grant accepted")
	}
	t.Run("a token without a grant id is refused", func(t *testing.T) {
		c := PreviewClaims{RegisteredClaims: tk.registered("article-1", AudiencePreview, time.Hour), Version: 7}
		old, err := tk.sign(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := tk.VerifyPreview(old); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("a grantless preview token verified: %v", err)
		}
	})
	*now = now.Add(31 * time.Minute)
	if _, _, _, err := tk.VerifyPreview(s); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("an expired preview token verified: %v", err)
	}
}

func TestShortKeysAreRefused(t *testing.T) {
	if _, err := NewKey([]byte("short")); err == nil {
		t.Error("a 5-byte key accepted")
	}
	if _, err := NewTokens(TokenOptions{Issuer: "x"}); err == nil {
		t.Error("tokens without keys")
	}
}

func TestOpaqueTokensAreRandomAndStoredHashed(t *testing.T) {
	a, ha := NewOpaqueToken()
	b, _ := NewOpaqueToken()
	if a == b || len(a) != 43 {
		t.Errorf("tokens %q %q", a, b)
	}
	if ha == a || ha != HashToken(a) || len(ha) != 64 {
		t.Errorf("hash %q of %q", ha, a)
	}
}
