package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content/sqlite"
	"dateline/content/sqlite/sqlitetest"
)

// newBusyTestApp is newTestApp over a database with the given busy timeout,
// logging JSON to w; it returns the database file's path too.
func newBusyTestApp(tb testing.TB, busy time.Duration, w *syncBuffer) (*app, http.Handler, string) {
	tb.Helper()
	dir := tb.TempDir()
	cfg := defaultConfig()
	cfg.DataDir = dir
	cfg.BaseURL = "https://news.example.org"
	path := filepath.Join(dir, "dateline.db")
	opt := cfg.storeOptions()
	opt.BusyTimeout = busy
	db, err := sqlite.Open(context.Background(), path, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	a := &app{cfg: cfg, db: db, log: slog.New(slog.NewJSONHandler(w, nil))}
	return a, newRouter(a), path
}

// lockDatabase takes the write lock of the database file at path from a
// connection of its own, as another process would (BEGIN IMMEDIATE), until
// the returned function is called or the test ends.
func lockDatabase(tb testing.TB, path string) (unlock func()) {
	tb.Helper()
	return sqlitetest.HoldWriteLock(tb, path)
}

// TestWritersBehindAnotherProcesssLockGet503WithinTheBusyTimeout sends
// story saves and logins (which write refresh tokens) at once while another
// connection holds the write lock. Every one answers 503 with Retry-After
// and problem JSON after about one busy timeout; none waits for the ones
// queued before it.
func TestWritersBehindAnotherProcesssLockGet503WithinTheBusyTimeout(t *testing.T) {
	const busy = 300 * time.Millisecond
	var logs syncBuffer
	a, h, path := newBusyTestApp(t, busy, &logs)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	token := login(t, h, "edda@example.org", testPassword).AccessToken
	const each = 8 // 16 writes: one after another they would take 16 × busy
	for i := range each {
		addUser(t, a, fmt.Sprintf("writer%d@example.org", i), auth.RoleAuthor)
	}
	lockDatabase(t, path)

	reqs := map[string]func(i int) request{
		"a story save": func(i int) request {
			return request{method: "POST", target: "/api/admin/v1/articles", bearer: token,
				body: fmt.Sprintf(`{"headline": "Blocked story %d", "body": "Text."}`, i)}
		},
		"a login": func(i int) request {
			return request{method: "POST", target: "/api/admin/v1/auth/login", remote: fmt.Sprintf("203.0.113.%d:4000", i+1),
				body: fmt.Sprintf(`{"email": "writer%d@example.org", "password": %q}`, i, testPassword)}
		},
	}
	type result struct {
		kind string
		rec  *httptest.ResponseRecorder
		took time.Duration
	}
	results := make(chan result, each*len(reqs))
	var wg sync.WaitGroup
	for kind, req := range reqs {
		for i := range each {
			wg.Go(func() {
				start := time.Now()
				rec := send(t, h, req(i))
				results <- result{kind, rec, time.Since(start)}
			})
		}
	}
	wg.Wait()
	close(results)
	limit := busy + time.Second
	for r := range results {
		body := r.rec.Body.String()
		if r.rec.Code != http.StatusServiceUnavailable || r.rec.Header().Get("Retry-After") == "" ||
			r.rec.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(body, `"code":"unavailable"`) {
			t.Errorf("%s under another process's lock: %d Retry-After %q %s", r.kind, r.rec.Code, r.rec.Header().Get("Retry-After"), body)
		}
		if r.took > limit {
			t.Errorf("%s took %s, more than the busy timeout %s (limit %s)", r.kind, r.took, busy, limit)
		}
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("a busy database was logged as an error:\n%s", logs.String())
	}
}

// TestAWriteWhoseClientLeftIsLoggedAsCancelled gives up on a save queued
// behind a held lock: the request log says cancelled with status 499, and
// no server error is logged.
func TestAWriteWhoseClientLeftIsLoggedAsCancelled(t *testing.T) {
	var logs syncBuffer
	a, h, path := newBusyTestApp(t, 3*time.Second, &logs)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	token := login(t, h, "edda@example.org", testPassword).AccessToken
	unlock := lockDatabase(t, path)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(150*time.Millisecond, cancel)
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/api/admin/v1/articles",
		strings.NewReader(`{"headline": "Given up", "body": "Text."}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), req)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the save went on for %s after its client left", took)
	}
	unlock()

	var line string
	for l := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(l, `"route":"/api/admin/v1/articles"`) && strings.Contains(l, `"method":"POST"`) {
			line = l
		}
	}
	if !strings.Contains(line, `"msg":"request cancelled"`) || !strings.Contains(line, `"status":499`) || !strings.Contains(line, `"cancelled":true`) {
		t.Errorf("the request line of a cancelled save: %q", line)
	}
	if bytes.Contains([]byte(logs.String()), []byte(`"level":"ERROR"`)) {
		t.Errorf("a cancelled request was logged as an error:\n%s", logs.String())
	}
}
