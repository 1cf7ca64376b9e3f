package admin

import (
	"compress/gzip"
	"strings"

	"github.com/gin-gonic/gin"

	"dateline/static"
)

// Compression of the admin app's pages. gzip only: no brotli encoder is a
// dependency, and gzip takes the pages to about a fifth of their size.
// The assets (CSS, JavaScript, images) are compressed once, when the
// server starts, by package static.
//
// What is compressed, and what is not, because a response that carries a
// secret beside input the requester chose lets a cross-site observer of
// response sizes guess the secret a byte at a time (BREACH):
//   - the login page and preview pages (gzipPage): they hold no secret
//     (logins are checked by origin, not by a token in the page) and
//     reflect no input besides the login page's "next" path;
//   - the pages behind a session (gzipPrivatePage): private newsroom text,
//     so only when the URL has no query string, the one input they
//     reflect (filters, searches);
//   - never the setup page (it reflects its one-time token from the URL)
//     nor the JSON API under /api/admin/v1, whose answers carry tokens,
//     API keys and webhook secrets beside fields of the request.

// gzipPage compresses HTML, CSS and JavaScript answers for clients that
// accept gzip, and says that the answer varies by Accept-Encoding.
func gzipPage(c *gin.Context) {
	c.Writer.Header().Add("Vary", "Accept-Encoding")
	if !static.AcceptsGzip(c.Request) {
		c.Next()
		return
	}
	w := &gzipWriter{ResponseWriter: c.Writer}
	c.Writer = w
	defer w.close()
	c.Next()
}

// gzipPrivatePage is gzipPage for pages with private text: a request with
// a query string is answered uncompressed.
func gzipPrivatePage(c *gin.Context) {
	if c.Request.URL.RawQuery != "" {
		c.Writer.Header().Add("Vary", "Accept-Encoding")
		c.Next()
		return
	}
	gzipPage(c)
}

// compressible reports whether a content type is worth compressing: HTML,
// CSS, JavaScript, SVG and JSON.
func compressible(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	switch strings.TrimSpace(strings.ToLower(ct)) {
	case "text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/plain":
		return true
	}
	return false
}

// gzipWriter compresses the body once its first byte is written, when
// the content type is known, if the type is compressible and the handler
// has not encoded the body itself.
type gzipWriter struct {
	gin.ResponseWriter
	zw      *gzip.Writer
	decided bool
}

func (w *gzipWriter) decide() {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	if h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) {
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	w.zw = gzip.NewWriter(w.ResponseWriter)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	w.decide()
	if w.zw == nil {
		return w.ResponseWriter.Write(b)
	}
	return w.zw.Write(b)
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w *gzipWriter) Flush() {
	if w.zw != nil {
		w.zw.Flush()
	}
	w.ResponseWriter.Flush()
}

func (w *gzipWriter) close() {
	if w.zw != nil {
		w.zw.Close()
	}
}
