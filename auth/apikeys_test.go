package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestNewAPIKeysAreRandomAndStoredHashed(t *testing.T) {
	key, prefix, hash := NewAPIKey()
	other, _, _ := NewAPIKey()
	if !IsAPIKey(key) || len(key) != len(APIKeyPrefix)+52 || key == other {
		t.Fatalf("keys %q and %q", key, other)
	}
	if prefix != key[:APIKeyShownLength] || hash != HashToken(key) || strings.Contains(hash, key[APIKeyShownLength:]) {
		t.Errorf("prefix %q, hash %q of %q", prefix, hash, key)
	}
	if strings.ToLower(key) != key || strings.ContainsAny(key[len(APIKeyPrefix):], "_-=/+") {
		t.Errorf("a key must be one word of lowercase letters and digits after dl_: %q", key)
	}
}

func TestAPIKeyState(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Hour)
	cases := []struct {
		name string
		k    APIKey
		want string
	}{
		{"a key without expiry is active", APIKey{}, APIKeyActive},
		{"a key before its expiry is active", APIKey{ExpiresAt: &later}, APIKeyActive},
		{"a key at its expiry has expired", APIKey{ExpiresAt: &now}, APIKeyExpired},
		{"a revoked key is revoked, expired or not", APIKey{ExpiresAt: &earlier, RevokedAt: &earlier}, APIKeyRevoked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.k.State(now); got != tc.want {
				t.Errorf("state = %s, want %s", got, tc.want)
			}
		})
	}
}

// fakeKeys holds one valid key for alice.
type fakeKeys struct{ hash string }

func (f fakeKeys) APIKeyUser(_ context.Context, hash string) (APIKey, User, error) {
	if hash != f.hash {
		return APIKey{}, User{}, fmt.Errorf("%w: the API key is not valid", ErrUnauthenticated)
	}
	return APIKey{ID: "k1", UserID: alice.ID}, alice, nil
}

func TestAuthenticateAcceptsAPIKeysOnlyInTheHeader(t *testing.T) {
	gin.SetMode(gin.TestMode)
	tk, _ := testTokens(t)
	key, _, hash := NewAPIKey()
	m := &Middleware{Users: nil, Tokens: tk, Keys: fakeKeys{hash}, Origins: http.NewCrossOriginProtection()}
	r := gin.New()
	r.POST("/x", m.Authenticate, func(c *gin.Context) {
		u, _ := UserFrom(c)
		id, _ := APIKeyFrom(c)
		c.String(http.StatusOK, u.ID+" "+id)
	})
	cases := []struct {
		name   string
		header string
		cookie string
		origin string
		status int
		body   string
	}{
		{"a valid key in the header acts as its user", "Bearer " + key, "", "", 200, "u1 k1"},
		{"a key needs no same-origin check: it is never sent by a browser on its own", "Bearer " + key, "", "https://evil.example", 200, "u1 k1"},
		{"an unknown key is refused", "Bearer dl_unknown", "", "", 401, `"detail":"invalid or expired token"`},
		{"a key in the access cookie is refused", "", key, "", 401, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/x", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			if tc.cookie != "" {
				req.AddCookie(&http.Cookie{Name: AccessCookie, Value: tc.cookie})
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
				req.Header.Set("Sec-Fetch-Site", "cross-site")
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.body) {
				t.Fatalf("%d %s, want %d with %q", w.Code, w.Body, tc.status, tc.body)
			}
			if strings.Contains(w.Body.String(), key) {
				t.Errorf("the answer repeats the key")
			}
		})
	}
	t.Run("without a key store keys are refused", func(t *testing.T) {
		m.Keys = nil
		req := httptest.NewRequest("POST", "/x", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	})
}
