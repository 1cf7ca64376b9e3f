package admin

import (
	"bytes"
	"compress/gzip"

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
//   - the login page and preview pages: they hold no secret (logins are
//     checked by origin, not by a token in the page) and reflect no input
//     besides the login page's "next" path;
//   - the pages behind a session: private newsroom text, so only when the
//     URL has no query string, the one input they reflect (filters,
//     searches);
//   - never the setup page (it reflects its one-time token from the URL)
//     nor the JSON API under /api/admin/v1, whose answers carry tokens,
//     API keys and webhook secrets beside fields of the request.

// writeHTML answers with the HTML page body, gzip-compressed when the
// client accepts it and compress is true; either way the answer says it
// varies by Accept-Encoding.
func writeHTML(c *gin.Context, status int, body []byte, compress bool) {
	c.Writer.Header().Add("Vary", "Accept-Encoding")
	if compress && static.AcceptsGzip(c.Request) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(body)
		if zw.Close() == nil {
			c.Header("Content-Encoding", "gzip")
			body = buf.Bytes()
		}
	}
	c.Data(status, "text/html; charset=utf-8", body)
}

// compressPage says whether the admin page name, asked for by c, may be
// compressed (see above).
func compressPage(c *gin.Context, name string) bool {
	switch name {
	case "setup":
		return false
	case "login":
		return true
	}
	return c.Request.URL.RawQuery == ""
}
