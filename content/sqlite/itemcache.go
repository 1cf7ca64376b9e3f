package sqlite

import (
	"context"
	"fmt"
	"sync"
)

// itemCache keeps stored list items (article_public_items.summary_json under
// the render key) in memory. A list page reads about twenty items scattered
// over the table, each a page SQLite would otherwise fetch from the file
// (the readers' page caches are far smaller than the table), so list reads
// that miss the response cache spend most of their time there.
//
// The items live in one ring of bytes outside the Go heap where the
// platform allows (ring_unix.go): the collector neither scans them nor
// counts them when it sizes the heap, so caching ten thousand items costs
// their size in resident memory, not twice that. New items are written at
// the head of the ring and overwrite the oldest (first in, first out: an
// item in use that is overwritten costs one read from the database per lap
// of the ring, while moving items on every read would spend the ring on
// copies when the stories read all fit in it).
//
// Contract: the cache never serves an item that a committed write has
// replaced or removed. Writes that change stored items name them in their
// transaction (stale, from refreshPublic); once the transaction has ended,
// forget drops them and bumps the generation. A reader notes the generation
// before it reads items from the database, and put keeps what it read only
// if the generation has not moved meanwhile: an item read before a commit
// is either refused or dropped by that commit's forget.
//
// Writes of other processes on the same file reach it through the outbox
// head (outbox.go): the whole cache is dropped before the generation moves
// past such a write.
type itemCache struct {
	mu      sync.Mutex
	ring    []byte
	head    uint64 // bytes ever written to the ring; the next write goes to head % len(ring)
	swept   uint64 // head when dead index entries were last dropped
	index   map[string]ringEntry
	gen     uint64
	pending []string // items the write transaction in progress changes
	all     bool     // the transaction in progress may change any item
	// tags holds tag lists (taglists.go) by slug; nil for a tag walked in
	// SQLite. tagKeys counts the keys held.
	tags     map[string]*tagList
	tagKeys  int
	perTag   int  // keys kept of one tag: tagListKeys, fewer in tests
	tagLists bool // keep tag lists at all (Options.NoTagLists)
}

// ringEntry is an item at absolute position pos (bytes written before it).
type ringEntry struct {
	pos uint64
	n   int
}

// newItemCache returns a cache of size bytes, with tag lists beside it or
// not, or nil (no caching) for 0.
func newItemCache(size int64, tagLists bool) (*itemCache, error) {
	if size <= 0 {
		return nil, nil
	}
	ring, err := allocRing(int(size))
	if err != nil {
		return nil, err
	}
	return &itemCache{ring: ring, index: map[string]ringEntry{}, tags: map[string]*tagList{}, perTag: tagListKeys, tagLists: tagLists}, nil
}

// close gives the ring back; the cache must not be used after.
func (c *itemCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	freeRing(c.ring)
	c.ring, c.index = nil, map[string]ringEntry{}
	c.tags, c.tagKeys = map[string]*tagList{}, 0
}

// generation returns the count of invalidations so far.
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

// items copies the held items of stories ids into one new buffer and
// returns each (nil where the cache does not hold it).
func (c *itemCache) items(ids []string) [][]byte {
	out := make([][]byte, len(ids))
	if c == nil {
		return out
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ring) == 0 {
		return out
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
	buf := make([]byte, 0, size)
	for i, e := range entries {
		if e.n < 0 {
			continue
		}
		at := int(e.pos % uint64(len(c.ring)))
		start := len(buf)
		buf = append(buf, c.ring[at:at+e.n]...)
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out
}

// put keeps the item of story id, read from the database after generation
// gen was noted, unless an invalidation has happened since. Items larger
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

// stale notes, inside a write transaction, that it changes the items of
// ids; with no ids, that it may change any item.
func (c *itemCache) stale(ids ...string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(ids) == 0 {
		c.all = true
	}
	c.pending = append(c.pending, ids...)
}

// forget drops what the ended write transaction noted as stale (whether it
// committed or not), and every tag list, and bumps the generation.
func (c *itemCache) forget() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.all && len(c.pending) == 0 {
		return
	}
	if c.all {
		c.index = map[string]ringEntry{}
	}
	c.tags, c.tagKeys = map[string]*tagList{}, 0
	for _, id := range c.pending {
		delete(c.index, id)
	}
	c.pending, c.all = c.pending[:0], false
	c.gen++
}

// forgetAll drops every item and tag list and bumps the generation: for a
// write of another process, whose changes the cache cannot know.
func (c *itemCache) forgetAll() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.index = map[string]ringEntry{}
	c.tags, c.tagKeys = map[string]*tagList{}, 0
	c.gen++
}

// listItems returns the stored list items of the stories ids under key, in
// the order of ids, from the item cache where it holds them and from the
// database for the rest. ok is false when one of them has no item stored
// under key.
func (db *DB) listItems(ctx context.Context, ids []string, key string) ([][]byte, bool, error) {
	cache := db.items
	if key != db.renderKey {
		cache = nil
	}
	gen := cache.generation()
	out := cache.items(ids)
	var missing []any
	asked := map[string]bool{}
	for i, id := range ids {
		if out[i] == nil && !asked[id] {
			asked[id] = true
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, true, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT article_id, summary_json FROM article_public_items
		WHERE render_key = ? AND article_id IN (`+placeholders(len(missing))+`)`, append([]any{key}, missing...)...)
	if err != nil {
		return nil, false, fmt.Errorf("read stored list items: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var item []byte
		if err := rows.Scan(&id, &item); err != nil {
			return nil, false, fmt.Errorf("read stored list items: %w", err)
		}
		if item, err = unpack(item); err != nil {
			return nil, false, fmt.Errorf("read stored list item of article %s: %w", id, err)
		}
		cache.put(gen, id, item)
		for i, want := range ids {
			if want == id {
				out[i] = item
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read stored list items: %w", mapErr(err))
	}
	for _, item := range out {
		if item == nil {
			return nil, false, nil
		}
	}
	return out, true, nil
}
