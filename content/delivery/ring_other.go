//go:build !unix

package delivery

// allocRing returns size bytes for the item cache; without mmap they are
// part of the Go heap, left to the collector.
func allocRing(size int) ([]byte, func([]byte)) { return make([]byte, size), func([]byte) {} }
