//go:build !unix

package sqlite

// allocRing returns size bytes for the item cache; without mmap they are
// part of the Go heap.
func allocRing(size int) ([]byte, error) { return make([]byte, size), nil }

// freeRing leaves the ring to the collector.
func freeRing([]byte) {}
