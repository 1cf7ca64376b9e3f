package main

import (
	"fmt"
	"time"

	"dateline/auth"
)

// Preview link lifetimes: the default, and the shortest preview_ttl
// accepted (the longest is auth.MaxPreviewTTL, 24h).
const (
	defaultPreviewTTL = 2 * time.Hour
	minPreviewTTL     = time.Minute
)

// validatePreviewTTL checks preview_ttl: between minPreviewTTL and
// auth.MaxPreviewTTL.
func (c Config) validatePreviewTTL() error {
	if c.PreviewTTL < minPreviewTTL || c.PreviewTTL > auth.MaxPreviewTTL {
		return fmt.Errorf("config: preview_ttl must be a duration between %s and %s, such as 2h", minPreviewTTL, auth.MaxPreviewTTL)
	}
	return nil
}

// maxHashMemoryMB is the largest password_hash_memory_mb: 4 GiB.
const maxHashMemoryMB = 4 << 10

// validatePasswordHashing checks password_hash_memory_mb: room for at least
// one hash with the default parameters, and at most maxHashMemoryMB.
func (c Config) validatePasswordHashing() error {
	minHashMemoryMB := int(auth.DefaultArgon2.Memory / 1024)
	if c.PasswordHashMemoryMB < minHashMemoryMB || c.PasswordHashMemoryMB > maxHashMemoryMB {
		return fmt.Errorf("config: password_hash_memory_mb must be a whole number between %d (one password check at a time) and %d",
			minHashMemoryMB, maxHashMemoryMB)
	}
	return nil
}
