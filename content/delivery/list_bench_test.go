package delivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content/delivery"
	"dateline/content/shape"
	"dateline/content/sqlite"
)

// listLayers are the variants of the cold list benchmark: the caches a
// list page that misses the response cache can meet.
var listLayers = []struct {
	name           string
	itemCacheBytes int64
	tagLists       bool
}{
	{"item cache and tag lists", 12 << 20, true},
	{"item cache only", 12 << 20, false},
	{"neither", 0, false},
}

// BenchmarkColdListByTag measures a list page by tag that misses the
// response cache (which is off): 10,000 published stories of one tag,
// every page of twenty walked in turn by its cursor, with each variant of
// the caches below the response cache. cpu-ns/op is the process's CPU
// time per request, which a shared machine disturbs less than wall time.
func BenchmarkColdListByTag(b *testing.B) {
	for _, layer := range listLayers {
		b.Run(layer.name, func(b *testing.B) {
			h := coldListEnv(b, layer.itemCacheBytes, layer.tagLists)
			targets := listPages(b, h, "/api/v1/articles?tag=city&limit=20")
			for _, t := range targets { // one lap fills what the caches keep
				serveOK(b, h, t)
			}
			cpu := cpuTime()
			i := 0
			for b.Loop() {
				serveOK(b, h, targets[i%len(targets)])
				i++
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// coldListEnv is the delivery API over 10,000 published stories of the tag
// "city", rendered at write time, with the response cache off and the
// given item cache and tag lists.
func coldListEnv(b *testing.B, itemCacheBytes int64, tagLists bool) http.Handler {
	shapes := shape.New(shape.Options{BaseURL: "https://news.example.org"})
	env := &testEnv{clock: now}
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "dateline.db"), sqlite.Options{
		Zone: "Europe/Moscow", Now: func() time.Time { return env.clock }, Render: shapes})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	env.db = db
	env.seedMany(b, 10_000, "city", -30*24*time.Hour)
	api := delivery.NewWithOptions(db, delivery.Options{BaseURL: "https://news.example.org", Shapes: shapes,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now },
		ItemCacheBytes: itemCacheBytes, NoTagLists: !tagLists, Caching: &delivery.Caching{MaxAge: time.Minute}})
	b.Cleanup(api.Close)
	r := gin.New()
	delivery.Mount(r, api)
	return r
}

// listPages follows next_cursor from first to the last page and returns
// every page's target.
func listPages(b *testing.B, h http.Handler, first string) []string {
	targets := []string{first}
	for {
		rec := serveOK(b, h, targets[len(targets)-1])
		var page struct {
			Meta struct {
				NextCursor string `json:"next_cursor"`
			} `json:"meta"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			b.Fatal(err)
		}
		if page.Meta.NextCursor == "" {
			return targets
		}
		targets = append(targets, first+"&cursor="+page.Meta.NextCursor)
	}
}

func serveOK(b *testing.B, h http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	if rec.Code != http.StatusOK {
		b.Fatal(fmt.Sprint(target, rec.Code, rec.Body))
	}
	return rec
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
