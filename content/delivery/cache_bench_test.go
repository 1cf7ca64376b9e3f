package delivery

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dateline/content/sqlite"
)

// storyBody is the size of a story's JSON in the load benchmark.
const storyBody = 19 << 10

// missCost stands for the work of answering without the cache: reading
// and copying a story's stored JSON (about what the load benchmark's
// server spends on a story without the response cache).
func missCost(body []byte) []byte {
	out := make([]byte, len(body))
	copy(out, body)
	for t := time.Now(); time.Since(t) < 100*time.Microsecond; {
	}
	return out
}

// BenchmarkResponseCacheHit measures the hit path from many goroutines at
// once: thirty stories, all held.
func BenchmarkResponseCacheHit(b *testing.B) {
	rc := newResponseCache(new(fakeGeneration), 8<<20)
	keys := make([][]byte, 30)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "/api/v1/articles/story-%d?", i)
		rc.put(0, entry(string(keys[i]), storyBody))
	}
	var next atomic.Uint64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := next.Add(7)
		for pb.Next() {
			if rc.get(keys[i%uint64(len(keys))], 0) == nil {
				b.Fatal("miss")
			}
			i++
		}
	})
}

// BenchmarkResponseCacheChurn measures a working set five times the
// cache: a thousand 19 KB stories requested in rotation by 32 clients, as
// the load benchmark's "one story, 1,000 rotating" does, with the cache
// and without. It reports the p99 latency of one request (cache lookup,
// the work of a miss, keeping the answer) and the hit ratio.
func BenchmarkResponseCacheChurn(b *testing.B) {
	template := make([]byte, storyBody)
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("/api/v1/articles/story-%04d?", i)
	}
	for _, size := range []int64{0, 4 << 20} {
		b.Run(fmt.Sprintf("cache %d MiB", size>>20), func(b *testing.B) {
			var rc *responseCache
			if size > 0 {
				rc = newResponseCache(new(fakeGeneration), size)
			}
			const clients = 32
			var (
				mu         sync.Mutex
				lat        []time.Duration
				hits, reqs atomic.Int64
				wg         sync.WaitGroup
				issued     atomic.Int64
			)
			b.ReportAllocs()
			b.ResetTimer()
			before := readRuntime()
			for c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					mine := make([]time.Duration, 0, b.N/clients+1)
					i := c * len(keys) / clients
					for issued.Add(1) <= int64(b.N) {
						key := keys[i%len(keys)]
						i++
						t0 := time.Now()
						if rc != nil && rc.get([]byte(key), 0) != nil {
							hits.Add(1)
						} else {
							body := missCost(template)
							if rc != nil {
								rc.put(0, &cachedResponse{key: key, body: body, etag: []string{`"x"`}})
							}
						}
						reqs.Add(1)
						mine = append(mine, time.Since(t0))
						runtime.Gosched() // the network write between requests
					}
					mu.Lock()
					lat = append(lat, mine...)
					mu.Unlock()
				}()
			}
			wg.Wait()
			b.StopTimer()
			after := readRuntime()
			b.ReportMetric(float64(after.mutexWait-before.mutexWait)/float64(b.N), "lock-wait-ns/op")
			b.ReportMetric(float64(after.gcCPU-before.gcCPU)/float64(b.N), "gc-cpu-ns/op")
			slices.Sort(lat)
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			}
			b.ReportMetric(float64(hits.Load())/float64(max(1, reqs.Load())), "hits/req")
		})
	}
}

// BenchmarkTagRedirectTable compares what a list by tag that misses the
// response cache pays to resolve old tag slugs: a look-up in the table
// read once per generation (tagMoves), and the store's query it saves.
func BenchmarkTagRedirectTable(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "dateline.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	slugs := []string{"harbour"}
	b.Run("table", func(b *testing.B) {
		var tm tagMoves
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tm.lookup(ctx, db, slugs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("store query", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := db.TagRedirects(ctx, slugs); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// runtimeCounters are the runtime's totals of time spent waiting for
// sync.Mutex and RWMutex locks and of CPU time spent collecting garbage.
type runtimeCounters struct{ mutexWait, gcCPU time.Duration }

func readRuntime() runtimeCounters {
	samples := []metrics.Sample{{Name: "/sync/mutex/wait/total:seconds"}, {Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(samples)
	seconds := func(s metrics.Sample) time.Duration {
		if s.Value.Kind() != metrics.KindFloat64 {
			return 0
		}
		return time.Duration(s.Value.Float64() * float64(time.Second))
	}
	return runtimeCounters{mutexWait: seconds(samples[0]), gcCPU: seconds(samples[1])}
}
