package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

// TestARestartServesStoriesThatFellDueWhileDownOnTheFirstRequest stops
// nothing by hand: it writes stories whose publish_at passed while no
// server ran, starts `dateline serve` on that data directory and sends its
// first request the moment the port accepts a connection. The story due
// last must already be public, and published_at is the time the story
// became visible (the catch-up), not its publish_at.
func TestARestartServesStoriesThatFellDueWhileDownOnTheFirstRequest(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "dateline.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const overdue = 60
	due := time.Now().Add(-time.Hour).Truncate(time.Second)
	var first, last *content.Article
	for i := range overdue {
		art, err := db.CreateArticle(ctx, content.Edit{Headline: fmt.Sprintf("Overdue story %d", i), Body: "Text."}, "")
		if err != nil {
			t.Fatal(err)
		}
		at := due.Add(time.Duration(i) * time.Second)
		if _, err := db.ChangeStatus(ctx, art.ID, content.StatusChange{From: []content.Status{content.StatusDraft},
			To: content.StatusScheduled, PublishAt: &at}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = art
		}
		last = art
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := writeFile(cfg, []byte("log_level: warn\nmetrics_addr: \"127.0.0.1:0\"\n")); err != nil {
		t.Fatal(err)
	}
	srvCtx, cancel := context.WithCancel(ctx)
	var out, errOut syncBuffer
	done := make(chan error, 1)
	started := time.Now()
	go func() {
		done <- run(srvCtx, []string{"serve", "--addr", addr, "--data", dir}, envOf(map[string]string{"DATELINE_CONFIG": cfg}), &out, &errOut)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not shut down")
		}
	})

	var conn net.Conn
	for deadline := time.Now().Add(60 * time.Second); conn == nil; {
		if time.Now().After(deadline) {
			t.Fatalf("the port never accepted:\n%s%s", out.String(), errOut.String())
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, errOut.String())
		default:
		}
		if conn, err = net.DialTimeout("tcp", addr, time.Second); err != nil {
			conn = nil
			time.Sleep(time.Millisecond)
		}
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /api/v1/articles/%s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", last.Slug, addr)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the first request for a story due while the server was down: %d %s", res.StatusCode, b)
	}

	var story struct {
		PublishedAt time.Time `json:"published_at"`
	}
	if code := getJSON(t, "http://"+addr+"/api/v1/articles/"+first.Slug, &story); code != http.StatusOK {
		t.Fatalf("the story due first: %d", code)
	}
	if story.PublishedAt.Before(started.Truncate(time.Second)) || story.PublishedAt.After(time.Now()) {
		t.Errorf("published_at = %s, want the time it became visible (after the start at %s), not its publish_at %s",
			story.PublishedAt, started, due)
	}
	if err := json.Unmarshal(b, &story); err != nil || !story.PublishedAt.After(due) {
		t.Errorf("published_at of the last story = %s (%v), want after its due time %s", story.PublishedAt, err, due)
	}
}
