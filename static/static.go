// Package static embeds the admin app's CSS, JavaScript and images and
// serves them under content-hashed URLs, so browsers may cache them forever.
// It holds no logic beyond that.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed css js
var files embed.FS

// Assets serves the embedded files. Its zero value is not usable; call New.
type Assets struct {
	hashes map[string]string // file name → short content hash
	fs     http.Handler
}

// New hashes every embedded file once.
func New() *Assets {
	a := &Assets{hashes: map[string]string{}, fs: http.FileServer(http.FS(files))}
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hashes[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	return a
}

// Prefix is where the assets are mounted.
const Prefix = "/static/"

// URL returns the cache-busting URL of the named file (e.g. "css/admin.css"
// → "/static/css/admin.css?v=1a2b3c4d5e6f"). Unknown names get no version.
func (a *Assets) URL(name string) string {
	if h, ok := a.hashes[name]; ok {
		return Prefix + name + "?v=" + h
	}
	return Prefix + name
}

// ServeHTTP serves a file below Prefix. A request carrying the file's
// current hash may be cached for a year; others must revalidate.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), Prefix)
	h, ok := a.hashes[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == h {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + name
	a.fs.ServeHTTP(w, r2)
}
