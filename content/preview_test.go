package content

import (
	"testing"
	"time"
)

func TestPreviewGrantState(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	earlier, later := now.Add(-time.Minute), now.Add(time.Minute)
	tests := []struct {
		name string
		g    PreviewGrant
		want string
	}{
		{"a grant before its expiry is active", PreviewGrant{ExpiresAt: later}, PreviewActive},
		{"a grant at its expiry has expired", PreviewGrant{ExpiresAt: now}, PreviewExpired},
		{"a revoked grant is revoked before its expiry", PreviewGrant{ExpiresAt: later, RevokedAt: &earlier}, PreviewRevoked},
		{"a revoked grant stays revoked after its expiry", PreviewGrant{ExpiresAt: earlier, RevokedAt: &earlier}, PreviewRevoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.g.State(now); got != tt.want {
				t.Errorf("State = %s, want %s", got, tt.want)
			}
		})
	}
}
