package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"dateline/content"
)

// newMetricsRegistry returns the server's own Prometheus registry (never
// the global default) with the Go runtime, process, database pool and
// outbox collectors. Background workers register their collectors into it
// before the server starts.
func newMetricsRegistry(db storeStats) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		dbPoolCollector{db: db},
		outboxCollector{db: db},
	)
	return reg
}

// registerCollectors adds collectors (the scheduler's and webhooks', for
// example) to the server's registry; a clash of metric names is an error.
func registerCollectors(reg prometheus.Registerer, cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
	}
	return nil
}

// metricsHandler serves the registry in the Prometheus text format.
func metricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg, EnableOpenMetrics: false})
}

// requireBearer lets a request through only with "Authorization: Bearer
// token"; any other gets 401 problem JSON. The comparison takes the same
// time whatever the sent value.
func requireBearer(token string) gin.HandlerFunc {
	want := sha256.Sum256([]byte(token))
	return func(c *gin.Context) {
		sent, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		got := sha256.Sum256([]byte(sent))
		if ok && subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
			c.Next()
			return
		}
		body, _ := json.Marshal(map[string]any{
			"type":   "https://dateline.dev/problems/unauthorized",
			"title":  http.StatusText(http.StatusUnauthorized),
			"status": http.StatusUnauthorized,
			"detail": "send the metrics token as a bearer token",
			"code":   "unauthorized",
		})
		c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusUnauthorized, "application/problem+json", body)
		c.Abort()
	}
}

// requestMetrics counts requests by method, route and status and observes
// their latency by method and route. Routes are the router's patterns
// (e.g. /api/v1/articles/:slug), "unmatched" for everything else, so label
// values stay few whatever clients send.
func requestMetrics(reg prometheus.Registerer) gin.HandlerFunc {
	s := &requestSeries{
		requests: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"})),
		latency: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dateline_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method and route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"})),
	}
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		counter, observer := s.of(metricMethod(c.Request.Method), route, c.Writer.Status())
		counter.Inc()
		observer.Observe(time.Since(start).Seconds())
	}
}

// requestSeries holds the request metrics' series by their labels, so a
// request finds its two with one map lookup instead of the vectors'
// hashing and label checks (a tenth of a cached read's own CPU). The
// labels are bounded (metricMethod, route patterns, statuses), and so is
// the map.
type requestSeries struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	series   sync.Map // requestLabels → requestSeriesOf
}

type requestLabels struct {
	method, route string
	status        int
}

type requestSeriesOf struct {
	counter  prometheus.Counter
	observer prometheus.Observer
}

// of returns the request counter and the latency observer of the labels.
func (s *requestSeries) of(method, route string, status int) (prometheus.Counter, prometheus.Observer) {
	key := requestLabels{method, route, status}
	if v, ok := s.series.Load(key); ok {
		o := v.(requestSeriesOf)
		return o.counter, o.observer
	}
	o := requestSeriesOf{
		counter:  s.requests.WithLabelValues(method, route, strconv.Itoa(status)),
		observer: s.latency.WithLabelValues(method, route),
	}
	s.series.Store(key, o)
	return o.counter, o.observer
}

// register adds c to reg, or returns the collector already registered
// under the same descriptors (a second router over the same registry).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err) // not reached: the names above are fixed and valid
	}
	return c
}

// metricMethod bounds the method label to the standard methods.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// storeStats is what the store's collectors read of it: its connection
// pools, and how this process follows the outbox (its generation, the head
// in the database, its catch-ups with other processes' writes).
type storeStats interface {
	Pools() []content.PoolStats
	Generation() uint64
	LastEventID(ctx context.Context) (int64, error)
	FollowStats() content.FollowStats
}

// dbPoolCollector reports the connection pools of the store (for SQLite
// the single writer connection and the read pool).
type dbPoolCollector struct{ db storeStats }

var (
	dbOpenDesc = prometheus.NewDesc("dateline_db_open_connections",
		"Open connections of the database pool.", []string{"pool"}, nil)
	dbInUseDesc = prometheus.NewDesc("dateline_db_in_use_connections",
		"Connections of the database pool in use.", []string{"pool"}, nil)
	dbIdleDesc = prometheus.NewDesc("dateline_db_idle_connections",
		"Idle connections of the database pool.", []string{"pool"}, nil)
	dbMaxOpenDesc = prometheus.NewDesc("dateline_db_max_open_connections",
		"Maximum open connections of the database pool.", []string{"pool"}, nil)
	dbWaitCountDesc = prometheus.NewDesc("dateline_db_wait_count_total",
		"Times a caller waited for a connection of the database pool.", []string{"pool"}, nil)
	dbWaitSecondsDesc = prometheus.NewDesc("dateline_db_wait_seconds_total",
		"Time callers waited for a connection of the database pool.", []string{"pool"}, nil)
)

func (dbPoolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbOpenDesc, dbInUseDesc, dbIdleDesc, dbMaxOpenDesc, dbWaitCountDesc, dbWaitSecondsDesc} {
		ch <- d
	}
}

func (p dbPoolCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range p.db.Pools() {
		ch <- prometheus.MustNewConstMetric(dbOpenDesc, prometheus.GaugeValue, float64(s.Open), s.Name)
		ch <- prometheus.MustNewConstMetric(dbInUseDesc, prometheus.GaugeValue, float64(s.InUse), s.Name)
		ch <- prometheus.MustNewConstMetric(dbIdleDesc, prometheus.GaugeValue, float64(s.Idle), s.Name)
		ch <- prometheus.MustNewConstMetric(dbMaxOpenDesc, prometheus.GaugeValue, float64(s.MaxOpen), s.Name)
		ch <- prometheus.MustNewConstMetric(dbWaitCountDesc, prometheus.CounterValue, float64(s.Waits), s.Name)
		ch <- prometheus.MustNewConstMetric(dbWaitSecondsDesc, prometheus.CounterValue, s.Waited.Seconds(), s.Name)
	}
}

// outboxCollector reports how this process follows the outbox, which every
// cache of the read path is invalidated from: the head in the database and
// the generation this process serves (a difference that lasts means it
// does not see other processes' writes), the times it caught up with
// another process's writes and, where the store can time them (PostgreSQL,
// by the writer's notification), how long after the writer's commit.
type outboxCollector struct{ db storeStats }

var (
	outboxHeadDesc = prometheus.NewDesc("dateline_outbox_head",
		"Id of the last outbox event committed to the database, read at scrape time.", nil, nil)
	outboxGenerationDesc = prometheus.NewDesc("dateline_outbox_generation",
		"Id of the last outbox event this process serves: the generation its caches follow.", nil, nil)
	outboxCaughtDesc = prometheus.NewDesc("dateline_outbox_caught_up_total",
		"Times this process caught up with outbox events another process (instance) wrote.", nil, nil)
	outboxLagDesc = prometheus.NewDesc("dateline_outbox_notification_lag_seconds",
		"How long after another instance's commit this process caught up with it, timed by the writer's notification (PostgreSQL).", nil, nil)
)

func (outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{outboxHeadDesc, outboxGenerationDesc, outboxCaughtDesc, outboxLagDesc} {
		ch <- d
	}
}

func (o outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if head, err := o.db.LastEventID(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(outboxHeadDesc, prometheus.GaugeValue, float64(head))
	}
	ch <- prometheus.MustNewConstMetric(outboxGenerationDesc, prometheus.GaugeValue, float64(o.db.Generation()))
	s := o.db.FollowStats()
	ch <- prometheus.MustNewConstMetric(outboxCaughtDesc, prometheus.CounterValue, float64(s.Caught))
	buckets := map[float64]uint64{}
	for i, b := range content.FollowLagBounds() {
		if i < len(s.Buckets) {
			buckets[b.Seconds()] = s.Buckets[i]
		}
	}
	ch <- prometheus.MustNewConstHistogram(outboxLagDesc, s.Timed, s.LagSum.Seconds(), buckets)
}
