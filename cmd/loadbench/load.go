package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// request is one request of a scenario's rotating set.
type request struct {
	path        string
	ifNoneMatch string
}

// result is what one load run measured.
type result struct {
	requests int
	errors   int
	rps      float64
	p50, p99 time.Duration
	bytes    int64
	status   map[int]int
}

// drive sends reqs (in rotation, each connection starting elsewhere in the
// set) to base over conns keep-alive connections for d, and measures.
// want is the status every answer must have.
func drive(ctx context.Context, base string, reqs []request, conns int, d time.Duration, want int) result {
	tr := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DisableCompression:  true,
		IdleConnTimeout:     time.Minute,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		all      []time.Duration
		errs     atomic.Int64
		total    atomic.Int64
		nbytes   atomic.Int64
		statuses = map[int]int{}
	)
	start := time.Now()
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 1<<14)
			st := map[int]int{}
			i := w * len(reqs) / conns
			for ctx.Err() == nil {
				rq := reqs[i%len(reqs)]
				i++
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+rq.path, nil)
				if rq.ifNoneMatch != "" {
					req.Header.Set("If-None-Match", rq.ifNoneMatch)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				lat = append(lat, time.Since(t0))
				nbytes.Add(n)
				st[resp.StatusCode]++
				if resp.StatusCode != want {
					errs.Add(1)
				}
			}
			mu.Lock()
			all = append(all, lat...)
			for k, v := range st {
				statuses[k] += v
			}
			mu.Unlock()
			total.Add(int64(len(lat)))
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(all)
	r := result{requests: int(total.Load()), errors: int(errs.Load()), bytes: nbytes.Load(), status: statuses}
	r.rps = float64(r.requests) / elapsed.Seconds()
	if len(all) > 0 {
		r.p50 = all[len(all)/2]
		r.p99 = all[len(all)*99/100]
	}
	return r
}

// serveBaseline runs the baseline server: a minimal Gin handler in release
// mode that answers GET /b with a fixed, pre-encoded JSON body. POST
// /size?n=N replaces the body with one of exactly N bytes (0: an empty
// answer). It serves until ctx ends.
func serveBaseline(ctx context.Context, addr string) error {
	gin.SetMode(gin.ReleaseMode)
	var body atomic.Pointer[[]byte]
	empty := []byte{}
	body.Store(&empty)
	r := gin.New()
	r.GET("/b", func(c *gin.Context) {
		c.Data(http.StatusOK, "application/json; charset=utf-8", *body.Load())
	})
	r.POST("/size", func(c *gin.Context) {
		n, err := strconv.Atoi(c.Query("n"))
		if err != nil || n < 0 {
			c.Status(http.StatusBadRequest)
			return
		}
		b := fixedJSON(n)
		body.Store(&b)
		c.Status(http.StatusNoContent)
	})
	srv := &http.Server{Addr: addr, Handler: r}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}

// fixedJSON returns a JSON document of exactly n bytes (n = 0: none).
func fixedJSON(n int) []byte {
	if n == 0 {
		return []byte{}
	}
	const frame = `{"p":""}` + "\n"
	if n < len(frame) {
		return []byte(fmt.Sprintf("%*d", n, 0))
	}
	b := make([]byte, 0, n)
	b = append(b, `{"p":"`...)
	for len(b) < n-3 {
		b = append(b, 'x')
	}
	return append(b, "\"}\n"...)
}
