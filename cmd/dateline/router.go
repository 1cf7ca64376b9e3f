package main

import (
	"context"
	"html"
	"io/fs"
	"net/http"
	"path"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"

	"dateline/admin"
	"dateline/auth"
	"dateline/content/delivery"
	"dateline/content/webhook"
	"dateline/static"
)

// newRouter builds the whole HTTP surface: the engine with the
// process-level middleware (newEngine), then every route (mount). Tests
// use this same constructor.
func newRouter(a *app) *gin.Engine {
	r := newEngine(a)
	a.mount(r)
	return r
}

// newEngine returns the engine with the process's settings and the
// middleware every request runs: the request log, panic recovery, request
// metrics, the body limit and the admin app's security headers.
func newEngine(a *app) *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	if err := r.SetTrustedProxies(nil); err != nil {
		a.log.Warn("trusted proxies", "err", err)
	}
	if len(a.cfg.TrustedProxies) > 0 {
		if err := r.SetTrustedProxies(a.cfg.TrustedProxies); err != nil {
			a.log.Warn("trusted proxies", "err", err)
		}
	}
	r.Use(requestLog(a.log, a.lines, a.cfg.LogSample, a.cfg.LogSlow), gin.CustomRecovery(func(c *gin.Context, v any) {
		a.log.Error("panic serving request", "path", c.Request.URL.Path, "panic", v)
		c.AbortWithStatus(http.StatusInternalServerError)
	}))
	if a.metrics == nil {
		a.metrics = newMetricsRegistry(a.db)
	}
	r.Use(requestMetrics(a.metrics), limitBody(maxBodyBytes, "/api/admin/v1/imports"), underPath("/admin", adminSecurityHeaders()))
	return r
}

// mount registers the routes on r: the public API (delivery.Mount lists
// them), the admin app (admin/routes.go lists them) and the process's own:
// health, uploaded media, the index page and, with metrics_token, /metrics
// (which otherwise has a listener of its own, serve.go).
func (a *app) mount(r *gin.Engine) {
	tokens := newTokens(a)
	api := delivery.NewWithOptions(a.db, a.deliveryOptions())
	// Preview links: a grant in the database, rendered once when made,
	// served as stored by the delivery API until revoked or expired.
	api.Preview = &delivery.PreviewSource{Tokens: tokens, Revisions: a.db, Grants: a.db}
	delivery.Mount(r, api)
	adm := admin.NewHandler(r, a.adminOptions(tokens, api))

	if a.cfg.MetricsToken != "" {
		r.GET("/metrics", requireBearer(a.cfg.MetricsToken), gin.WrapH(metricsHandler(a.metrics)))
	}
	r.GET("/healthz", a.handleHealth)
	r.GET("/media/*name", serveMedia(filepath.Join(a.cfg.DataDir, "media")))
	r.GET("/", a.handleIndex)
	r.NoMethod(func(c *gin.Context) {
		if c.Request.Method == http.MethodOptions && strings.HasPrefix(c.Request.URL.Path, "/api/v1/") {
			api.Preflight(c)
		}
	})
	r.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/v1/") {
			api.NotFound(c)
			return
		}
		if strings.HasPrefix(c.Request.URL.Path, "/api/admin/v1/") {
			adm.NotFound(c)
			return
		}
		if strings.HasPrefix(c.Request.URL.Path, "/admin/") {
			adm.NotFoundPage(c) // the 404 page in the admin layout
			return
		}
		c.String(http.StatusNotFound, "404 page not found\n")
	})
}

// adminOptions configures the admin app. Its preview links are rendered
// by api, the delivery API that serves them.
func (a *app) adminOptions(tokens *auth.Tokens, api *delivery.API) admin.HandlerOptions {
	var sched admin.ScheduleSource // a nil *schedule.Scheduler would not be a nil interface
	if a.sched != nil {
		sched = a.sched
	}
	hookKick := func() {}
	if a.hooks != nil {
		hookKick = a.hooks.Kick
	}
	renditionKick := func() {}
	if a.renditions != nil {
		renditionKick = a.renditions.Kick
	}
	return admin.HandlerOptions{
		Store:     a.db,
		Tokens:    tokens,
		Passwords: auth.NewPasswords(auth.DefaultArgon2, a.cfg.PasswordHashMemoryMB, auth.HashQueueWait),
		Files:     a.mediaFiles(),
		Photos:    admin.Photos{Budget: a.images, Wait: a.cfg.ImageWait, Spool: a.spoolDir(), Kick: renditionKick},
		Imports:   admin.ImportOptions{PhotoClient: a.photoClient(), SpoolDir: a.cfg.DataDir, Zone: a.cfg.TimeZone},
		Previews:  api, PreviewTTL: a.cfg.PreviewTTL, BaseURL: a.cfg.BaseURL, PreviewURL: a.cfg.PreviewURL,
		Schedule:    sched,
		WebhookKick: hookKick,
		CheckWebhookURL: func(ctx context.Context, u string) error {
			return webhook.CheckTarget(ctx, u, a.cfg.WebhooksAllowPrivate, webhook.ResolveHost)
		},
		Assets:     static.New(),
		SiteName:   a.cfg.SiteName,
		ArticleURL: a.cfg.ArticleURL,
		TrashDays:  a.cfg.TrashDays,
		Settings:   a.cfg.settings(),
		Zone:       a.cfg.location(),
		Clock12:    a.cfg.Clock == "12h",
		Log:        a.log,
		Now:        a.sessionClock(),
		StoreNow:   a.db.Now,
	}
}

// handleHealth serves GET /healthz: 200 while the database answers.
func (a *app) handleHealth(c *gin.Context) {
	if err := a.db.Ping(c.Request.Context()); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": version})
}

// handleIndex serves GET /, a page that points to the admin app and the
// public API.
func (a *app) handleIndex(c *gin.Context) {
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(indexPage(a.cfg.SiteName)))
}

// serveMedia serves the uploads in dir under /media/: cacheable forever,
// readable from any origin, never sniffed.
func serveMedia(dir string) gin.HandlerFunc {
	media := http.StripPrefix("/media/", http.FileServer(mediaDir(dir)))
	return func(c *gin.Context) {
		c.Header("X-Content-Type-Options", "nosniff")
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
		c.Header("Access-Control-Allow-Origin", "*")
		media.ServeHTTP(c.Writer, c.Request)
	}
}

// mediaDir serves files from a directory but never lists it, nor serves
// hidden files (those of uploads being written).
type mediaDir string

func (d mediaDir) Open(name string) (http.File, error) {
	if strings.HasPrefix(path.Base(name), ".") {
		return nil, fs.ErrNotExist
	}
	f, err := http.Dir(d).Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || st.IsDir() {
		f.Close()
		return nil, fs.ErrNotExist
	}
	return f, nil
}

func indexPage(site string) string {
	return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Dateline</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>Dateline</h1><p>This server runs the newsroom of <strong>` + html.EscapeString(site) + `</strong>.</p>
<ul><li><a href="/admin">/admin</a>: the admin app for editors</li>
<li><a href="/api/v1/articles">/api/v1/articles</a>: published stories as JSON</li>
<li><a href="/api/v1/tags">/api/v1/tags</a>: topics</li>
<li><a href="/api/v1/authors">/api/v1/authors</a>: authors of published stories</li>
<li><a href="/api/v1/corrections">/api/v1/corrections</a>: the corrections log</li>
<li><a href="/api/v1/feeds/rss.xml">RSS</a>, <a href="/api/v1/feeds/atom.xml">Atom</a> and <a href="/api/v1/feeds/feed.json">JSON Feed</a>: the latest stories</li>
<li><a href="/sitemap.xml">/sitemap.xml</a>, <a href="/news-sitemap.xml">/news-sitemap.xml</a>: sitemaps</li>
<li><a href="/api/v1/openapi.json">/api/v1/openapi.json</a>: the API described in OpenAPI 3.1</li>
<li><a href="/healthz">/healthz</a>: health</li></ul></body></html>`
}
