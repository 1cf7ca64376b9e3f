//go:build unix

package delivery

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
)

// TestTheItemCacheRingIsOutsideTheHeap fills a 64 MiB item cache and
// checks that the Go heap did not grow by its size: the collector neither
// scans the items nor counts them when it sizes the heap.
func TestTheItemCacheRingIsOutsideTheHeap(t *testing.T) {
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	c := newItemCache(64<<20, true)
	defer c.close()
	item := bytes.Repeat([]byte("x"), 4<<10)
	for i := range 16 << 10 { // 64 MiB of items
		c.put(c.generation(), fmt.Sprint(i), item)
	}
	if got, ok := c.get("16383"); !ok || !bytes.Equal(got, item) {
		t.Fatal("the last item is not held")
	}
	if grew := int64(heap()) - int64(before); grew > 8<<20 {
		t.Errorf("the heap grew by %d MiB for a 64 MiB ring", grew>>20)
	}
}
