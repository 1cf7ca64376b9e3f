package main

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// statusClientClosed is the status logged for a request whose client went
// away before it was answered (nginx's 499); nobody receives it.
const statusClientClosed = 499

// requestLog writes one log line per request: method, route, path, status,
// duration, size and request id. It accepts a sane incoming X-Request-Id or
// makes one, and echoes it in the response. Query strings and headers are
// left out: they may carry tokens, passwords or cookies.
//
// With sample above 1 only one in sample successful requests (status below
// 400) that took less than slow is logged, with the attribute sample=N so
// that counts can be scaled back; every error, every slow request and every
// request whose client went away is logged. A request whose client went
// away is logged as "request cancelled" with status 499 unless the handler
// answered otherwise. Lines go through lines when it is set (the server's
// own handler, written faster: requestLines), else through log's handler.
func requestLog(log *slog.Logger, lines *requestLines, sample int, slow time.Duration) gin.HandlerFunc {
	ids := newRequestIDs()
	var seen atomic.Uint64
	return func(c *gin.Context) {
		start := time.Now()
		id := ids.next(c.GetHeader("X-Request-Id"))
		c.Writer.Header()["X-Request-Id"] = []string{id}
		c.Next()
		ctx := c.Request.Context()
		if !log.Enabled(ctx, slog.LevelInfo) {
			return
		}
		now := time.Now()
		l := requestLine{at: now, msg: "request", method: c.Request.Method, status: c.Writer.Status(),
			took: now.Sub(start), bytes: c.Writer.Size(), id: id}
		l.cancelled = ctx.Err() != nil
		if l.cancelled {
			l.msg = "request cancelled"
			if !c.Writer.Written() {
				l.status = statusClientClosed
			}
		}
		sampled := sample > 1 && l.status < 400 && l.took < slow && !l.cancelled
		if sampled {
			if seen.Add(1)%uint64(sample) != 0 {
				return
			}
			l.sample = sample
		}
		if l.route = c.FullPath(); l.route == "" {
			l.route = "unmatched"
		}
		if path := c.Request.URL.Path; path != l.route {
			l.path = path
		}
		if lines != nil {
			lines.write(ctx, &l)
		} else {
			logLine(ctx, log, &l)
		}
	}
}
