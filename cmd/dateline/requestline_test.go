package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

// handlerLine is l as the slog handler newLogger uses for the format
// writes it.
func handlerLine(tb testing.TB, l requestLine, json bool) string {
	tb.Helper()
	var buf bytes.Buffer
	var log *slog.Logger
	if json {
		log = slog.New(slog.NewJSONHandler(&buf, nil))
	} else {
		log = slog.New(slog.NewTextHandler(&buf, nil))
	}
	logLine(context.Background(), log, &l)
	return buf.String()
}

// fastLine is l as the server's request log writes it.
func fastLine(l requestLine, json bool) string {
	var buf bytes.Buffer
	cfg := defaultConfig()
	if json {
		cfg.LogFormat = "json"
	}
	_, lines := newLogger(cfg, &buf)
	lines.write(context.Background(), &l)
	return buf.String()
}

func TestRequestLinesAreTheHandlersLines(t *testing.T) {
	moscow := time.FixedZone("MSK", 3*3600)
	at := time.Date(2026, 12, 6, 1, 2, 3, 450_000_000, time.UTC)
	base := requestLine{at: at, msg: "request", method: "GET", route: "/api/v1/articles", status: 200,
		took: 312 * time.Microsecond, bytes: 18231, id: "01JEXAMPLE7Q"}
	tests := []struct {
		name string
		edit func(*requestLine)
	}{
		{"a plain request", func(*requestLine) {}},
		{"a time on a whole second", func(l *requestLine) { l.at = time.Date(2026, 12, 6, 1, 2, 3, 0, time.UTC) }},
		{"a time with nanoseconds, truncated not rounded", func(l *requestLine) { l.at = at.Add(999_999) }},
		{"a time in another zone", func(l *requestLine) { l.at = at.In(moscow) }},
		{"a long duration", func(l *requestLine) { l.took = 2*time.Second + 345*time.Millisecond }},
		{"a zero duration and no bytes", func(l *requestLine) { l.took, l.bytes = 0, 0 }},
		{"a route with parameters keeps its path", func(l *requestLine) {
			l.route, l.path = "/api/v1/articles/:slug", "/api/v1/articles/harbour-vote"
		}},
		{"a path with percent escapes", func(l *requestLine) { l.route, l.path = "/media/*file", "/media/a%20b.png" }},
		{"a sampled request", func(l *requestLine) { l.sample = 10 }},
		{"a cancelled request", func(l *requestLine) { l.msg, l.cancelled, l.status = "request cancelled", true, 499 }},
		{"an unmatched route", func(l *requestLine) { l.route, l.path, l.status = "unmatched", "/wp-login.php", 404 }},
		{"a path with a space goes through the handler", func(l *requestLine) { l.route, l.path = "unmatched", "/a b" }},
		{"a path with quotes goes through the handler", func(l *requestLine) { l.route, l.path = "unmatched", `/"x"=1` }},
		{"a path in another script goes through the handler", func(l *requestLine) { l.route, l.path = "unmatched", "/статья" }},
		{"a path with HTML goes through the handler", func(l *requestLine) { l.route, l.path = "unmatched", "/<script>&" }},
		{"a path with a control goes through the handler", func(l *requestLine) { l.route, l.path = "unmatched", "/a\x1bb\n" }},
		{"an odd method goes through the handler", func(l *requestLine) { l.method = "PROP FIND" }},
		{"a client's request id with a backslash goes through the handler", func(l *requestLine) { l.id = `a\b` }},
		{"an empty request id goes through the handler", func(l *requestLine) { l.id = "" }},
	}
	for _, tt := range tests {
		for _, json := range []bool{false, true} {
			l := base
			tt.edit(&l)
			name := tt.name + " in text"
			if json {
				name = tt.name + " in JSON"
			}
			t.Run(name, func(t *testing.T) {
				want, got := handlerLine(t, l, json), fastLine(l, json)
				if got != want {
					t.Errorf("request log wrote\n%q\nthe handler writes\n%q", got, want)
				}
			})
		}
	}
}

func FuzzRequestLinesAreTheHandlersLines(f *testing.F) {
	f.Add("GET", "/api/v1/articles/:slug", "/api/v1/articles/x", "01JEXAMPLE", 200, int64(312_000), 1024, int64(1_765_000_000_123_456_789), false, 0)
	f.Add("POST", "unmatched", "/a b", "id", 499, int64(0), 0, int64(0), true, 10)
	f.Fuzz(func(t *testing.T, method, route, path, id string, status int, took int64, size int, unixNano int64, cancelled bool, sample int) {
		at := time.Unix(0, unixNano).UTC()
		if at.Year() < 1 || at.Year() > 9999 {
			return // slog's JSON refuses years it cannot write in RFC 3339
		}
		l := requestLine{at: at, msg: "request", method: method, route: route, path: path, status: status,
			took: time.Duration(took), bytes: size, id: id, cancelled: cancelled, sample: max(sample, 0)}
		if cancelled {
			l.msg = "request cancelled"
		}
		for _, json := range []bool{false, true} {
			if want, got := handlerLine(t, l, json), fastLine(l, json); got != want {
				t.Fatalf("json %v: request log wrote\n%q\nthe handler writes\n%q", json, got, want)
			}
		}
	})
}

func BenchmarkRequestLine(b *testing.B) {
	l := requestLine{at: time.Now(), msg: "request", method: "GET", route: "/api/v1/articles/:slug",
		path: "/api/v1/articles/harbour-vote", status: 200, took: 312 * time.Microsecond, bytes: 18231, id: "01JEXAMPLE7Q"}
	for _, json := range []bool{false, true} {
		cfg := defaultConfig()
		name := "text"
		if json {
			cfg.LogFormat, name = "json", "json"
		}
		log, lines := newLogger(cfg, discard{})
		b.Run(name+"/handler", func(b *testing.B) {
			for b.Loop() {
				logLine(context.Background(), log, &l)
			}
		})
		b.Run(name+"/lines", func(b *testing.B) {
			for b.Loop() {
				lines.write(context.Background(), &l)
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
