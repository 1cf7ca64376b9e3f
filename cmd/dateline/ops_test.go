package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"dateline/content/sqlite"
)

// newLoggedTestApp is newTestApp with the log written as JSON to w, as
// serve writes it (newLogger), and the config changed by edit before the
// router is built.
func newLoggedTestApp(tb testing.TB, w io.Writer, edit func(*Config)) (*app, *gin.Engine) {
	tb.Helper()
	dir := tb.TempDir()
	cfg := defaultConfig()
	cfg.DataDir = dir
	cfg.BaseURL = "https://news.example.org"
	if edit != nil {
		edit(&cfg)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "dateline.db"), sqlite.Options{Zone: cfg.TimeZone})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	cfg.LogFormat = "json"
	a := &app{cfg: cfg, db: db}
	a.log, a.lines = newLogger(cfg, w)
	return a, newRouter(a)
}

// testMetricsToken is the metrics_token of tests that read /metrics
// through the main router.
const testMetricsToken = "metrics-token-of-the-tests-0123456789"

// getMetrics reads /metrics through h with the test metrics token.
func getMetrics(tb testing.TB, h http.Handler) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRequestLogsCarryNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	_, h := newLoggedTestApp(t, &logs, nil)
	secrets := []string{"Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig", "session=topsecretcookie", "querytoken123", "hunter2password"}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/articles?token=querytoken123&password=hunter2password", nil)
	req.Header.Set("Authorization", secrets[0])
	req.Header.Set("Cookie", secrets[1])
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out := logs.String()
	if !strings.Contains(out, `"route":"/api/v1/articles"`) || !strings.Contains(out, `"request_id":"`) || !strings.Contains(out, `"status":400`) {
		t.Fatalf("the request was not logged with route, status and request id:\n%s", out)
	}
	for _, s := range append(secrets, "eyJhbGciOiJIUzI1NiJ9", "topsecretcookie") {
		if strings.Contains(out, s) {
			t.Errorf("the log holds %q:\n%s", s, out)
		}
	}
}

func TestRequestIDIsEchoedOrMade(t *testing.T) {
	var logs bytes.Buffer
	_, h := newLoggedTestApp(t, &logs, nil)
	tests := []struct {
		name, incoming string
		kept           bool
	}{
		{"a sane incoming id is kept", "req-2026.05:01_abc", true},
		{"a missing id is made", "", false},
		{"an id with spaces is replaced", "two words", false},
		{"an id with a newline is replaced", "a\nb", false},
		{"an overlong id is replaced", strings.Repeat("x", 129), false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
			if tt.incoming != "" {
				req.Header["X-Request-Id"] = []string{tt.incoming}
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Header().Get("X-Request-Id")
			if tt.kept && got != tt.incoming {
				t.Fatalf("X-Request-Id = %q, want %q", got, tt.incoming)
			}
			if !tt.kept && (got == "" || got == tt.incoming || seen[got]) {
				t.Fatalf("X-Request-Id = %q, want a new id", got)
			}
			seen[got] = true
			if !strings.Contains(logs.String(), `"request_id":"`+got+`"`) {
				t.Errorf("the log lacks the request id %q:\n%s", got, logs.String())
			}
		})
	}
}

// counter returns the value of one sample line of the Prometheus text
// exposition, or 0 when it is absent.
func counter(tb testing.TB, h http.Handler, sample string) float64 {
	tb.Helper()
	rec := getMetrics(tb, h)
	if rec.Code != http.StatusOK {
		tb.Fatalf("/metrics: %d", rec.Code)
	}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), sample+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				tb.Fatal(err)
			}
			return f
		}
	}
	return 0
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	_, h := newLoggedTestApp(t, io.Discard, func(c *Config) { c.MetricsToken = testMetricsToken })
	list := `dateline_http_requests_total{method="GET",route="/api/v1/articles",status="200"}`
	one := `dateline_http_requests_total{method="GET",route="/api/v1/articles/:slug",status="404"}`
	before := counter(t, h, list)
	for range 3 {
		get(t, h, "/api/v1/articles")
	}
	get(t, h, "/api/v1/articles/no-such-story")
	get(t, h, "/api/v1/articles/no-such-story")
	if got := counter(t, h, list); got != before+3 {
		t.Errorf("list requests counted %v, want %v", got, before+3)
	}
	if got := counter(t, h, one); got != 2 {
		t.Errorf("one-story 404s counted %v, want 2", got)
	}
	if got := counter(t, h, `dateline_http_request_duration_seconds_count{method="GET",route="/api/v1/articles/:slug"}`); got != 2 {
		t.Errorf("one-story latencies observed %v, want 2", got)
	}
	body := getMetrics(t, h).Body.String()
	for _, want := range []string{
		`dateline_http_request_duration_seconds_bucket{method="GET",route="/api/v1/articles",le="0.005"}`,
		`dateline_db_max_open_connections{pool="writer"} 1`,
		`dateline_db_open_connections{pool="reader"}`,
		"dateline_outbox_head ",
		"dateline_outbox_generation ",
		"dateline_outbox_caught_up_total 0",
		"dateline_outbox_notification_lag_seconds_count 0",
		"go_goroutines ",
		"process_cpu_seconds_total ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	get(t, h, "/no/such/page/"+strings.Repeat("x", 10))
	if got := counter(t, h, `dateline_http_requests_total{method="GET",route="unmatched",status="404"}`); got != 1 {
		t.Errorf("unmatched paths counted %v under one label, want 1", got)
	}
}

func TestMetricsAreNeverServedUnauthenticatedOnTheMainListener(t *testing.T) {
	if host, _, _ := strings.Cut(defaultConfig().MetricsAddr, ":"); host != "127.0.0.1" {
		t.Errorf("the default metrics_addr %q is not loopback only", defaultConfig().MetricsAddr)
	}
	tests := []struct {
		name, token, auth string
		want              int
	}{
		{"without a metrics token the main router has no /metrics", "", "", http.StatusNotFound},
		{"without a metrics token a bearer gets nothing either", "", "Bearer " + testMetricsToken, http.StatusNotFound},
		{"with a metrics token a request without it is refused", testMetricsToken, "", http.StatusUnauthorized},
		{"with a metrics token a wrong one is refused", testMetricsToken, "Bearer " + testMetricsToken + "x", http.StatusUnauthorized},
		{"with a metrics token one sent other than as bearer is refused", testMetricsToken, testMetricsToken, http.StatusUnauthorized},
		{"with a metrics token the right bearer reads the metrics", testMetricsToken, "Bearer " + testMetricsToken, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, h := newLoggedTestApp(t, io.Discard, func(c *Config) { c.MetricsToken = tt.token })
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %.200s", rec.Code, tt.want, body)
			}
			switch tt.want {
			case http.StatusOK:
				if !strings.Contains(body, "dateline_db_max_open_connections") {
					t.Errorf("no metrics in %.300s", body)
				}
			case http.StatusUnauthorized:
				if rec.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(body, `"code":"unauthorized"`) ||
					!strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("401 is not problem JSON with a Bearer challenge: %v %s", rec.Header(), body)
				}
			}
			if tt.want != http.StatusOK && strings.Contains(body, "go_goroutines") {
				t.Errorf("metrics leaked: %.300s", body)
			}
		})
	}
}

func TestRequestBodiesAreCapped(t *testing.T) {
	_, r := newLoggedTestApp(t, io.Discard, nil)
	var readErr error
	r.POST("/test/echo", func(c *gin.Context) {
		_, readErr = io.ReadAll(c.Request.Body)
		c.Status(http.StatusNoContent)
	})
	t.Run("a declared body over the cap is refused with 413 problem JSON", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/test/echo", strings.NewReader("{}"))
		req.ContentLength = maxBodyBytes + 1
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || rec.Header().Get("Content-Type") != "application/problem+json" ||
			!strings.Contains(rec.Body.String(), `"code":"too_large"`) {
			t.Fatalf("%d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	})
	t.Run("an undeclared body over the cap stops at the cap", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/test/echo", io.LimitReader(zeros{}, maxBodyBytes+10))
		req.ContentLength = -1
		r.ServeHTTP(httptest.NewRecorder(), req)
		var mbe *http.MaxBytesError
		if !errors.As(readErr, &mbe) {
			t.Fatalf("reading past the cap: %v", readErr)
		}
	})
	t.Run("a body under the cap is read whole", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/test/echo", strings.NewReader(strings.Repeat("x", 1<<20)))
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != http.StatusNoContent || readErr != nil {
			t.Fatalf("%d %v", rec.Code, readErr)
		}
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestAdminPagesCarrySecurityHeaders(t *testing.T) {
	_, h := newLoggedTestApp(t, io.Discard, nil)
	tests := []struct {
		name, path string
		want       bool
	}{
		{"the admin root", "/admin", true},
		{"a page below it", "/admin/articles/new", true},
		{"a path that only starts with admin", "/administrator", false},
		{"the delivery API", "/api/v1/articles", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hd := get(t, h, tt.path).Header()
			got := hd.Get("Content-Security-Policy") != ""
			if got != tt.want {
				t.Fatalf("CSP present = %v, want %v", got, tt.want)
			}
			if !tt.want {
				return
			}
			if !strings.Contains(hd.Get("Content-Security-Policy"), "frame-ancestors 'none'") || hd.Get("X-Frame-Options") != "DENY" ||
				hd.Get("Referrer-Policy") == "" || hd.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers: %v", hd)
			}
		})
	}
}

func TestSchedulerAndWebhookMetricsJoinTheServerRegistry(t *testing.T) {
	a, _ := newTestApp(t)
	a.newBackground()
	if err := registerCollectors(a.metrics, a.backgroundCollectors()...); err != nil {
		t.Fatal(err)
	}
	a.cfg.MetricsToken = testMetricsToken
	h := newRouter(a) // a second router over the same registry reuses its metrics
	get(t, h, "/healthz")
	body := getMetrics(t, h).Body.String()
	for _, want := range []string{"dateline_schedule_late", `dateline_http_requests_total{method="GET",route="/healthz",status="200"} 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
