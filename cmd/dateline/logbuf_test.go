package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingWriter counts the writes that reach it.
type countingWriter struct {
	mu     sync.Mutex
	writes int
	b      bytes.Buffer
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	return w.b.Write(p)
}

func (w *countingWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func TestLogBufferBatchesWholeLines(t *testing.T) {
	dst := &countingWriter{}
	lb := newLogBuffer(dst)
	line := strings.Repeat("x", 99) + "\n"
	for range 2000 { // 200 KB: a few buffer-fulls
		lb.Write([]byte(line))
	}
	if err := lb.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := dst.String(); got != strings.Repeat(line, 2000) {
		t.Fatalf("lines were lost or split: %d bytes", len(got))
	}
	if dst.writes > 5 {
		t.Errorf("%d writes for 2000 lines, want a handful", dst.writes)
	}
}

func TestLogBufferFlushesPeriodicallyAndOnShutdown(t *testing.T) {
	dst := &countingWriter{}
	lb := newLogBuffer(dst)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { lb.run(ctx); close(done) }()
	lb.Write([]byte("first\n"))
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(dst.String(), "first") {
		if time.Now().After(deadline) {
			t.Fatal("a buffered line was never flushed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	lb.Write([]byte("last\n"))
	cancel()
	<-done
	if !strings.HasSuffix(dst.String(), "last\n") {
		t.Errorf("shutdown lost the last line: %q", dst.String())
	}
}
