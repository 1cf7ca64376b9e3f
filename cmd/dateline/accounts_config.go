package main

import (
	"fmt"

	"dateline/auth"
)

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
