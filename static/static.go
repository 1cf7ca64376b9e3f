// Package static embeds the admin app's CSS, JavaScript and images and
// serves them under content-hashed URLs, so browsers may cache them forever.
// Text files are compressed with gzip once, when New runs, and served
// compressed to clients that accept it. It holds no logic beyond that.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed css js img
var files embed.FS

// Assets serves the embedded files. Its zero value is not usable; call New.
type Assets struct {
	files map[string]asset // by name, e.g. "css/admin.css"
}

// asset is one embedded file: its bytes, their gzip encoding (nil when it
// would not be smaller), its content type and a short content hash.
type asset struct {
	body, gz    []byte
	contentType string
	hash        string
}

// New reads, hashes and compresses every embedded file once.
func New() *Assets {
	a := &Assets{files: map[string]asset{}}
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		f := asset{body: b, contentType: mime.TypeByExtension(path.Ext(p)), hash: hex.EncodeToString(sum[:6])}
		if f.contentType == "" {
			f.contentType = http.DetectContentType(b)
		}
		if strings.HasPrefix(f.contentType, "text/") || strings.Contains(f.contentType, "javascript") || strings.Contains(f.contentType, "svg") {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			if buf.Len() < len(b) {
				f.gz = buf.Bytes()
			}
		}
		a.files[p] = f
		return nil
	})
	return a
}

// Prefix is where the assets are mounted.
const Prefix = "/static/"

// URL returns the cache-busting URL of the named file (e.g. "css/admin.css"
// → "/static/css/admin.css?v=1a2b3c4d5e6f"). Unknown names get no version.
func (a *Assets) URL(name string) string {
	if f, ok := a.files[name]; ok {
		return Prefix + name + "?v=" + f.hash
	}
	return Prefix + name
}

// ServeHTTP serves a file below Prefix. A request carrying the file's
// current hash may be cached for a year; others must revalidate. A client
// that accepts gzip gets text files compressed; every answer says it
// varies by Accept-Encoding, and each encoding has its own ETag.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), Prefix)
	f, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == f.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	a.serve(w, r, f)
}

// Favicon returns a handler serving the site's icon (for /favicon.ico,
// which browsers ask for on pages that name none), cacheable for a day.
func (a *Assets) Favicon() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		a.serve(w, r, a.files["img/favicon.svg"])
	})
}

func (a *Assets) serve(w http.ResponseWriter, r *http.Request, f asset) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Type", f.contentType)
	body, etag := f.body, `"`+f.hash+`"`
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if AcceptsGzip(r) {
			body, etag = f.gz, `"`+f.hash+`-gzip"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// AcceptsGzip reports whether r's Accept-Encoding lists gzip (or *) with
// a quality above zero.
func AcceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "gzip" && name != "*" {
				continue
			}
			q := 1.0
			if k, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
				if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
					q = f
				}
			}
			if q > 0 {
				return true
			}
		}
	}
	return false
}
