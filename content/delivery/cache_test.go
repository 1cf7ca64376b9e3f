package delivery

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

type fakeGeneration uint64

func (g *fakeGeneration) Generation() uint64 { return uint64(*g) }

func entry(key string, n int) *cachedResponse {
	return &cachedResponse{key: key, body: make([]byte, n), etag: []string{`"x"`}}
}

// lookup asks rc for key n times and reports whether the last one hit.
func lookup(rc *responseCache, key string, gen uint64, n int) bool {
	var e *cachedResponse
	for range n {
		e = rc.get([]byte(key), gen)
	}
	return e != nil
}

// fetch is a read through the cache: a lookup, and on a miss the answer
// kept. It reports whether it hit.
func fetch(rc *responseCache, key string, gen uint64, size int) bool {
	if rc.get([]byte(key), gen) != nil {
		return true
	}
	rc.put(gen, entry(key, size))
	return false
}

func TestResponseCache(t *testing.T) {
	t.Run("an answer kept is served for its key and generation only", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 4<<20)
		fetch(rc, "/a?", 1, 100)
		if e := rc.get([]byte("/a?"), 1); e == nil || len(e.body) != 100 || e.contentLength[0] != "100" {
			t.Fatalf("hit %+v", e)
		}
		if lookup(rc, "/b?", 1, 1) || lookup(rc, "/a?", 2, 1) || lookup(rc, "/a?", 0, 1) {
			t.Error("another key or generation hit")
		}
	})
	t.Run("a newer generation empties it and an older one is not kept", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10) // one shard
		fetch(rc, "a", 1, 10)
		rc.put(2, entry("b", 10))
		if n, _ := rc.stats(); n != 1 || lookup(rc, "a", 2, 1) || !lookup(rc, "b", 2, 1) {
			t.Errorf("%d entries after a new generation", n)
		}
		rc.put(1, entry("late", 10))
		if lookup(rc, "late", 1, 1) || lookup(rc, "late", 2, 1) {
			t.Error("an answer built before the last write is served")
		}
	})
	t.Run("every shard follows the generation", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<20)
		if len(rc.shards) < 2 {
			t.Fatalf("%d shards", len(rc.shards))
		}
		for i := range 200 {
			fetch(rc, fmt.Sprint("k", i), 1, 10)
		}
		for i := range 200 {
			if lookup(rc, fmt.Sprint("k", i), 2, 1) {
				t.Fatalf("k%d of generation 1 served for generation 2", i)
			}
		}
	})
	t.Run("it stays within its byte budget under any workload", func(t *testing.T) {
		const budget = 2 << 20
		rc := newResponseCache(new(fakeGeneration), budget)
		r := rand.New(rand.NewPCG(1, 2))
		for i := range 20_000 {
			key := fmt.Sprint("/k", r.IntN(3000))
			if r.IntN(4) == 0 {
				key = fmt.Sprint("/hot", r.IntN(20))
			}
			fetch(rc, key, uint64(i/5000), 1+r.IntN(40<<10))
			if _, n := rc.stats(); n > budget {
				t.Fatalf("after %d reads it holds %d bytes", i, n)
			}
		}
		for i := range 20 {
			if !lookup(rc, fmt.Sprint("/hot", i), 3, 1) {
				t.Errorf("hot key %d was evicted", i)
			}
		}
	})
	t.Run("it keeps no answer larger than half a shard", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10)
		rc.put(0, entry("big", 33<<10))
		if n, _ := rc.stats(); n != 0 {
			t.Errorf("%d entries", n)
		}
	})
	t.Run("it keeps a copy of the body, so the caller may reuse its buffer", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10)
		buf := make([]byte, 100, 4096)
		copy(buf, "first answer")
		e := entry("a", 0)
		e.body = buf
		rc.put(0, e)
		copy(buf, "second one")
		got := rc.get([]byte("a"), 0)
		if got == nil || !bytes.HasPrefix(got.body, []byte("first answer")) || cap(got.body) >= 2*len(got.body) {
			t.Fatalf("kept %+v", got)
		}
	})
	t.Run("the same key replaces its entry", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10)
		rc.put(0, entry("a", 100))
		rc.put(0, entry("a", 200))
		if n, b := rc.stats(); n != 1 || b != entry("a", 200).size() {
			t.Errorf("%d entries, %d bytes", n, b)
		}
	})
	t.Run("one-hit wonders do not evict what readers ask for", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10) // one shard, about 60 answers of 1 KB
		for i := range 50 {
			for range 3 {
				fetch(rc, fmt.Sprint("/popular", i), 0, 800)
			}
		}
		for i := range 5000 { // a crawl, while readers keep asking for the popular ones
			fetch(rc, fmt.Sprint("/once", i), 0, 800)
			if i%2 == 0 {
				fetch(rc, fmt.Sprint("/popular", i/2%50), 0, 800)
			}
		}
		kept := 0
		for i := range 50 {
			if lookup(rc, fmt.Sprint("/popular", i), 0, 1) {
				kept++
			}
		}
		if kept < 45 {
			t.Errorf("%d of 50 popular answers kept after a scan of one-hit wonders", kept)
		}
	})
	t.Run("a key asked for more often than what it evicts gets in", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10)
		for i := range 200 {
			fetch(rc, fmt.Sprint("/old", i), 0, 800)
		}
		for range 5 {
			fetch(rc, "/rising", 0, 800)
		}
		if !lookup(rc, "/rising", 0, 1) {
			t.Error("a key asked for five times is not kept in a cache of keys asked for once")
		}
	})
	t.Run("answers popular once do not keep a new popular set out", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10) // one shard, about 60 answers of 800 bytes
		for i := range 10 {
			for range 20 {
				fetch(rc, fmt.Sprint("/yesterday", i), 0, 800) // saturated counts
			}
		}
		for i := range 51 {
			fetch(rc, fmt.Sprint("/once", i), 0, 800) // fills the cache
		}
		for i := range 51 { // each asked twice: they push the one-timers out
			fetch(rc, fmt.Sprint("/twice", i), 0, 800)
			fetch(rc, fmt.Sprint("/twice", i), 0, 800)
		}
		// Yesterday's answers, unused since, now wait at the clock hand.
		admitted := 0
		for i := range 30 {
			for range 4 {
				fetch(rc, fmt.Sprint("/today", i), 0, 800)
			}
			if lookup(rc, fmt.Sprint("/today", i), 0, 1) {
				admitted++
			}
		}
		if admitted < 20 {
			t.Errorf("%d of 30 answers asked for five times got in", admitted)
		}
		for i := range 10 {
			if !lookup(rc, fmt.Sprint("/yesterday", i), 0, 1) {
				t.Errorf("yesterday's answer %d, asked for more than any other, was evicted", i)
			}
		}
	})
	t.Run("a working set larger than the cache, read in rotation, still hits", func(t *testing.T) {
		// LRU hits nothing here: each key comes back after 1,000 others.
		rc := newResponseCache(new(fakeGeneration), 4<<20) // about 200 answers of 19 KB
		hits, reads := 0, 0
		for lap := range 10 {
			for i := range 1000 {
				if fetch(rc, fmt.Sprint("/articles/story-", i), 0, 19<<10) && lap > 2 {
					hits++
				}
				if lap > 2 {
					reads++
				}
			}
		}
		if ratio := float64(hits) / float64(reads); ratio < 0.1 {
			t.Errorf("hit ratio %.3f, want at least 0.1 (the cache holds a fifth of the set)", ratio)
		}
	})
	t.Run("readers and writers at once keep the budget and the generation", func(t *testing.T) {
		const budget = 1 << 20
		rc := newResponseCache(new(fakeGeneration), budget)
		var gen atomic.Uint64
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), 9))
				for i := range 3000 {
					if w == 0 && i%500 == 0 {
						gen.Add(1)
					}
					g := gen.Load()
					key := fmt.Sprint("/k", r.IntN(400))
					if e := rc.get([]byte(key), g); e != nil && e.key != key {
						t.Errorf("key %s answered with %s", key, e.key)
						return
					}
					rc.put(g, entry(key, 1+r.IntN(8<<10)))
				}
			}()
		}
		wg.Wait()
		if _, n := rc.stats(); n > budget {
			t.Errorf("%d bytes held", n)
		}
		last := gen.Load()
		rc.put(last+1, entry("/fresh", 10))
		if !lookup(rc, "/fresh", last+1, 1) {
			t.Error("an answer of the newest generation is not served")
		}
	})
	t.Run("a hit allocates nothing", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 4<<20)
		r := httptest.NewRequest("GET", "/api/v1/articles?tag=harbour&limit=20&cursor=abc", nil)
		rc.put(3, entry(cacheKey(r), 5000))
		allocs := testing.AllocsPerRun(1000, func() {
			var buf [256]byte
			if rc.get(appendCacheKey(buf[:0], r), 3) == nil {
				t.Fatal("miss")
			}
		})
		if allocs != 0 {
			t.Errorf("%.1f allocations per hit", allocs)
		}
	})
}

func TestNotModified(t *testing.T) {
	for _, tt := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"x", "abc"`, true},
		{`*`, true},
		{`"abcd"`, false},
		{`abc`, false},
	} {
		t.Run(fmt.Sprintf("If-None-Match %s is %v", tt.header, tt.want), func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.header != "" {
				r.Header.Set("If-None-Match", tt.header)
			}
			if got := notModified(r, `"abc"`); got != tt.want {
				t.Errorf("got %v", got)
			}
		})
	}
}

func TestCacheKeySortsTheQuery(t *testing.T) {
	a := cacheKey(httptest.NewRequest("GET", "/api/v1/articles?tag=a&limit=5", nil))
	b := cacheKey(httptest.NewRequest("GET", "/api/v1/articles?limit=5&tag=a", nil))
	c := cacheKey(httptest.NewRequest("GET", "/api/v1/articles?limit=5&tag=b", nil))
	if a != b || a == c {
		t.Errorf("keys %q %q %q", a, b, c)
	}
}
