package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs `dateline serve` with args until the test ends and
// returns its base URL and what it printed.
func startServer(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	// metrics_addr on a free port: the default one may be taken.
	if err := writeFile(cfg, []byte("log_level: warn\nmetrics_addr: \"127.0.0.1:0\"\n")); err != nil {
		t.Fatal(err)
	}
	env := envOf(map[string]string{"DATELINE_CONFIG": cfg})
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), env, &out, &errOut)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v after shutdown", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	re := regexp.MustCompile(`serving on (http://[0-9.:]+)/`)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1], &out
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v\n%s%s", err, out.String(), errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start:\n%s%s", out.String(), errOut.String())
	return "", nil
}

func TestServeDemoServesPublishedStoriesAndShutsDown(t *testing.T) {
	base, out := startServer(t, "--demo", "--data", t.TempDir())
	if !strings.Contains(out.String(), "Demo: loaded") {
		t.Errorf("no demo summary printed:\n%s", out.String())
	}
	res, err := http.Get(base + "/api/v1/articles?tag=harbour&limit=100")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, b)
	}
	var list struct {
		Articles []struct {
			Slug      string
			LeadPhoto *struct{ URL, Credit, Alt string } `json:"lead_photo"`
		}
	}
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Articles) == 0 {
		t.Fatal("no harbour stories in the demo")
	}
	for _, a := range list.Articles {
		if a.LeadPhoto == nil || a.LeadPhoto.Credit == "" || a.LeadPhoto.Alt == "" {
			t.Errorf("%s has no credited lead photo", a.Slug)
		}
	}
	if strings.Contains(string(b), "Embargoed") {
		t.Error("a demo draft leaked into the list")
	}
	// Without base_url, links follow the address the server listens on.
	if !strings.HasPrefix(list.Articles[0].LeadPhoto.URL, base+"/media/") {
		t.Errorf("lead photo %s is not under the server's own address %s", list.Articles[0].LeadPhoto.URL, base)
	}
	photo, err := http.Get(list.Articles[0].LeadPhoto.URL)
	if err == nil {
		photo.Body.Close()
	}
	if err != nil || photo.StatusCode != 200 || photo.Header.Get("Content-Type") != "image/png" {
		t.Errorf("lead photo %s: %v %v", list.Articles[0].LeadPhoto.URL, err, photo)
	}
	kinds := map[string]bool{}
	for _, a := range list.Articles {
		res, err := http.Get(base + "/api/v1/articles/" + a.Slug)
		if err != nil {
			t.Fatal(err)
		}
		var full struct {
			RelatedLinks []struct{ Kind string } `json:"related_links"`
		}
		json.NewDecoder(res.Body).Decode(&full)
		res.Body.Close()
		for _, l := range full.RelatedLinks {
			kinds[l.Kind] = true
		}
	}
	if len(kinds) == 0 {
		t.Error("no related links on harbour stories")
	}
}

func TestServeServesMetricsOnTheirOwnListenerOnly(t *testing.T) {
	base, out := startServer(t, "--data", t.TempDir())
	m := regexp.MustCompile(`Metrics: (http://[0-9.:]+/metrics)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no metrics address printed:\n%s", out.String())
	}
	res, err := http.Get(m[1])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "dateline_db_open_connections") {
		t.Errorf("metrics listener: %d %.300s", res.StatusCode, b)
	}
	res, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || strings.Contains(string(b), "go_goroutines") {
		t.Errorf("main listener /metrics: %d %.300s", res.StatusCode, b)
	}
}
