package admin

import (
	"runtime"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// renderWait is how long a request that renders markdown waits for a free
// render slot before it is answered 503 with Retry-After.
const renderWait = 5 * time.Second

// renderSlots bounds how many requests render markdown at once (saves,
// restores and the live preview), so a burst of large bodies cannot take
// every core: a render of a body at the size cap costs up to a few hundred
// milliseconds of CPU. The zero value admits none; use newRenderSlots.
type renderSlots chan struct{}

// newRenderSlots admits as many renders at once as the process has cores.
func newRenderSlots() renderSlots {
	return make(renderSlots, runtime.GOMAXPROCS(0))
}

// limit is middleware that holds a render slot for the rest of the request.
// A request waits at most wait for one, then gets a 503; a request whose
// client has gone stops waiting and is logged as cancelled (499).
func (s renderSlots) limit(api *API, wait time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case s <- struct{}{}:
		case <-t.C:
			api.problem(c, content.Errorf(content.EUNAVAILABLE, "the server is busy rendering other stories; try again in a moment"))
			return
		case <-c.Request.Context().Done():
			api.problem(c, content.Errorf(content.EUNAVAILABLE, "the request was cancelled while waiting to render"))
			return
		}
		defer func() { <-s }()
		c.Next()
	}
}
