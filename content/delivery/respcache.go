package delivery

import (
	"bytes"
	"math/bits"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/cespare/xxhash/v2"
)

// The response cache (see the package doc) is built so that it never makes
// a read slower than no cache, whatever the working set:
//
//   - The hit path takes no exclusive lock and allocates nothing: the
//     cache is split into shards by key hash, a hit holds its shard's read
//     lock for one map lookup, marks the entry used and counts the key in
//     the frequency sketch with atomic adds.
//   - Admission (TinyLFU): every lookup counts its key in a small
//     count-min sketch whose counters halve periodically, so it estimates
//     how often each key was asked for lately. When a shard is full, a new
//     answer is kept only if its key was asked for more often than the
//     entries it would evict; a key seen once (a one-hit wonder, or a
//     working set far larger than the cache read in rotation) evicts
//     nothing and costs no more than the miss it was.
//   - Eviction is size-aware CLOCK: entries wait in a FIFO per shard, one
//     used since it was last looked at goes round again, and a new answer
//     evicts as many unused entries as its size needs (if it wins each
//     comparison), so the shard stays within its bytes.
//   - Answers are kept per content generation: a lookup of a newer
//     generation misses, and the first answer kept under it empties the
//     shard; an answer built before the generation a shard holds is
//     dropped.

// cachedResponse is a stored 200 answer.
type cachedResponse struct {
	key           string
	body          []byte
	etag          []string
	surrogate     []string
	contentType   []string
	contentLength []string // set by put

	used       atomic.Bool     // looked up since the clock hand last passed
	prev, next *cachedResponse // the shard's FIFO, under its lock
}

func (e *cachedResponse) size() int64 { return int64(len(e.body)+len(e.key)) + 256 }

// Shards are at least minShardBytes each (so that a shard holds a few
// large answers), and at most maxShards.
const (
	maxShards     = 16
	minShardBytes = 512 << 10
)

// responseCache keeps recent, frequently asked answers of one content
// generation within a byte budget.
type responseCache struct {
	store  generationer
	shards []cacheShard
	mask   uint64 // len(shards)-1
	sketch sketch
}

// cacheShard is one part of the cache; mu guards everything but the
// entries' used flags.
type cacheShard struct {
	mu       sync.RWMutex
	gen      uint64
	bytes    int64
	maxBytes int64
	index    map[string]*cachedResponse
	head     *cachedResponse // oldest; the clock hand
	tail     *cachedResponse // newest
	_        [64]byte        // keeps shards' locks off one cache line
}

func newResponseCache(store generationer, maxBytes int64) *responseCache {
	n := 1
	for n < maxShards && maxBytes/int64(2*n) >= minShardBytes {
		n *= 2
	}
	rc := &responseCache{store: store, shards: make([]cacheShard, n), mask: uint64(n - 1)}
	for i := range rc.shards {
		rc.shards[i] = cacheShard{maxBytes: maxBytes / int64(n), index: map[string]*cachedResponse{}}
	}
	// Answers (stories, list pages) are a few KB or more: count on one
	// per 2 KB of budget.
	rc.sketch.init(int(maxBytes / (2 << 10)))
	return rc
}

// get returns the answer stored under key for generation gen, or nil. It
// counts the lookup for admission. It allocates nothing.
func (rc *responseCache) get(key []byte, gen uint64) *cachedResponse {
	h := xxhash.Sum64(key)
	rc.sketch.add(h)
	sh := &rc.shards[h&rc.mask]
	sh.mu.RLock()
	e := sh.index[string(key)]
	ok := sh.gen == gen
	sh.mu.RUnlock()
	if e == nil || !ok {
		rc.sketch.aged()
		return nil
	}
	if !e.used.Load() {
		e.used.Store(true)
	}
	return e
}

// put stores e, built from data of generation gen or later, if admission
// lets it in. It keeps a copy of e.body, sized to it, so the caller may
// reuse its buffer. A newer generation empties the shard first; an answer
// of an older one is dropped, and so is one larger than half a shard.
func (rc *responseCache) put(gen uint64, e *cachedResponse) {
	h := xxhash.Sum64String(e.key)
	sh := &rc.shards[h&rc.mask]
	if e.size() > sh.maxBytes/2 {
		return
	}
	e.contentLength = []string{strconv.Itoa(len(e.body))}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	switch {
	case gen < sh.gen:
		return
	case gen > sh.gen:
		sh.gen, sh.bytes, sh.head, sh.tail = gen, 0, nil, nil
		clear(sh.index)
	}
	if old := sh.index[e.key]; old != nil {
		sh.remove(old)
	}
	if sh.bytes+e.size() > sh.maxBytes && !rc.makeRoom(sh, e.size(), rc.sketch.estimate(h)) {
		return
	}
	e.body = bytes.Clone(e.body)
	sh.index[e.key] = e
	sh.push(e)
}

// makeRoom evicts entries of sh until size more bytes fit, each an entry
// not used since the hand last passed it and asked for less often than
// the newcomer (freq). It reports whether there is room; if a victim wins,
// the newcomer is not kept (what was evicted for it stays evicted).
func (rc *responseCache) makeRoom(sh *cacheShard, size int64, freq uint32) bool {
	// Every entry is passed at most twice: once to clear its used flag,
	// once to judge it.
	for steps := 2 * len(sh.index); sh.bytes+size > sh.maxBytes && steps >= 0; steps-- {
		v := sh.head
		if v == nil {
			break
		}
		if v.used.Load() {
			v.used.Store(false)
			sh.remove(v)
			sh.push(v)
			continue
		}
		if rc.sketch.estimate(xxhash.Sum64String(v.key)) >= freq {
			// The victim stays, and the hand moves past it: the next
			// newcomer meets another, so an answer that was popular once
			// holds its place but does not bar every newcomer until the
			// sketch ages.
			sh.remove(v)
			sh.push(v)
			return false
		}
		sh.remove(v)
		delete(sh.index, v.key)
	}
	return sh.bytes+size <= sh.maxBytes
}

// push appends e to the FIFO (newest).
func (sh *cacheShard) push(e *cachedResponse) {
	e.prev, e.next = sh.tail, nil
	if sh.tail != nil {
		sh.tail.next = e
	} else {
		sh.head = e
	}
	sh.tail = e
	sh.bytes += e.size()
}

// remove takes e out of the FIFO (not out of the index).
func (sh *cacheShard) remove(e *cachedResponse) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		sh.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		sh.tail = e.prev
	}
	e.prev, e.next = nil, nil
	sh.bytes -= e.size()
}

// stats returns the number of responses and bytes held (of any
// generation).
func (rc *responseCache) stats() (int, int64) {
	var n int
	var b int64
	for i := range rc.shards {
		sh := &rc.shards[i]
		sh.mu.RLock()
		n += len(sh.index)
		b += sh.bytes
		sh.mu.RUnlock()
	}
	return n, b
}

// sketch is a count-min sketch of 4 rows of saturating counters that
// estimates how often a key hash was added since about the last halving:
// after every window of misses all counters halve, so old popularity
// fades.
type sketch struct {
	rows  [4][]atomic.Uint32
	shift uint          // 64 - log2(width): an index is the top bits of a hash
	adds  atomic.Uint64 // misses counted by aged
	reset uint64
	aging sync.Mutex // one halving at a time
}

// sketchMax caps a counter: more than 15 lookups within a window says
// "popular" well enough.
const sketchMax = 15

// maxSketchWidth bounds the sketch at 4 MB however large the cache.
const maxSketchWidth = 1 << 18

// init sizes the sketch for a cache of about entries answers: 8 counters
// a row per answer, and a window of 10 misses per answer, so that even a
// window of distinct keys adds little more than one to each counter and
// the minimum over the rows stays close to a key's own count.
func (s *sketch) init(entries int) {
	entries = max(entries, 64)
	width := 1 << bits.Len(uint(min(8*entries, maxSketchWidth)-1)) // a power of two
	for i := range s.rows {
		s.rows[i] = make([]atomic.Uint32, width)
	}
	s.shift = uint(64 - bits.TrailingZeros(uint(width)))
	s.reset = uint64(10 * entries)
}

// index returns the counter of row i for hash h: four independent hashes
// from one 64-bit hash (double hashing).
func (s *sketch) index(h uint64, i int) uint64 {
	return ((h + uint64(i)*(h>>32|1)) * 0x9e3779b97f4a7c15) >> s.shift
}

// add counts one lookup of h. A key asked for often has saturated
// counters, and then add only reads them: the hit path of a popular answer
// writes no shared memory.
func (s *sketch) add(h uint64) {
	for i := range s.rows {
		c := &s.rows[i][s.index(h, i)]
		if c.Load() < sketchMax {
			c.Add(1)
		}
	}
}

// aged counts one miss and halves the counters every window of misses:
// the window in which popularity is measured is counted in misses, so
// hits touch no counter of their own.
func (s *sketch) aged() {
	if s.adds.Add(1)%s.reset == 0 {
		s.halve()
	}
}

func (s *sketch) estimate(h uint64) uint32 {
	m := uint32(sketchMax)
	for i := range s.rows {
		m = min(m, s.rows[i][s.index(h, i)].Load())
	}
	return m
}

// halve divides every counter by two. Additions that race with it may be
// lost or counted twice; the sketch is an estimate either way.
func (s *sketch) halve() {
	if !s.aging.TryLock() {
		return
	}
	defer s.aging.Unlock()
	for i := range s.rows {
		for j := range s.rows[i] {
			c := &s.rows[i][j]
			c.Store(c.Load() / 2)
		}
	}
}
