package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"dateline/content"
)

func (c *itemCache) get(id string) ([]byte, bool) {
	items, _ := c.items(nil, []string{id})
	return items[0], items[0] != nil
}

// outbox is an event source of fixed events; err fails every read.
type outbox struct {
	events []content.Event
	err    error
	reads  int
}

func (o *outbox) Events(_ context.Context, f content.EventFilter) ([]content.Event, error) {
	o.reads++
	var out []content.Event
	for _, ev := range o.events {
		if ev.ID > f.AfterID && len(out) < f.Limit {
			out = append(out, ev)
		}
	}
	return out, o.err
}

// story is an event of a story's change, at id.
func storyEvent(id int64, story string) content.Event {
	return content.Event{ID: id, Type: content.EventUpdated, ArticleID: story}
}

func TestItemCacheRefusesItemsReadBeforeAWrite(t *testing.T) {
	c := newItemCache(1<<20, true)
	defer c.close()
	src := &outbox{events: []content.Event{storyEvent(1, "a")}}
	c.put(0, "b", []byte(`{"b":true}`)) // something is held, so the sync reads the events
	// A write of story a commits (generation 1) while a reader that
	// started at generation 0 holds what it read of a before the commit;
	// another reader brings the cache to generation 1 first.
	c.sync(context.Background(), src, 1)
	c.put(0, "a", []byte(`{"old":true}`))
	if _, ok := c.get("a"); ok {
		t.Fatal("an item read before a write was kept after it")
	}
	c.put(1, "a", []byte(`{"new":true}`))
	if js, ok := c.get("a"); !ok || string(js) != `{"new":true}` {
		t.Fatalf("got %s, %v", js, ok)
	}
}

func TestItemCacheDropsAnItemKeptBeforeItsWriteWasSeen(t *testing.T) {
	c := newItemCache(1<<20, true)
	defer c.close()
	// The reader at generation 0 keeps what it read of a before a's
	// write committed, before any reader saw generation 1.
	c.put(0, "a", []byte(`{"old":true}`))
	c.sync(context.Background(), &outbox{events: []content.Event{storyEvent(1, "a")}}, 1)
	if _, ok := c.get("a"); ok {
		t.Fatal("an item kept at the generation before its write survived the sync")
	}
}

func TestItemCacheDropsWhatTheOutboxNames(t *testing.T) {
	ctx := context.Background()
	held := func(c *itemCache, want map[string]bool) {
		t.Helper()
		for id, w := range want {
			if _, ok := c.get(id); ok != w {
				t.Errorf("%s held %v, want %v", id, ok, w)
			}
		}
	}
	fill := func(c *itemCache) {
		for _, id := range []string{"a", "b", "c"} {
			c.put(c.generation(), id, []byte(id))
		}
	}
	c := newItemCache(1<<20, true)
	defer c.close()
	src := &outbox{events: []content.Event{storyEvent(1, "b")}}
	fill(c)
	c.sync(ctx, src, 1)
	held(c, map[string]bool{"a": true, "b": false, "c": true})

	for _, tt := range []struct {
		name string
		src  *outbox
	}{
		{"a tag's change", &outbox{events: []content.Event{{ID: 2, Type: content.EventTagUpdated}}}},
		{"an author's change", &outbox{events: []content.Event{storyEvent(2, "b"), {ID: 3, Type: content.EventAuthorUpdated}}}},
		{"an event of unknown type", &outbox{events: []content.Event{{ID: 2, Type: "site.renamed", ArticleID: "a"}}}},
		{"fewer events than the generation says", &outbox{events: []content.Event{storyEvent(2, "b")}}},
		{"more events than one sync reads", func() *outbox {
			o := &outbox{}
			for i := range syncEvents + 5 {
				o.events = append(o.events, storyEvent(int64(2+i), "z"))
			}
			return o
		}()},
		{"an outbox that cannot be read", &outbox{err: errors.New("busy")}},
	} {
		t.Run(tt.name+" drops every item", func(t *testing.T) {
			c := newItemCache(1<<20, true)
			defer c.close()
			c.sync(ctx, &outbox{}, 1)
			fill(c)
			to := uint64(3)
			if tt.name == "more events than one sync reads" {
				to = syncEvents + 6
			}
			if tt.name == "fewer events than the generation says" {
				to = 4
			}
			c.sync(ctx, tt.src, to)
			held(c, map[string]bool{"a": false, "b": false, "c": false})
			if c.generation() != to {
				t.Errorf("generation %d, want %d", c.generation(), to)
			}
		})
	}
	t.Run("an empty cache reads no events", func(t *testing.T) {
		c := newItemCache(1<<20, true)
		defer c.close()
		src := &outbox{events: []content.Event{storyEvent(1, "b")}}
		c.sync(ctx, src, 1)
		if src.reads != 0 {
			t.Errorf("%d reads of the outbox", src.reads)
		}
		c.sync(ctx, src, 1)
		if src.reads != 0 || c.generation() != 1 {
			t.Errorf("%d reads, generation %d", src.reads, c.generation())
		}
	})
}

func TestItemCacheOverwritesTheOldest(t *testing.T) {
	const size = 10 * 100
	c := newItemCache(size, true)
	defer c.close()
	item := func(i int) []byte { return bytes.Repeat([]byte{byte('a' + i%26)}, 100) }
	for i := range 10 {
		c.put(c.generation(), fmt.Sprint(i), item(i))
	}
	if got, ok := c.get("0"); !ok || !bytes.Equal(got, item(0)) {
		t.Fatalf("item 0: %q %v", got, ok)
	}
	for i := 10; i < 14; i++ {
		c.put(c.generation(), fmt.Sprint(i), item(i))
	}
	for i := range 14 {
		got, ok := c.get(fmt.Sprint(i))
		wantHeld := i >= 4 // 0–3 were overwritten by 10–13
		if ok != wantHeld {
			t.Errorf("item %d held %v, want %v", i, ok, wantHeld)
		}
		if ok && !bytes.Equal(got, item(i)) {
			t.Errorf("item %d reads %q", i, got)
		}
	}
	if len(c.index) > 10 {
		t.Errorf("the index holds %d entries for a ring of 10 items", len(c.index))
	}
}

func TestItemCacheNeverSplitsAnItemAtTheEndOfTheRing(t *testing.T) {
	c := newItemCache(1000, true)
	defer c.close()
	for i := range 50 {
		item := bytes.Repeat([]byte{byte('a' + i%26)}, 30+i%7*11)
		c.put(c.generation(), fmt.Sprint(i), item)
		if got, ok := c.get(fmt.Sprint(i)); !ok || !bytes.Equal(got, item) {
			t.Fatalf("item %d: %q %v", i, got, ok)
		}
	}
	if _, ok := c.get("0"); ok {
		t.Error("item 0 survived twelve laps of the ring")
	}
}

func TestItemCacheRefusesItemsTooLargeForIt(t *testing.T) {
	c := newItemCache(800, true)
	defer c.close()
	c.put(c.generation(), "big", make([]byte, 101))
	if _, ok := c.get("big"); ok {
		t.Error("an item over an eighth of the ring was kept")
	}
}

func TestNoItemCacheHoldsNothing(t *testing.T) {
	c := newItemCache(0, true)
	c.put(c.generation(), "a", []byte("a"))
	c.sync(context.Background(), &outbox{}, 1)
	if _, ok := c.get("a"); ok {
		t.Fatal("a disabled cache held an item")
	}
	c.close()
}
