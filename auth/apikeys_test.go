package auth

import (
	"strings"
	"testing"
	"time"
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
