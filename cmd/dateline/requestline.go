package main

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// requestLine is what the request log says of one request.
type requestLine struct {
	at        time.Time // when it was answered
	msg       string    // "request" or "request cancelled"
	method    string
	route     string
	path      string // "" when it is the route
	status    int
	took      time.Duration
	bytes     int
	id        string
	cancelled bool
	sample    int // 0 when not sampled
}

// attrs returns the line's attributes, in the order they are written.
func (l *requestLine) attrs() []slog.Attr {
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("method", l.method),
		slog.String("route", l.route),
		slog.Int("status", l.status),
		slog.Duration("duration", l.took),
		slog.Int("bytes", l.bytes),
		slog.String("request_id", l.id),
	)
	if l.path != "" {
		attrs = append(attrs, slog.String("path", l.path)) // routes with parameters
	}
	if l.cancelled {
		attrs = append(attrs, slog.Bool("cancelled", true))
	}
	if l.sample > 0 {
		attrs = append(attrs, slog.Int("sample", l.sample))
	}
	return attrs
}

// logLine writes l through log, as any other record.
func logLine(ctx context.Context, log *slog.Logger, l *requestLine) {
	r := slog.NewRecord(l.at, slog.LevelInfo, l.msg, 0)
	r.AddAttrs(l.attrs()...)
	_ = log.Handler().Handle(ctx, r)
}

// requestLines writes request log lines straight into the log's writer,
// byte for byte as the server's slog handler (slog.NewTextHandler or
// slog.NewJSONHandler, with no options but the level: newLogger) writes
// them, at a fraction of the cost: a busy server logs tens of thousands
// of lines a second, and the handler's generic formatting was a tenth of
// the CPU of a cached read. A line with a value that would need quoting or
// escaping (a path with spaces, quotes or other scripts) goes through the
// handler instead, so what is written is always the handler's format.
type requestLines struct {
	log  *slog.Logger // the handler, for lines this cannot write itself
	w    io.Writer    // the handler's writer: shared (sharedWriter), whole lines
	json bool
	bufs sync.Pool
}

// sharedWriter serializes the writes of the slog handler and of
// requestLines to one writer.
type sharedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *sharedWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// write writes l.
func (rl *requestLines) write(ctx context.Context, l *requestLine) {
	if !plainValue(l.method) || !plainValue(l.route) || !plainValue(l.id) || l.path != "" && !plainValue(l.path) {
		logLine(ctx, rl.log, l)
		return
	}
	bp, _ := rl.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b := (*bp)[:0]
	if rl.json {
		b = rl.appendJSON(b, l)
	} else {
		b = rl.appendText(b, l)
	}
	_, _ = rl.w.Write(b)
	*bp = b
	rl.bufs.Put(bp)
}

// appendText appends l as slog's TextHandler writes it.
func (rl *requestLines) appendText(b []byte, l *requestLine) []byte {
	b = append(b, "time="...)
	b = appendRFC3339Millis(b, l.at)
	b = append(b, " level=INFO msg="...)
	if l.cancelled || l.msg != "request" {
		b = strconv.AppendQuote(b, l.msg)
	} else {
		b = append(b, l.msg...)
	}
	b = append(b, " method="...)
	b = append(b, l.method...)
	b = append(b, " route="...)
	b = append(b, l.route...)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(l.status), 10)
	b = append(b, " duration="...)
	b = append(b, l.took.String()...)
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, int64(l.bytes), 10)
	b = append(b, " request_id="...)
	b = append(b, l.id...)
	if l.path != "" {
		b = append(b, " path="...)
		b = append(b, l.path...)
	}
	if l.cancelled {
		b = append(b, " cancelled=true"...)
	}
	if l.sample > 0 {
		b = append(b, " sample="...)
		b = strconv.AppendInt(b, int64(l.sample), 10)
	}
	return append(b, '\n')
}

// appendJSON appends l as slog's JSONHandler writes it.
func (rl *requestLines) appendJSON(b []byte, l *requestLine) []byte {
	b = append(b, `{"time":"`...)
	b = l.at.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"INFO","msg":"`...)
	b = append(b, l.msg...)
	b = append(b, `","method":"`...)
	b = append(b, l.method...)
	b = append(b, `","route":"`...)
	b = append(b, l.route...)
	b = append(b, `","status":`...)
	b = strconv.AppendInt(b, int64(l.status), 10)
	b = append(b, `,"duration":`...)
	b = strconv.AppendInt(b, int64(l.took), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, int64(l.bytes), 10)
	b = append(b, `,"request_id":"`...)
	b = append(b, l.id...)
	b = append(b, '"')
	if l.path != "" {
		b = append(b, `,"path":"`...)
		b = append(b, l.path...)
		b = append(b, '"')
	}
	if l.cancelled {
		b = append(b, `,"cancelled":true`...)
	}
	if l.sample > 0 {
		b = append(b, `,"sample":`...)
		b = strconv.AppendInt(b, int64(l.sample), 10)
	}
	return append(b, "}\n"...)
}

// appendRFC3339Millis appends t as slog's TextHandler writes times: RFC
// 3339 with exactly three digits of fraction, truncated.
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10) // four digits, never trimmed
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...) // drop the fourth
}

// plainValue reports whether s is written as it is by both slog handlers:
// not empty, and only ASCII letters, digits and punctuation that neither
// needs quoting in text (space, '=', '"') nor escaping in JSON ('"', '\\',
// controls); '<', '>' and '&' are left out too, to stay clear of any HTML
// escaping.
func plainValue(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !plainByte[s[i]] {
			return false
		}
	}
	return true
}

var plainByte = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = true
	}
	for _, c := range `"\=<>&` {
		t[c] = false
	}
	return t
}()
