package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestTwoServersOnOneDatabaseServeEachOthersWrites runs two real `dateline
// serve` processes on one data directory, with their default caches. A
// story edited, withdrawn and published through the first is served so by
// the second within one second, although the second had the story in its
// response and item caches.
func TestTwoServersOnOneDatabaseServeEachOthersWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two servers")
	}
	dir := t.TempDir()
	bin := buildDateline(t, dir)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("log_level: warn\nmetrics_addr: \"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	writer := startProcess(t, bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg)
	reader := startProcess(t, bin, "serve", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg)

	m := regexp.MustCompile(`(?m)^\s+admin\s+(\S+)\s+(\S+)$`).FindStringSubmatch(writer.output())
	if m == nil {
		t.Fatalf("no demo admin login in the output:\n%s", writer.output())
	}
	var session struct {
		AccessToken string `json:"access_token"`
	}
	httpJSON(t, "POST", writer.url+"/api/admin/v1/auth/login", "", fmt.Sprintf(`{"email":%q,"password":%q}`, m[1], m[2]), http.StatusOK, &session)
	token := session.AccessToken

	var list struct {
		Articles []struct{ ID, Slug, Headline string } `json:"articles"`
	}
	httpJSON(t, "GET", reader.url+"/api/v1/articles?limit=2", "", "", http.StatusOK, &list)
	if len(list.Articles) < 2 {
		t.Fatalf("the demo has %d published stories", len(list.Articles))
	}
	story, other := list.Articles[0], list.Articles[1]
	storyURL := reader.url + "/api/v1/articles/" + story.Slug
	for range 3 { // into the reader's response and item caches
		httpJSON(t, "GET", storyURL, "", "", http.StatusOK, nil)
		httpJSON(t, "GET", reader.url+"/api/v1/articles?limit=2", "", "", http.StatusOK, nil)
	}

	// waitFor polls the reader until ok holds and reports how long it took
	// after the write that the writer acknowledged at since.
	waitFor := func(what string, since time.Time, ok func() bool) {
		t.Helper()
		for !ok() {
			if time.Since(since) > time.Second {
				t.Fatalf("the second server did not serve %s within 1s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Logf("%s: served by the second server %v after the first acknowledged it", what, time.Since(since).Round(time.Millisecond))
	}
	headline := func(url string) string {
		var a struct{ Headline string }
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Sprint(resp.StatusCode)
		}
		json.NewDecoder(resp.Body).Decode(&a)
		return a.Headline
	}

	t.Run("an edit is served by the other server within a second", func(t *testing.T) {
		var cur map[string]any
		httpJSON(t, "GET", writer.url+"/api/admin/v1/articles/"+story.ID, token, "", http.StatusOK, &cur)
		edit := map[string]any{"version": cur["version"]}
		for _, k := range []string{"slug", "headline", "standfirst", "dateline", "body", "byline", "author_ids", "photos", "related_links", "tags", "seo", "featured"} {
			edit[k] = cur[k]
		}
		edit["headline"] = story.Headline + " (updated)"
		body, _ := json.Marshal(edit)
		httpJSON(t, "PUT", writer.url+"/api/admin/v1/articles/"+story.ID, token, string(body), http.StatusOK, nil)
		saved := time.Now()
		waitFor("the new headline", saved, func() bool { return headline(storyURL) == story.Headline+" (updated)" })
		var after struct {
			Articles []struct{ Headline string } `json:"articles"`
		}
		httpJSON(t, "GET", reader.url+"/api/v1/articles?limit=2", "", "", http.StatusOK, &after)
		if after.Articles[0].Headline != story.Headline+" (updated)" {
			t.Errorf("the list still shows %q", after.Articles[0].Headline)
		}
	})
	t.Run("a withdrawal is served by the other server within a second", func(t *testing.T) {
		url := reader.url + "/api/v1/articles/" + other.Slug
		if got := headline(url); got != other.Headline {
			t.Fatalf("before: %q", got)
		}
		httpJSON(t, "POST", writer.url+"/api/admin/v1/articles/"+other.ID+"/withdraw", token, "", http.StatusOK, nil)
		waitFor("the withdrawal", time.Now(), func() bool { return headline(url) == "404" })
	})
	t.Run("a republication is served by the other server within a second", func(t *testing.T) {
		httpJSON(t, "POST", writer.url+"/api/admin/v1/articles/"+other.ID+"/republish", token, "", http.StatusOK, nil)
		waitFor("the republished story", time.Now(), func() bool { return headline(reader.url+"/api/v1/articles/"+other.Slug) == other.Headline })
	})
}

// process is a running `dateline` process.
type process struct {
	url string
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
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
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
		p.url = "http://" + host
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
