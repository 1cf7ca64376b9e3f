package sqlite

import (
	"fmt"
	"testing"
)

func TestItemCacheRefusesItemsReadBeforeAWrite(t *testing.T) {
	c := newItemCache(1 << 20)
	gen := c.generation()
	// A write transaction changes story a and ends while a reader holds
	// what it read of a before the commit.
	c.stale("a")
	c.forget()
	c.put(gen, "a", []byte(`{"old":true}`))
	if _, ok := c.get("a"); ok {
		t.Fatal("an item read before a write was kept after it")
	}
	c.put(c.generation(), "a", []byte(`{"new":true}`))
	if js, ok := c.get("a"); !ok || string(js) != `{"new":true}` {
		t.Fatalf("got %s, %v", js, ok)
	}
}

func TestItemCacheForgetsWhatAWriteChanged(t *testing.T) {
	c := newItemCache(1 << 20)
	for _, id := range []string{"a", "b", "c"} {
		c.put(c.generation(), id, []byte(id))
	}
	c.stale("b")
	c.forget()
	for id, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if _, ok := c.get(id); ok != want {
			t.Errorf("%s held %v, want %v", id, ok, want)
		}
	}
	c.stale() // any item
	c.forget()
	if _, ok := c.get("a"); ok {
		t.Error("a write that may change any item left one behind")
	}
	// A transaction that changed no item moves nothing.
	gen := c.generation()
	c.forget()
	if c.generation() != gen {
		t.Error("a write without stored items bumped the generation")
	}
}

func TestItemCacheStaysWithinItsBudget(t *testing.T) {
	item := make([]byte, 1000)
	c := newItemCache(10 * (int64(len(item)) + 129))
	for i := range 50 {
		c.put(c.generation(), fmt.Sprint(i), item)
		c.get("0") // the most recently used stays
	}
	if c.bytes > c.max || c.lru.Len() > 10 {
		t.Fatalf("%d items, %d bytes over a budget of %d", c.lru.Len(), c.bytes, c.max)
	}
	if _, ok := c.get("0"); !ok {
		t.Error("the most recently used item was dropped")
	}
	if _, ok := c.get("1"); ok {
		t.Error("an old item was kept")
	}
}

func TestNoItemCacheHoldsNothing(t *testing.T) {
	var c *itemCache = newItemCache(0)
	c.put(c.generation(), "a", []byte("a"))
	c.stale("a")
	c.forget()
	if _, ok := c.get("a"); ok {
		t.Fatal("a disabled cache held an item")
	}
}
