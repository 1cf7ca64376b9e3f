//go:build unix

package sqlite

import (
	"fmt"
	"syscall"
)

// allocRing returns size bytes of anonymous memory mapped outside the Go
// heap; pages become resident as they are written.
func allocRing(size int) ([]byte, error) {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("map %d bytes for the item cache: %w", size, err)
	}
	return b, nil
}

// freeRing unmaps what allocRing mapped.
func freeRing(b []byte) {
	if len(b) > 0 {
		_ = syscall.Munmap(b)
	}
}
