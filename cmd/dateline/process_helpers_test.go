package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// process is a running `dateline` process.
type process struct {
	url string
	pid int
	mu  *sync.Mutex
	out *bytes.Buffer
}

func (p process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// buildDateline builds the dateline binary into dir.
func buildDateline(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "dateline")
	build := exec.Command(goTool(), "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startProcess runs bin with args, waits until it says it is serving, and
// stops it (SIGINT) when the test ends.
func startProcess(t *testing.T, bin string, args ...string) process {
	t.Helper()
	return startProcessEnv(t, bin, nil, args...)
}

// startProcessEnv is startProcess with env added to the process's
// environment (which otherwise holds only PATH).
func startProcessEnv(t *testing.T, bin string, env []string, args ...string) process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	p := process{mu: &sync.Mutex{}, out: &bytes.Buffer{}}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if rest, ok := strings.CutPrefix(sc.Text(), "Dateline is serving on http://"); ok {
				host, _, _ := strings.Cut(rest, "/")
				addr <- host
			}
		}
	}()
	select {
	case host := <-addr:
		p.url, p.pid = "http://"+host, cmd.Process.Pid
		return p
	case <-time.After(60 * time.Second):
		t.Fatalf("%v did not start within 60s:\n%s", args, p.output())
		return p
	}
}

// httpJSON sends a request (with a bearer token unless ""), checks the
// status and decodes the answer into out unless out is nil.
func httpJSON(t *testing.T, method, url, token, body string, status int, out any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: %d, want %d: %s", method, url, resp.StatusCode, status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, url, b, err)
		}
	}
}
