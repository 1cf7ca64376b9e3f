package admin

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestRenderSlotsBoundConcurrentRenders(t *testing.T) {
	gin.SetMode(gin.TestMode)
	api := &API{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	slots := make(renderSlots, 1)
	ran := 0
	r := gin.New()
	r.POST("/render", slots.limit(api, 20*time.Millisecond), func(c *gin.Context) {
		ran++
		c.Status(http.StatusNoContent)
	})
	send := func(ctx context.Context) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest("POST", "/render", nil).WithContext(ctx))
		return w
	}

	t.Run("a free slot lets the render run and is given back", func(t *testing.T) {
		for range 3 {
			if w := send(context.Background()); w.Code != http.StatusNoContent {
				t.Fatalf("status %d, want 204", w.Code)
			}
		}
		if ran != 3 || len(slots) != 0 {
			t.Fatalf("ran %d renders, %d slots held; want 3 and 0", ran, len(slots))
		}
	})

	slots <- struct{}{} // every slot busy
	t.Run("with every slot busy a request is answered 503 after the wait", func(t *testing.T) {
		w := send(context.Background())
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
			t.Fatalf("status %d, Retry-After %q; want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
		}
	})
	t.Run("a request whose client has gone stops waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if w := send(ctx); w.Code != statusClientClosed {
			t.Fatalf("status %d, want %d (the client left)", w.Code, statusClientClosed)
		}
	})
	if ran != 3 {
		t.Errorf("ran %d renders, want none beyond the first 3", ran)
	}
}
