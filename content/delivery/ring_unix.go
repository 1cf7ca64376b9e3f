//go:build unix

package delivery

import "syscall"

// allocRing returns size bytes of anonymous memory mapped outside the Go
// heap (pages become resident as they are written) and the function that
// unmaps them; on heap memory if the mapping fails.
func allocRing(size int) ([]byte, func([]byte)) {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, size), func([]byte) {}
	}
	return b, func(b []byte) {
		if len(b) > 0 {
			_ = syscall.Munmap(b)
		}
	}
}
