package delivery

import (
	"fmt"
	"net/http/httptest"
	"testing"
)

type fakeGeneration uint64

func (g *fakeGeneration) Generation() uint64 { return uint64(*g) }

func entry(key string, n int) *cachedResponse {
	return &cachedResponse{key: key, body: make([]byte, n), etag: []string{`"x"`}}
}

func TestResponseCache(t *testing.T) {
	t.Run("it stays within its byte budget, dropping the least recently used", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10)
		for i := range 200 {
			rc.put(0, entry(fmt.Sprint(i), 1000))
			if rc.get("0", 0) == nil {
				t.Fatalf("after %d puts the most used entry is gone", i)
			}
			if _, n := rc.stats(); n > 64<<10 {
				t.Fatalf("after %d puts it holds %d bytes", i, n)
			}
		}
		if rc.get("1", 0) != nil {
			t.Error("an old entry is still there")
		}
		if rc.get("199", 0) == nil {
			t.Error("the newest entry is gone")
		}
	})
	t.Run("it keeps no response larger than an eighth of the budget", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10)
		rc.put(0, entry("big", 9<<10))
		if n, _ := rc.stats(); n != 0 {
			t.Errorf("%d entries", n)
		}
	})
	t.Run("a newer generation empties it and an older one is not kept", func(t *testing.T) {
		rc := newResponseCache(new(fakeGeneration), 64<<10)
		rc.put(1, entry("a", 10))
		if rc.get("a", 1) == nil || rc.get("a", 2) != nil {
			t.Fatal("an entry is served only for its generation")
		}
		rc.put(2, entry("b", 10))
		if n, _ := rc.stats(); n != 1 || rc.get("a", 2) != nil {
			t.Errorf("%d entries after a new generation", n)
		}
		rc.put(1, entry("late", 10))
		if rc.get("late", 1) != nil || rc.get("late", 2) != nil {
			t.Error("a response built before the last write is served")
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
