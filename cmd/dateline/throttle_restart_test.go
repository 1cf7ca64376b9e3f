package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/auth"
)

// serveUntilStopped runs `dateline serve` on the data directory dir (a
// SQLite file) on a free loopback port until stop is called, and returns
// its base URL.
func serveUntilStopped(t *testing.T, dir, cfg string) (base string, stop func()) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", dir, "--config", cfg}, envOf(nil), &out, &out)
	}()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not shut down")
		}
	}
	t.Cleanup(stop)
	for deadline := time.Now().Add(60 * time.Second); ; {
		if time.Now().After(deadline) {
			t.Fatalf("the port never accepted:\n%s", out.String())
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, out.String())
		default:
		}
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			return "http://" + addr, stop
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestARestartKeepsTheLoginThrottle spends an account's login attempts on
// a SQLite-backed server, stops it, starts a new server on the same data
// directory, and finds the account still throttled there: even the right
// password waits, with Retry-After.
func TestARestartKeepsTheLoginThrottle(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server twice")
	}
	dir := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := writeFile(cfg, []byte("log_level: warn\nmetrics_addr: \"\"\n")); err != nil {
		t.Fatal(err)
	}
	const email, password = "desk@harbour.example", "correct horse battery staple"
	err := run(context.Background(), []string{"user", "add", "--config", cfg, "--data", dir,
		"--email", email, "--name", "Night Desk", "--role", "admin", "--password-stdin"}, envOf(nil), io.Discard, io.Discard, strings.NewReader(password+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	login := func(base, pw string) (int, string) {
		resp, err := http.Post(base+"/api/admin/v1/auth/login", "application/json",
			strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, pw)))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}

	base, stop := serveUntilStopped(t, dir, cfg)
	burst := auth.AccountLimits().Burst
	for i := range burst {
		if code, _ := login(base, "a wrong guess"); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i+1, code)
		}
	}
	if code, _ := login(base, "a wrong guess"); code != http.StatusTooManyRequests {
		t.Fatalf("wrong password %d: %d, want 429", burst+1, code)
	}
	stop()

	base, _ = serveUntilStopped(t, dir, cfg)
	code, retry := login(base, password)
	if s, err := strconv.Atoi(retry); code != http.StatusTooManyRequests || err != nil || s < 1 {
		t.Errorf("the right password after the restart: %d with Retry-After %q, want 429 with a wait", code, retry)
	}
}
