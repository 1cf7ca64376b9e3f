//go:build unix

package sqlite

import "syscall"

// allocRing returns size bytes of anonymous memory mapped outside the Go
// heap (pages become resident as they are written), or, if the mapping
// fails, a slice of the Go heap.
func allocRing(size int) []byte {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, size)
	}
	return b
}

// freeRing unmaps what allocRing mapped (a Go slice is left to the
// collector).
func freeRing(b []byte) {
	if len(b) > 0 {
		_ = syscall.Munmap(b) // EINVAL for a Go slice: nothing to give back
	}
}
