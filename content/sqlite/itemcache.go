package sqlite

import (
	"container/list"
	"context"
	"fmt"
	"sync"
)

// itemCache keeps stored list items (article_public_items.summary_json under
// DB.RenderKey) in memory, least recently used out first within a byte
// budget. A list page reads about twenty items scattered over the table,
// each a page SQLite would otherwise fetch from the file (the readers' page
// caches are far smaller than the table), so list reads that miss the
// response cache spend most of their time there.
//
// Contract: the cache never serves an item that a committed write has
// replaced or removed. Writes that change stored items name them in their
// transaction (stale, from refreshPublic); once the transaction has ended,
// forget drops them and bumps the generation. A reader notes the generation
// before it reads items from the database and put keeps what it read only
// if the generation has not moved meanwhile: an item read before a commit
// is either refused or dropped by that commit's forget.
//
// It sees the writes of this process only, like the response cache: with
// several processes writing one file, turn it off (Options.ItemCacheBytes 0).
type itemCache struct {
	max int64

	mu      sync.Mutex
	gen     uint64
	bytes   int64
	lru     *list.List // of *cachedItem, most recent in front
	index   map[string]*list.Element
	pending []string // items the write transaction in progress changes
	all     bool     // the transaction in progress may change any item
}

type cachedItem struct {
	id   string
	json []byte
}

func (e *cachedItem) size() int64 { return int64(len(e.json)+len(e.id)) + 128 }

// newItemCache returns a cache of max bytes, or nil (no caching) for 0.
func newItemCache(max int64) *itemCache {
	if max <= 0 {
		return nil
	}
	return &itemCache{max: max, lru: list.New(), index: map[string]*list.Element{}}
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

// get returns the item of story id, if held.
func (c *itemCache) get(id string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.index[id]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cachedItem).json, true
}

// put keeps the item of story id, read from the database after generation
// gen was noted, unless an invalidation has happened since.
func (c *itemCache) put(gen uint64, id string, json []byte) {
	if c == nil {
		return
	}
	e := &cachedItem{id: id, json: json}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if el, ok := c.index[id]; ok {
		c.bytes -= el.Value.(*cachedItem).size()
		c.lru.Remove(el)
	}
	c.index[id] = c.lru.PushFront(e)
	c.bytes += e.size()
	for c.bytes > c.max {
		last := c.lru.Back()
		old := last.Value.(*cachedItem)
		c.lru.Remove(last)
		delete(c.index, old.id)
		c.bytes -= old.size()
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
// committed or not) and bumps the generation.
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
		c.lru.Init()
		c.index = map[string]*list.Element{}
		c.bytes = 0
	}
	for _, id := range c.pending {
		if el, ok := c.index[id]; ok {
			c.bytes -= el.Value.(*cachedItem).size()
			c.lru.Remove(el)
			delete(c.index, id)
		}
	}
	c.pending, c.all = c.pending[:0], false
	c.gen++
}

// listItems returns the stored list items of the stories ids under key, in
// the order of ids, from the item cache where it holds them and from the
// database for the rest. ok is false when one of them has no item stored
// under key.
func (db *DB) listItems(ctx context.Context, ids []string, key string) ([][]byte, bool, error) {
	cache := db.items
	if key != db.RenderKey {
		cache = nil
	}
	gen := cache.generation()
	out := make([][]byte, len(ids))
	var missing []any
	asked := map[string]bool{}
	for i, id := range ids {
		if js, ok := cache.get(id); ok {
			out[i] = js
		} else if !asked[id] {
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
		var js []byte
		if err := rows.Scan(&id, &js); err != nil {
			return nil, false, fmt.Errorf("read stored list items: %w", err)
		}
		cache.put(gen, id, js)
		for i, want := range ids {
			if want == id {
				out[i] = js
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read stored list items: %w", mapErr(err))
	}
	for _, js := range out {
		if js == nil {
			return nil, false, nil
		}
	}
	return out, true, nil
}
