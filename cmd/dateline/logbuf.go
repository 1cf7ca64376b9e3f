package main

import (
	"context"
	"io"
	"sync"
	"time"
)

// logBuffer batches log lines on their way to the terminal or file, so
// that a busy server does not make one write system call per request. Each
// Write is one whole line from slog, kept whole. Lines reach the
// destination when the buffer fills, at every flush interval, and on Flush;
// a crash can lose at most one interval of lines.
type logBuffer struct {
	mu  sync.Mutex
	dst io.Writer
	buf []byte
}

const (
	logBufferSize  = 64 << 10
	logFlushPeriod = 100 * time.Millisecond
)

func newLogBuffer(dst io.Writer) *logBuffer {
	return &logBuffer{dst: dst, buf: make([]byte, 0, logBufferSize)}
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf)+len(p) > logBufferSize {
		if err := l.flushLocked(); err != nil {
			return 0, err
		}
	}
	if len(p) >= logBufferSize {
		return l.dst.Write(p)
	}
	l.buf = append(l.buf, p...)
	return len(p), nil
}

// Flush writes out what is buffered.
func (l *logBuffer) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.flushLocked()
}

func (l *logBuffer) flushLocked() error {
	if len(l.buf) == 0 {
		return nil
	}
	_, err := l.dst.Write(l.buf)
	l.buf = l.buf[:0]
	return err
}

// run flushes every logFlushPeriod until ctx ends, then once more.
func (l *logBuffer) run(ctx context.Context) {
	t := time.NewTicker(logFlushPeriod)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			l.Flush()
			return
		case <-t.C:
			l.Flush()
		}
	}
}
