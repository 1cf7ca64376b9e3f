package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentLoginsKeepTheServerUnder150MB fires 300 concurrent logins,
// each from its own loopback address and for its own (unknown) account so
// that the login throttle lets every one through to password hashing, at a
// real "dateline serve" process built by the test, and asserts that the
// process's peak resident memory (VmHWM of /proc/<pid>/status) stays under
// 150 MB. It measures a spawned process rather than the test process
// because tests run with -race, whose shadow memory would multiply the
// figure, and because only a process of its own has a peak that belongs to
// the server alone. Every answer must be a 401 (the login failed), a 429
// (throttled) or a 503 problem with Retry-After (hashing is at capacity).
func TestConcurrentLoginsKeepTheServerUnder150MB(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to read the server's memory")
	}
	const logins, limitMB = 300, 150
	srv := startServerProcess(t)

	statuses := make([]int, logins)
	retryAfter := make([]string, logins)
	bodies := make([]string, logins)
	errs := make([]error, logins)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range logins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// 127.0.1.0–127.0.2.43: one client address per login.
			local := &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+i/256), byte(i%256))}
			client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{
				DialContext:       (&net.Dialer{LocalAddr: local}).DialContext,
				DisableKeepAlives: true,
			}}
			body := fmt.Sprintf(`{"email":"nobody%d@harbour.example","password":"a wrong password, number %d"}`, i, i)
			<-start
			resp, err := client.Post(srv.url+"/api/admin/v1/auth/login", "application/json", strings.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			statuses[i], retryAfter[i], bodies[i] = resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
		}()
	}
	close(start)
	wg.Wait()

	count := map[int]int{}
	for i := range logins {
		if errs[i] != nil {
			t.Errorf("login %d: %v", i, errs[i])
			continue
		}
		count[statuses[i]]++
		switch statuses[i] {
		case http.StatusUnauthorized, http.StatusTooManyRequests:
		case http.StatusServiceUnavailable:
			if retryAfter[i] == "" || !strings.Contains(bodies[i], `"code":"unavailable"`) {
				t.Errorf("login %d: 503 without Retry-After or problem code: %q %s", i, retryAfter[i], bodies[i])
			}
		default:
			t.Errorf("login %d: %d %s", i, statuses[i], bodies[i])
		}
	}
	if count[http.StatusUnauthorized] == 0 {
		t.Errorf("no login was checked at all: %v", count)
	}
	peak, now := srv.memoryMB(t)
	t.Logf("%d concurrent logins: answers %v; server peak RSS (VmHWM) %.1f MB, RSS now %.1f MB", logins, count, peak, now)
	if peak >= limitMB {
		t.Errorf("peak RSS %.1f MB, want under %d MB", peak, limitMB)
	}
}

// startServerProcess builds the dateline binary and starts "dateline serve"
// on a free loopback port with a fresh data directory and default settings
// (logs at warn, no metrics listener).
func startServerProcess(t *testing.T) process {
	t.Helper()
	return startServerProcessWith(t, serverSetup{})
}

// serverSetup adds to what startServerProcessWith does: environment
// variables for the server, and a step run before it starts with the
// binary, the data directory and the config file (to add a user, say).
type serverSetup struct {
	env     []string
	prepare func(bin, data, cfg string)
}

// startServerProcessWith is startServerProcess with setup.
func startServerProcessWith(t *testing.T, setup serverSetup) process {
	t.Helper()
	dir := t.TempDir()
	bin := buildDateline(t, dir)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("log_level: warn\nmetrics_addr: \"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if setup.prepare != nil {
		setup.prepare(bin, filepath.Join(dir, "data"), cfg)
	}
	return startProcessEnv(t, bin, setup.env, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--config", cfg)
}

// memoryMB returns the process's peak resident memory (VmHWM) and its
// resident memory now (VmRSS), in MB (10^6 bytes).
func (s process) memoryMB(t *testing.T) (peak, now float64) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		name, v, ok := strings.Cut(line, ":")
		if !ok || (name != "VmHWM" && name != "VmRSS") {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if name == "VmHWM" {
			peak = kb * 1024 / 1e6
		} else {
			now = kb * 1024 / 1e6
		}
	}
	return peak, now
}

// goTool returns the go command that runs this test.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}
