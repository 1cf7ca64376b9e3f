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
// answered otherwise.
func requestLog(log *slog.Logger, sample int, slow time.Duration) gin.HandlerFunc {
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
		took := time.Since(start)
		status := c.Writer.Status()
		msg := "request"
		cancelled := ctx.Err() != nil
		if cancelled {
			msg = "request cancelled"
			if !c.Writer.Written() {
				status = statusClientClosed
			}
		}
		sampled := sample > 1 && status < 400 && took < slow && !cancelled
		if sampled && seen.Add(1)%uint64(sample) != 0 {
			return
		}
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		attrs := make([]slog.Attr, 0, 9)
		attrs = append(attrs,
			slog.String("method", c.Request.Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Duration("duration", took),
			slog.Int("bytes", c.Writer.Size()),
			slog.String("request_id", id),
		)
		if path := c.Request.URL.Path; path != route {
			attrs = append(attrs, slog.String("path", path)) // routes with parameters
		}
		if cancelled {
			attrs = append(attrs, slog.Bool("cancelled", true))
		}
		if sampled {
			attrs = append(attrs, slog.Int("sample", sample))
		}
		log.LogAttrs(ctx, slog.LevelInfo, msg, attrs...)
	}
}
