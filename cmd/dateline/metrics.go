package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"dateline/content"
)

// newMetricsRegistry returns the server's own Prometheus registry (never
// the global default) with the Go runtime, process and database pool
// collectors. Background workers register their collectors into it before
// the server starts.
func newMetricsRegistry(db pools) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		dbPoolCollector{db: db},
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
	requests := register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dateline_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern and status.",
	}, []string{"method", "route", "status"}))
	latency := register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "dateline_http_request_duration_seconds",
		Help:    "Time to answer HTTP requests, by method and route pattern.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route"}))
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		method := metricMethod(c.Request.Method)
		requests.WithLabelValues(method, route, strconv.Itoa(c.Writer.Status())).Inc()
		latency.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
	}
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

// pools is what dbPoolCollector reads of the store.
type pools interface{ Pools() []content.PoolStats }

// dbPoolCollector reports the connection pools of the store (for SQLite
// the single writer connection and the read pool).
type dbPoolCollector struct{ db pools }

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
