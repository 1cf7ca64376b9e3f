package delivery

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/gin-gonic/gin"

	"dateline/content"
)

// HTTP caching of the delivery API and the response cache: see the
// package doc (doc.go) for the contract.

// Caching configures the HTTP caching of the delivery API.
type Caching struct {
	MaxAge               time.Duration // Cache-Control max-age
	StaleWhileRevalidate time.Duration // Cache-Control stale-while-revalidate
	MaxBytes             int64         // response cache size; 0 disables it
}

// defaultCaching is the caching of an API whose Options name none: the
// defaults of config.yaml.
func defaultCaching() Caching {
	return Caching{MaxAge: 30 * time.Second, StaleWhileRevalidate: 60 * time.Second, MaxBytes: 4 << 20}
}

// generationer is what the response cache reads of the store.
type generationer interface {
	Generation() uint64
}

// setCaching applies c; NewWithOptions calls it once.
func (api *API) setCaching(c Caching) {
	api.cacheControl = []string{"public, max-age=" + strconv.Itoa(int(c.MaxAge.Seconds())) +
		", stale-while-revalidate=" + strconv.Itoa(int(c.StaleWhileRevalidate.Seconds()))}
	if api.Store != nil && c.MaxBytes > 0 {
		api.cache = newResponseCache(api.Store, c.MaxBytes)
	}
}

// Header values shared by every read; net/http does not modify them.
var (
	allowOriginValue = []string{"*"}
	exposeValue      = []string{"ETag"}
	nosniffValue     = []string{"nosniff"}
	jsonType         = []string{"application/json; charset=utf-8"}
	rssType          = []string{"application/rss+xml; charset=utf-8"}
	atomType         = []string{"application/atom+xml; charset=utf-8"}
	jsonFeedType     = []string{"application/feed+json; charset=utf-8"}
	xmlType          = []string{"application/xml; charset=utf-8"}
)

// readHeaders sets the headers every public read carries.
func (api *API) readHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h["Access-Control-Allow-Origin"] = allowOriginValue
	h["Access-Control-Expose-Headers"] = exposeValue
	h["X-Content-Type-Options"] = nosniffValue
	c.Next()
}

// Preflight answers a CORS preflight (OPTIONS) for a read of any API path;
// the server routes OPTIONS requests under /api/v1 to it.
func (api *API) Preflight(c *gin.Context) {
	h := c.Writer.Header()
	h["Access-Control-Allow-Origin"] = allowOriginValue
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since, Cache-Control, Accept, Accept-Language")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Cache-Control", "public, max-age=86400")
	c.Status(http.StatusNoContent)
}

// pendingEntry tells writeJSON where to keep the response it writes.
type pendingEntry struct {
	key string
	gen uint64
}

const pendingKey = "delivery.cache"

// cached serves a GET from the response cache when it holds the answer for
// the current generation; otherwise it lets the handler run and writeJSON
// keep the answer. Only wrap routes whose response depends on nothing but
// the path, the query and the stored content.
func (api *API) cached(c *gin.Context) {
	rc := api.cache
	if rc == nil {
		return
	}
	gen := rc.store.Generation()
	var buf [256]byte
	key := appendCacheKey(buf[:0], c.Request)
	if e := rc.get(key, gen); e != nil {
		h := c.Writer.Header()
		h["Etag"] = e.etag
		h["Cache-Control"] = api.cacheControl
		if notModified(c.Request, e.etag[0]) {
			trimForNotModified(h)
			c.AbortWithStatus(http.StatusNotModified)
			return
		}
		h["Content-Type"] = e.contentType
		if e.surrogate != nil {
			h["Surrogate-Key"] = e.surrogate
		}
		h["Content-Length"] = e.contentLength
		c.Status(http.StatusOK)
		if c.Request.Method == http.MethodHead {
			c.Writer.WriteHeaderNow()
		} else {
			c.Writer.Write(e.body)
		}
		c.Abort()
		return
	}
	c.Set(pendingKey, pendingEntry{key: string(key), gen: gen})
}

// maxSortedParams is the most query parameters appendCacheKey sorts
// without allocating; longer queries are sorted on the heap.
const maxSortedParams = 16

// appendCacheKey appends the cache key of r to dst: the path and the query
// with its raw parameters sorted, so that the order a client writes them
// in does not matter. (Parameters escaped differently make different keys:
// a miss, never a wrong answer.)
func appendCacheKey(dst []byte, r *http.Request) []byte {
	dst = append(dst, r.URL.Path...)
	dst = append(dst, '?')
	raw := r.URL.RawQuery
	if !strings.Contains(raw, "&") {
		return append(dst, raw...)
	}
	var fixed [maxSortedParams]string
	params := fixed[:0]
	for p := range strings.SplitSeq(raw, "&") {
		params = append(params, p)
	}
	slices.Sort(params)
	for i, p := range params {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p...)
	}
	return dst
}

// cacheKey is appendCacheKey's key as a string.
func cacheKey(r *http.Request) string { return string(appendCacheKey(nil, r)) }

// writeJSON writes v as JSON with the given status. A 200 gets a strong
// ETag, the Cache-Control policy (unless the handler set its own) and, if
// the request already holds that ETag, is answered 304 without a body; on
// a cached route, and without a policy of the handler's, it is kept.
func (api *API) writeJSON(c *gin.Context, status int, v any) {
	var buf bytes.Buffer
	if err := encodeJSON(&buf, v); err != nil {
		api.problem(c, err)
		return
	}
	api.writeBody(c, status, buf.Bytes())
}

// writeBody writes body, JSON, as writeJSON does. The response cache
// keeps a copy of what it keeps, so the caller may reuse body after.
func (api *API) writeBody(c *gin.Context, status int, body []byte) {
	api.writeTyped(c, status, jsonType, body)
}

// writeTyped writes body with the given Content-Type as writeJSON does:
// feeds and sitemaps get the same validators and policy as JSON reads.
func (api *API) writeTyped(c *gin.Context, status int, contentType []string, body []byte) {
	h := c.Writer.Header()
	h["Content-Type"] = contentType
	if status != http.StatusOK {
		c.Status(status)
		c.Writer.Write(body)
		return
	}
	etag := etagOf(body)
	h["Etag"] = etag
	own := h["Cache-Control"] // a handler's own policy (preview, changes) stands
	if own == nil {
		h["Cache-Control"] = api.cacheControl
	}
	if p, ok := c.Get(pendingKey); ok && api.cache != nil && own == nil {
		api.cache.put(p.(pendingEntry).gen, &cachedResponse{key: p.(pendingEntry).key, body: body, etag: etag,
			surrogate: h["Surrogate-Key"], contentType: contentType})
	}
	if notModified(c.Request, etag[0]) {
		trimForNotModified(h)
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	c.Status(http.StatusOK)
	if c.Request.Method == http.MethodHead {
		c.Writer.WriteHeaderNow()
		return
	}
	if _, err := c.Writer.Write(body); err != nil {
		api.Log.WarnContext(c.Request.Context(), "write response", "err", err)
	}
}

// etagOf returns the strong ETag of body: its 64-bit xxHash. An ETag
// needs to change with the body, not to resist forgery (anyone can read
// the body), and xxHash is several times faster than a cryptographic hash
// on the tens of kilobytes of a list; 64 bits make two versions of one URL
// that share a tag vanishingly unlikely.
func etagOf(body []byte) []string {
	var sum [8]byte
	binary.BigEndian.PutUint64(sum[:], xxhash.Sum64(body))
	return []string{`"` + base64.RawURLEncoding.EncodeToString(sum[:]) + `"`}
}

// notModified reports whether the request's If-None-Match names etag (weak
// comparison, as RFC 9110 prescribes for If-None-Match) or is "*".
func notModified(r *http.Request, etag string) bool {
	inm := r.Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// trimForNotModified drops from a 304 the headers that describe a body:
// the client and any CDN keep them from the 200 they revalidate (RFC 9110
// §15.4.5 asks only for ETag, Cache-Control, Vary and the like).
func trimForNotModified(h http.Header) {
	delete(h, "Content-Type")
	delete(h, "Content-Length")
	delete(h, "Surrogate-Key")
	delete(h, "Access-Control-Expose-Headers")
	delete(h, "X-Content-Type-Options")
}

// surrogateKeys sets the Surrogate-Key header: space-separated purge keys.
func surrogateKeys(c *gin.Context, keys []string) {
	c.Writer.Header()["Surrogate-Key"] = []string{strings.Join(keys, " ")}
}

// location returns a's dateline zone (the newsroom's when it has none or an
// unknown one). time.LoadLocation reads the zone database on every call, so
// each zone is loaded once; stored zones are validated IANA names, so the
// map stays small.
func (api *API) location(a *content.Article) *time.Location {
	name := a.Dateline.TimeZone
	if name == "" {
		return api.Zone
	}
	if loc, ok := api.zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc := a.Location(api.Zone)
	api.zones.Store(name, loc)
	return loc
}
