package delivery

import (
	"context"
	"slices"
	"strings"
	"sync"

	"dateline/content"
)

// itemCache keeps stored list items (the store's ListItems under the API's
// render key) in memory, and beside them the tag lists (taglists.go). A
// list page reads about twenty items scattered over the store, each a page
// SQLite would otherwise fetch from the file, so list reads that miss the
// response cache spend most of their time there.
//
// The items live in one ring of bytes outside the Go heap where the
// platform allows (ring_unix.go): the collector neither scans them nor
// counts them when it sizes the heap, so caching ten thousand items costs
// their size in resident memory, not twice that. New items are written at
// the head of the ring and overwrite the oldest (first in, first out).
//
// Its invalidation is the package doc's: what it holds reflects generation
// gen. A read notes the store's generation, brings the cache to it (sync)
// and keeps what it then reads from the store only if the cache is still
// at that generation (put): an item read before a commit is either refused
// or dropped when the cache reaches that commit's generation.
type itemCache struct {
	syncing sync.Mutex // held by the one read that brings the cache to a new generation
	mu      sync.Mutex
	ring    []byte
	free    func([]byte) // gives the ring back
	head    uint64       // bytes ever written to the ring; the next write goes to head % len(ring)
	swept   uint64       // head when dead index entries were last dropped
	index   map[string]ringEntry
	gen     uint64
	// tags holds tag lists by slug; nil for a tag the store walks.
	// tagKeys counts the keys held.
	tags     map[string]*tagList
	tagKeys  int
	perTag   int  // keys kept of one tag: tagListKeys, fewer in tests
	tagLists bool // keep tag lists at all (Options.NoTagLists)
}

// syncEvents is the most outbox events one sync reads to find the stories
// a generation's writes changed; more than that drops everything.
const syncEvents = 500

// ringEntry is an item at absolute position pos (bytes written before it).
type ringEntry struct {
	pos uint64
	n   int
}

// newItemCache returns a cache of size bytes, with tag lists beside it or
// not, or nil (no caching) for 0. Without memory outside the heap the
// ring is allocated on it.
func newItemCache(size int64, tagLists bool) *itemCache {
	if size <= 0 {
		return nil
	}
	ring, free := allocRing(int(size))
	return &itemCache{ring: ring, free: free, index: map[string]ringEntry{}, tags: map[string]*tagList{},
		perTag: tagListKeys, tagLists: tagLists}
}

// close gives the ring back; the cache holds nothing after.
func (c *itemCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.free(c.ring)
	c.ring, c.index = nil, map[string]ringEntry{}
	c.tags, c.tagKeys = map[string]*tagList{}, 0
}

// eventSource is what sync reads of the store: the outbox.
type eventSource interface {
	Events(ctx context.Context, f content.EventFilter) ([]content.Event, error)
}

// sync brings the cache to generation gen (the store's outbox position,
// which only grows). It drops the items of the stories the events after
// the cache's generation name and every tag list; an event it cannot
// attribute to one story (a tag's or an author's change, an unknown type),
// more events than syncEvents, fewer than gen says there are, or an error
// reading them drop everything. A cache that holds nothing skips the read.
func (c *itemCache) sync(ctx context.Context, src eventSource, gen uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	at := c.gen
	c.mu.Unlock()
	if at == gen {
		return
	}
	c.syncing.Lock()
	defer c.syncing.Unlock()
	c.mu.Lock()
	at, empty := c.gen, len(c.index) == 0 && len(c.tags) == 0
	c.mu.Unlock()
	if at == gen {
		return
	}
	ids, all := changedStories(ctx, src, at, gen, empty)
	c.mu.Lock()
	defer c.mu.Unlock()
	if all {
		c.index = map[string]ringEntry{}
	}
	for _, id := range ids {
		delete(c.index, id)
	}
	c.tags, c.tagKeys = map[string]*tagList{}, 0
	c.gen = gen
}

// changedStories returns the stories the outbox events after generation
// from name, up to generation to, or all when it cannot tell (or need not:
// nothing is held).
func changedStories(ctx context.Context, src eventSource, from, to uint64, empty bool) (ids []string, all bool) {
	if empty || to < from {
		return nil, true
	}
	evs, err := src.Events(ctx, content.EventFilter{AfterID: int64(from), Limit: syncEvents})
	if err != nil {
		return nil, true
	}
	last := int64(from)
	for _, ev := range evs {
		if !strings.HasPrefix(ev.Type, "article.") || ev.ArticleID == "" {
			return nil, true
		}
		ids = append(ids, ev.ArticleID)
		last = ev.ID
	}
	return ids, last < int64(to)
}

// generation returns the generation the cache reflects.
func (c *itemCache) generation() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// live reports whether e has not been overwritten.
func (c *itemCache) live(e ringEntry) bool {
	size := uint64(len(c.ring))
	return c.head <= size || e.pos >= c.head-size
}

// items appends the held items of stories ids to buf, one after another,
// and returns each (nil where the cache does not hold it) as a part of the
// grown buffer, which it also returns: a caller that recycles buf keeps
// the items only until it writes to buf again.
func (c *itemCache) items(buf []byte, ids []string) ([][]byte, []byte) {
	out := make([][]byte, len(ids))
	if c == nil {
		return out, buf
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ring) == 0 {
		return out, buf
	}
	size := 0
	entries := make([]ringEntry, len(ids))
	for i, id := range ids {
		e, ok := c.index[id]
		if ok && !c.live(e) {
			delete(c.index, id)
			ok = false
		}
		if ok {
			entries[i] = e
			size += e.n
		} else {
			entries[i].n = -1
		}
	}
	// Grown once, the buffer does not move while the items are appended,
	// so each part can be cut as it is written.
	buf = slices.Grow(buf, size)
	for i, e := range entries {
		if e.n < 0 {
			continue
		}
		from, start := int(e.pos%uint64(len(c.ring))), len(buf)
		buf = append(buf, c.ring[from:from+e.n]...)
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out, buf
}

// put keeps the item of story id, read from the store at generation gen,
// unless the cache has moved to another generation since. Items larger
// than an eighth of the ring are not kept.
func (c *itemCache) put(gen uint64, id string, item []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || len(c.ring) == 0 || len(item) > len(c.ring)/8 {
		return
	}
	c.write(id, item)
}

// write copies item to the head of the ring as story id's; an item never
// wraps around the end of the ring (the rest of the lap is skipped).
func (c *itemCache) write(id string, item []byte) {
	size := uint64(len(c.ring))
	at := c.head % size
	if at+uint64(len(item)) > size {
		c.head += size - at
		at = 0
	}
	copy(c.ring[at:], item)
	c.index[id] = ringEntry{pos: c.head, n: len(item)}
	c.head += uint64(len(item))
	if c.head-c.swept >= size {
		// Once a lap: drop index entries whose items were overwritten, so
		// that the index stays about as large as the ring holds.
		c.swept = c.head
		for k, e := range c.index {
			if !c.live(e) {
				delete(c.index, k)
			}
		}
	}
}

// itemStore is what listItems reads of the store.
type itemStore interface {
	ListItems(ctx context.Context, ids []string, key string) (items [][]byte, ok bool, err error)
}

// listItems returns the stored list items of the stories ids under key, in
// the order of ids, from the cache (at generation gen) where it holds them
// and from the store for the rest. Items from the cache are copied into
// *scratch (grown as needed): they are the caller's until it writes there
// again. ok is false when one of them has no item stored under key.
func (c *itemCache) listItems(ctx context.Context, st itemStore, gen uint64, ids []string, key string, scratch *[]byte) ([][]byte, bool, error) {
	out, buf := c.items((*scratch)[:0], ids)
	*scratch = buf
	var missing []string
	at := map[string][]int{}
	for i, id := range ids {
		if out[i] == nil {
			if _, asked := at[id]; !asked {
				missing = append(missing, id)
			}
			at[id] = append(at[id], i)
		}
	}
	if len(missing) == 0 {
		return out, true, nil
	}
	items, ok, err := st.ListItems(ctx, missing, key)
	if !ok || err != nil {
		return nil, false, err
	}
	for j, id := range missing {
		c.put(gen, id, items[j])
		for _, i := range at[id] {
			out[i] = items[j]
		}
	}
	return out, true, nil
}
