package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
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
	elapsed  time.Duration
	lat      []time.Duration // sorted
	cpu      time.Duration   // CPU time (user and system) of the serving process; -1: unknown
	handler  []time.Duration // sorted: the server's own durations from its request log
}

// merge combines runs of the same scenario into one result.
func merge(runs []result) result {
	out := result{status: map[int]int{}}
	for _, r := range runs {
		out.requests += r.requests
		out.errors += r.errors
		out.bytes += r.bytes
		out.elapsed += r.elapsed
		if r.cpu < 0 || out.cpu < 0 {
			out.cpu = -1
		} else {
			out.cpu += r.cpu
		}
		out.lat = append(out.lat, r.lat...)
		out.handler = append(out.handler, r.handler...)
		for k, v := range r.status {
			out.status[k] += v
		}
	}
	slices.Sort(out.lat)
	slices.Sort(out.handler)
	if out.elapsed > 0 {
		out.rps = float64(out.requests) / out.elapsed.Seconds()
	}
	if len(out.lat) > 0 {
		out.p50 = out.lat[len(out.lat)/2]
		out.p99 = out.lat[len(out.lat)*99/100]
	}
	return out
}

// proc is a process that serves a load: its pid and its request log
// ("" for none).
type proc struct {
	pid int
	log string
}

// measure drives t as drive does and adds the CPU time the processes
// behind it spent meanwhile and the durations their request logs logged
// meanwhile.
func measure(ctx context.Context, procs []proc, t target, reqs []request, conns int, d time.Duration, want int) result {
	from := make([]int64, len(procs))
	before := make([]time.Duration, len(procs))
	ok := true
	for i, p := range procs {
		from[i] = fileSize(p.log)
		var okp bool
		before[i], okp = cpuTime(p.pid)
		ok = ok && okp
	}
	r := drive(ctx, t, reqs, conns, d, want)
	for i, p := range procs {
		after, okp := cpuTime(p.pid)
		ok = ok && okp
		r.cpu += after - before[i]
		if p.log != "" {
			r.handler = append(r.handler, loggedDurations(p.log, from[i], fileSize(p.log))...)
		}
	}
	slices.Sort(r.handler)
	if !ok {
		r.cpu = -1
	}
	return r
}

func fileSize(path string) int64 {
	if path == "" {
		return 0
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// loggedDurations returns the duration= values of the request log lines
// between offsets from and to of the file at path (slog's text format).
func loggedDurations(path string, from, to int64) []time.Duration {
	f, err := os.Open(path)
	if err != nil || to <= from {
		return nil
	}
	defer f.Close()
	b := make([]byte, to-from)
	n, _ := f.ReadAt(b, from)
	return parseDurations(string(b[:n]))
}

// parseDurations reads the duration= field of every request log line in text.
func parseDurations(text string) []time.Duration {
	var out []time.Duration
	for line := range strings.Lines(text) {
		_, rest, ok := strings.Cut(line, " duration=")
		if !ok || !strings.Contains(line, " route=") {
			continue
		}
		if i := strings.IndexAny(rest, " \n"); i >= 0 {
			rest = rest[:i]
		}
		if d, err := time.ParseDuration(rest); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// cpuTime returns the user and system CPU time process pid has used, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s, as Linux
// reports them to user space).
func cpuTime(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	return parseStat(string(b))
}

// parseStat reads utime and stime from the text of /proc/PID/stat. The
// command name (field 2) is in parentheses and may hold spaces, so fields
// are counted from the last ')'.
func parseStat(stat string) (time.Duration, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const tick = 10 * time.Millisecond // USER_HZ = 100
	return time.Duration(utime+stime) * tick, true
}

// target is where a load goes: the server at url or, with several addrs,
// the instances at addrs, each new connection to the next of them in turn
// (url then names the first). A connection stays with its instance, as a
// CDN's keep-alive pool to several origins does.
type target struct {
	url   string
	addrs []string // host:port of each instance; none or one: url's alone
}

// single is the target of the one server at url.
func single(url string) target { return target{url: url} }

// transport returns the client transport of a load of conns connections
// to t.
func (t target) transport(conns int) *http.Transport {
	tr := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DisableCompression:  true,
		IdleConnTimeout:     time.Minute,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
	if len(t.addrs) > 1 {
		tr.DialContext = (&roundRobin{addrs: t.addrs, d: net.Dialer{Timeout: 5 * time.Second}}).DialContext
	}
	return tr
}

// roundRobin dials its addresses in turn, whatever address it is asked
// for: the transport's connections to one host spread evenly over the
// instances.
type roundRobin struct {
	addrs []string
	next  atomic.Uint64
	d     net.Dialer
}

// DialContext connects to the next address.
func (rr *roundRobin) DialContext(ctx context.Context, network, _ string) (net.Conn, error) {
	i := (rr.next.Add(1) - 1) % uint64(len(rr.addrs))
	return rr.d.DialContext(ctx, network, rr.addrs[i])
}

// drive sends reqs (in rotation, each connection starting elsewhere in the
// set) to t over conns keep-alive connections for d, and measures.
// want is the status every answer must have.
func drive(ctx context.Context, t target, reqs []request, conns int, d time.Duration, want int) result {
	tr := t.transport(conns)
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
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, t.url+rq.path, nil)
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
	r := result{requests: int(total.Load()), errors: int(errs.Load()), bytes: nbytes.Load(), status: statuses, elapsed: elapsed, lat: all}
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
