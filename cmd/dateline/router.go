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
	"dateline/content/delivery"
	"dateline/content/webhook"
	"dateline/static"
)

// newRouter builds the whole HTTP surface: every route of the server is
// registered here, and tests use this same constructor.
func newRouter(a *app) *gin.Engine {
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
	r.Use(requestLog(a.log, a.cfg.LogSample, a.cfg.LogSlow), gin.CustomRecovery(func(c *gin.Context, v any) {
		a.log.Error("panic serving request", "path", c.Request.URL.Path, "panic", v)
		c.AbortWithStatus(http.StatusInternalServerError)
	}))
	// Request metrics, the body limit, the admin app's security headers.
	// /metrics has a listener of its own (serve.go); here it is served only
	// with metrics_token, to requests that carry it.
	if a.metrics == nil {
		a.metrics = newMetricsRegistry(a.db)
	}
	r.Use(requestMetrics(a.metrics), limitBody(maxBodyBytes, "/api/admin/v1/imports"), underPath("/admin", adminSecurityHeaders()))
	if a.cfg.MetricsToken != "" {
		r.GET("/metrics", requireBearer(a.cfg.MetricsToken), gin.WrapH(metricsHandler(a.metrics)))
	}

	api := delivery.NewWithOptions(a.db, a.deliveryOptions())
	api.SetCaching(a.cfg.caching())
	api.Routes(r.Group("/api/v1"))

	// Sitemaps live outside /api/v1: /sitemap.xml, /sitemaps/{n}.xml,
	// /news-sitemap.xml.
	api.SitemapRoutes(r)

	// Admin JSON API, /api/admin/v1. adminPublic needs no token; adminAuthed
	// runs the authentication middleware first.
	adminAPI := r.Group("/api/admin/v1")
	accounts := newAccounts(a)
	adminPublic := adminAPI.Group("")
	adminAuthed := adminAPI.Group("", accounts.Auth.Authenticate)
	// Accounts: login, refresh, logout, setup, me, users.
	accounts.Routes(adminPublic, adminAuthed)
	// Schedule health and webhooks; each endpoint also checks the role.
	if a.sched != nil {
		(&admin.Schedule{Source: a.sched, Log: a.log}).Routes(adminAuthed)
	}
	hookKick := func() {}
	if a.hooks != nil {
		hookKick = a.hooks.Kick
	}
	(&admin.Webhooks{Store: a.db, Kick: hookKick, Log: a.log, CheckURL: func(ctx context.Context, u string) error {
		return webhook.CheckTarget(ctx, u, a.cfg.WebhooksAllowPrivate, webhook.ResolveHost)
	}}).Routes(adminAuthed)
	(&admin.APIKeys{Store: a.db, Log: a.log, Now: a.db.Now}).Routes(adminAuthed)
	// Stories, workflow, revisions, edit locks, tags and media
	// (admin.API.RequireUser is a second wall; each endpoint checks the
	// user's permissions itself).
	kick := func() {}
	if a.renditions != nil {
		kick = a.renditions.Kick
	}
	stories := admin.NewWithOptions(a.db, a.mediaFiles(), a.log, admin.Options{
		Photos:  admin.Photos{Budget: a.images, Wait: a.cfg.ImageWait, Spool: a.spoolDir(), Kick: kick},
		Imports: admin.ImportOptions{PhotoClient: a.photoClient(), SpoolDir: a.cfg.DataDir, Zone: a.cfg.TimeZone}})
	stories.Routes(adminAuthed)

	// The admin app: pages under /admin, its assets under /static/, and the
	// editor's helper endpoints (live preview, newsroom time, preview links).
	editorAPI := &admin.EditorAPI{Articles: a.db, Zone: a.cfg.location()}
	editorAPI.Routes(adminAuthed, stories)
	// Preview links: a grant in the database, rendered once when made,
	// served as stored by the delivery API until revoked or expired.
	api.Preview = &delivery.PreviewSource{Tokens: accounts.Tokens, Revisions: a.db, Grants: a.db}
	(&admin.PreviewLinks{Tokens: accounts.Tokens, Render: api, Grants: a.db, TTL: a.cfg.PreviewTTL,
		BaseURL: a.cfg.BaseURL, Now: a.db.Now}).Routes(adminAuthed, stories)
	assets := static.New()
	r.GET(static.Prefix+"*file", gin.WrapH(assets))
	ui := admin.NewUI(a.db, accounts.Auth, assets, a.cfg.SiteName, a.cfg.location(), a.log)
	if a.sched != nil {
		ui.Schedule = a.sched
	}
	ui.Routes(r)

	r.GET("/healthz", func(c *gin.Context) {
		if err := a.db.Ping(c.Request.Context()); err != nil {
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ok", "version": version})
	})
	media := http.StripPrefix("/media/", http.FileServer(mediaDir(filepath.Join(a.cfg.DataDir, "media"))))
	r.GET("/media/*name", func(c *gin.Context) {
		c.Header("X-Content-Type-Options", "nosniff")
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
		c.Header("Access-Control-Allow-Origin", "*")
		media.ServeHTTP(c.Writer, c.Request)
	})
	r.GET("/", func(c *gin.Context) {
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(indexPage(a.cfg.SiteName)))
	})
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
			stories.NotFound(c)
			return
		}
		c.String(http.StatusNotFound, "404 page not found\n")
	})
	return r
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
