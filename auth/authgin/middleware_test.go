package authgin

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"dateline/auth"
)

var alice = auth.User{ID: "u1", Role: auth.RoleEditor, Active: true, TokenVersion: 3}

// testTokens returns a token issuer with one fixed test key.
func testTokens(t *testing.T) *auth.Tokens {
	t.Helper()
	key, err := auth.NewKey([]byte(strings.Repeat("a", 40)))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := auth.NewTokens(auth.TokenOptions{Issuer: "https://news.example.org", Keys: []auth.Key{key}})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// fakeKeys holds one valid key for alice.
type fakeKeys struct{ hash string }

func (f fakeKeys) APIKeyUser(_ context.Context, hash string) (auth.APIKey, auth.User, error) {
	if hash != f.hash {
		return auth.APIKey{}, auth.User{}, fmt.Errorf("%w: the API key is not valid", auth.ErrUnauthenticated)
	}
	return auth.APIKey{ID: "k1", UserID: alice.ID}, alice, nil
}

func TestAuthenticateAcceptsAPIKeysOnlyInTheHeader(t *testing.T) {
	gin.SetMode(gin.TestMode)
	tk := testTokens(t)
	key, _, hash := auth.NewAPIKey()
	m := &Middleware{Authenticator: auth.Authenticator{Tokens: tk, Keys: fakeKeys{hash}}, Origins: http.NewCrossOriginProtection()}
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
