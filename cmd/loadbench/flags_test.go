package main

import (
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	noEnv := func(string) string { return "" }
	for _, tt := range []struct {
		name string
		args []string
		env  func(string) string
		want func(options) bool
		err  string
	}{
		{"no flags run on SQLite with one instance, as before", nil, noEnv,
			func(o options) bool {
				return o.db == "sqlite" && o.postgres == "" && o.instances == 1 && o.writers == 8 && o.conns == 32
			}, ""},
		{"PostgreSQL with three instances and 256 connections", []string{"-db", "postgres", "-instances", "3", "-conns", "256"}, noEnv,
			func(o options) bool { return o.db == "postgres" && o.instances == 3 && o.conns == 256 }, ""},
		{"the database URL comes from -postgres", []string{"-db", "postgres", "-postgres", "postgres://u@db:5432/news"}, noEnv,
			func(o options) bool { return o.postgres == "postgres://u@db:5432/news" }, ""},
		{"or from the environment", []string{"-db", "postgres"}, func(k string) string {
			if k == EnvPostgres {
				return "postgres://u@db/env"
			}
			return ""
		}, func(o options) bool { return o.postgres == "postgres://u@db/env" }, ""},
		{"SQLite on several instances is allowed", []string{"-instances", "2"}, noEnv,
			func(o options) bool { return o.db == "sqlite" && o.instances == 2 }, ""},
		{"four instances are refused", []string{"-instances", "4"}, noEnv, nil, "-instances"},
		{"no instance is refused", []string{"-instances", "0"}, noEnv, nil, "-instances"},
		{"an unknown database is refused", []string{"-db", "mysql"}, noEnv, nil, "mysql"},
		{"a PostgreSQL URL on SQLite is refused", []string{"-postgres", "postgres://u@db/x"}, noEnv, nil, "-postgres needs -db postgres"},
		{"no writer is refused", []string{"-writers", "0"}, noEnv, nil, "-writers"},
		{"a bad variant is refused", []string{"-variants", "no-cdn"}, noEnv, nil, "no-cdn"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opt, _, err := parseFlags(tt.args, tt.env, io.Discard)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one naming %q", err, tt.err)
				}
				return
			}
			if err != nil || !tt.want(opt) {
				t.Errorf("got %+v (%v)", opt, err)
			}
		})
	}
	t.Run("an unknown flag is a usage error and -h asks for help", func(t *testing.T) {
		if _, _, err := parseFlags([]string{"-bogus"}, noEnv, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("-bogus: %v", err)
		}
		if _, _, err := parseFlags([]string{"-h"}, noEnv, io.Discard); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("-h: %v", err)
		}
	})
	t.Run("the baseline's own process gets its address", func(t *testing.T) {
		if _, addr, err := parseFlags([]string{"-serve-baseline", "127.0.0.1:9"}, noEnv, io.Discard); err != nil || addr != "127.0.0.1:9" {
			t.Errorf("got %q, %v", addr, err)
		}
	})
}

func TestSaveScenarioInAll(t *testing.T) {
	for _, tt := range []struct {
		db        string
		instances int
		want      bool
	}{{"sqlite", 1, false}, {"sqlite", 2, true}, {"postgres", 1, true}, {"postgres", 3, true}} {
		if got := (options{db: tt.db, instances: tt.instances}).saveInAll(); got != tt.want {
			t.Errorf("%s with %d instances: save in all %v, want %v", tt.db, tt.instances, got, tt.want)
		}
	}
}

// countingServer is an HTTP server that counts the connections it
// accepted and the requests it answered.
type countingServer struct {
	*httptest.Server
	mu              sync.Mutex
	conns, requests int
}

func newCountingServer(t *testing.T) *countingServer {
	t.Helper()
	s := &countingServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		s.mu.Unlock()
		w.Write([]byte("{}"))
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func TestRoundRobinSpreadsConnectionsOverInstances(t *testing.T) {
	var servers []*countingServer
	var addrs []string
	for range 3 {
		s := newCountingServer(t)
		servers = append(servers, s)
		addrs = append(addrs, s.Listener.Addr().String())
	}
	t.Run("each instance gets a third of the connections and serves on them", func(t *testing.T) {
		r := drive(t.Context(), target{url: "http://" + addrs[0], addrs: addrs}, []request{{path: "/x"}}, 6, 300*time.Millisecond, 200)
		if r.errors > 0 || r.requests == 0 {
			t.Fatalf("%d requests, %d errors", r.requests, r.errors)
		}
		for i, s := range servers {
			s.mu.Lock()
			conns, reqs := s.conns, s.requests
			s.mu.Unlock()
			if conns != 2 || reqs == 0 {
				t.Errorf("instance %d: %d connections, %d requests; want 2 connections serving", i+1, conns, reqs)
			}
		}
	})
	t.Run("the dialer takes the addresses in turn, whatever it is asked to dial", func(t *testing.T) {
		rr := &roundRobin{addrs: addrs}
		for i := range 6 {
			c, err := rr.DialContext(t.Context(), "tcp", "elsewhere:1")
			if err != nil {
				t.Fatal(err)
			}
			if got := c.RemoteAddr().String(); got != addrs[i%3] {
				t.Errorf("dial %d went to %s, want %s", i+1, got, addrs[i%3])
			}
			c.Close()
		}
	})
	t.Run("a single server is dialed by its address", func(t *testing.T) {
		s := newCountingServer(t)
		r := drive(t.Context(), single(s.URL), []request{{path: "/x"}}, 2, 100*time.Millisecond, 200)
		s.mu.Lock()
		answered := s.requests // and perhaps one per connection the end cut short
		s.mu.Unlock()
		if r.errors > 0 || r.requests == 0 || answered < r.requests {
			t.Errorf("%d requests, %d errors, the server answered %d", r.requests, r.errors, answered)
		}
	})
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://news:s3cret@db:5432/news": "postgres://news:xxxxx@db:5432/news",
		"postgres://news@db/news":             "postgres://news@db/news",
		"host=db user=news":                   "host=db user=news",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
