package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// maxBodyBytes caps every request body (uploads included).
const maxBodyBytes = 12 << 20

// limitBody refuses a request whose declared body is larger than n with 413
// problem JSON, and caps the body of every other request at n bytes: a
// handler reading past the cap gets an *http.MaxBytesError and the
// connection is closed after the response.
// Requests to the paths in own are left alone: their handlers set limits of
// their own (an import's export file, admin.MaxImport).
func limitBody(n int64, own ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if slices.Contains(own, c.Request.URL.Path) {
			c.Next()
			return
		}
		if c.Request.ContentLength > n {
			body, _ := json.Marshal(map[string]any{
				"type":   "https://dateline.dev/problems/too_large",
				"title":  http.StatusText(http.StatusRequestEntityTooLarge),
				"status": http.StatusRequestEntityTooLarge,
				"detail": fmt.Sprintf("the request body is larger than %d MiB", n>>20),
				"code":   "too_large",
			})
			c.Header("Cache-Control", "no-store")
			c.Header("Connection", "close")
			c.Data(http.StatusRequestEntityTooLarge, "application/problem+json", body)
			c.Abort()
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

// adminContentSecurityPolicy lets admin pages load only their own scripts,
// styles and fonts; images may also come from https URLs (photos given by
// URL) and data: or blob: URLs (upload previews). No page may frame them.
const adminContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data: blob:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// adminSecurityHeaders sets the security headers of the admin app's pages:
// a strict Content-Security-Policy, no framing (frame-ancestors and
// X-Frame-Options DENY), no referrer to other origins and no MIME sniffing.
func adminSecurityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", adminContentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		c.Next()
	}
}

// underPath runs mw only for requests to prefix or below it (so "/admin"
// matches /admin and /admin/… but not /administrator).
func underPath(prefix string, mw gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := c.Request.URL.Path
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			mw(c)
			return
		}
		c.Next()
	}
}

// requestIDs hands out request ids: a sane incoming X-Request-Id (1 to
// 128 characters of letters, digits and -_.:) is kept; otherwise the id is
// this process's random prefix and a counter, unique without a random read
// per request.
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	return &requestIDs{prefix: rand.Text()[:12] + "-"}
}

func (r *requestIDs) next(incoming string) string {
	if n := len(incoming); n > 0 && n <= 128 && strings.Trim(incoming,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == "" {
		return incoming
	}
	return r.prefix + strconv.FormatUint(r.n.Add(1), 10)
}
