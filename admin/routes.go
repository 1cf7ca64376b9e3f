package admin

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
	"dateline/static"
)

// AppStore is everything the admin app reads and writes; content/sqlite.DB
// is one.
type AppStore interface {
	Store
	UIStore
	AccountStore
	KeyStore
	WebhookStore
	PreviewStore
	auth.APIKeyStore
	TrashStore
	ReviewNoteStore
}

// HandlerOptions is everything the admin app needs. NewHandler takes them
// complete: nothing is set afterwards. Store, Tokens, Passwords, Files and
// Assets are required; the other fields have the defaults noted.
type HandlerOptions struct {
	Store AppStore
	// Tokens signs and verifies access tokens and preview tokens; the
	// delivery API's preview endpoint verifies with the same one.
	Tokens *auth.Tokens
	// Passwords hashes and checks passwords within the memory budget of
	// concurrent argon2id.
	Passwords *auth.Passwords
	// Files is where uploads are written; Photos and Imports say how
	// uploads and imports are processed.
	Files   MediaFiles
	Photos  Photos
	Imports ImportOptions
	// Previews renders the document of a new preview link (the delivery
	// API does); PreviewTTL is how long a link works.
	Previews   PreviewRenderer
	PreviewTTL time.Duration
	BaseURL    string // the server's public URL, for preview links
	// PreviewURL, if set, is the newsroom's own preview page, with
	// {token} for the preview token: preview links redirect there.
	PreviewURL string
	// Schedule reports the scheduler's health; nil registers no schedule
	// endpoint and the schedule page says the scheduler is not running.
	Schedule ScheduleSource
	// WebhookKick, if set, wakes the webhook dispatcher after a test message
	// is queued; CheckWebhookURL, if set, refuses targets deliveries would
	// refuse (see Webhooks.CheckURL).
	WebhookKick     func()
	CheckWebhookURL func(ctx context.Context, url string) error
	Assets          *static.Assets // the admin app's CSS, scripts and images
	SiteName        string
	// ArticleURL is a story's public page with {slug} (config
	// article_url), for "View live"; "" links to the delivery API.
	ArticleURL string
	// TrashDays is how long a deleted story stays in the Trash before the
	// automatic purge (0: until purged by hand); the Trash shows it.
	TrashDays int
	// Settings are the lines of the Settings page, with their sources.
	Settings []Setting
	Zone     *time.Location // the newsroom's zone
	Clock12  bool           // the app shows times 12-hour (6:46 PM); default 24-hour
	Log      *slog.Logger   // default slog.Default()
	// Now is the clock of logins, refresh tokens and the login throttle;
	// StoreNow is the one API keys and preview links expire by (the
	// store's). Both default to time.Now.
	Now      func() time.Time
	StoreNow func() time.Time
}

// Handler is the admin app: its pages under /admin and its JSON API under
// /api/admin/v1.
type Handler struct {
	api      *API
	accounts *Accounts
	keys     *APIKeys
	hooks    *Webhooks
	schedule *Schedule // nil without a scheduler
	editor   *EditorAPI
	previews *PreviewLinks
	ui       *UI
	pages    *Pages
	trash    *Trash
	assets   *static.Assets
}

// NewHandler builds the admin app from o and registers every one of its
// routes on r (the server's root; routes lists them).
func NewHandler(r gin.IRouter, o HandlerOptions) *Handler {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.StoreNow == nil {
		o.StoreNow = time.Now
	}
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	origins := http.NewCrossOriginProtection()
	accounts := &Accounts{Store: o.Store, Tokens: o.Tokens, Throttle: auth.DefaultLoginLimits(), Origins: origins,
		Passwords: o.Passwords, Log: o.Log, Now: o.Now}
	accounts.Auth = &authgin.Middleware{Authenticator: auth.Authenticator{Users: o.Store, Keys: o.Store, Tokens: o.Tokens},
		Origins: origins, Problem: accounts.Problem}
	api := NewWithOptions(o.Store, o.Files, o.Log, Options{Photos: o.Photos, Imports: o.Imports})
	h := &Handler{
		api:      api,
		accounts: accounts,
		keys:     &APIKeys{Store: o.Store, Log: o.Log, Now: o.StoreNow},
		hooks:    &Webhooks{Store: o.Store, Kick: o.WebhookKick, Log: o.Log, CheckURL: o.CheckWebhookURL},
		editor:   &EditorAPI{Articles: o.Store, Zone: o.Zone, api: api},
		previews: &PreviewLinks{Tokens: o.Tokens, Render: o.Previews, Grants: o.Store, TTL: o.PreviewTTL,
			BaseURL: o.BaseURL, FrontendURL: o.PreviewURL, Zone: o.Zone, Clock12: o.Clock12, SiteName: o.SiteName, Now: o.StoreNow, api: api,
			page: parsePreviewPage(o.Assets)},
		ui:     NewUI(o.Store, accounts.Auth, o.Assets, o.SiteName, o.Zone, o.Clock12, o.Log),
		assets: o.Assets,
	}
	h.ui.Notes = o.Store
	h.ui.LiveURL = func(slug string) string { return content.LiveURL(o.ArticleURL, o.BaseURL, slug) }
	h.trash = &Trash{Store: o.Store, Days: o.TrashDays, Log: o.Log}
	h.pages = &Pages{ui: h.ui, trash: h.trash, hooks: o.Store, settings: o.Settings}
	if o.Schedule != nil {
		h.schedule = &Schedule{Source: o.Schedule, Log: o.Log}
		h.ui.Schedule = o.Schedule
	}
	h.routes(r)
	return h
}

// routes registers every route of the admin app. Each admin API route
// runs Authenticate (a token, a session cookie or an API key) unless it is
// in the public group, then the checks of its group: RequireUser sets
// no-store and stops a request without a user; requireRole and
// Auth.Require refuse lower roles; render bounds concurrent markdown
// renders. Stories, revisions, locks, tags, media, previews and users
// check the user's permission on the item itself (content.Permit).
func (h *Handler) routes(r gin.IRouter) {
	api, acc, ui := h.api, h.accounts, h.ui
	render := api.renders.limit(api, renderWait)

	// The admin app's pages; all but login and setup need a session and
	// redirect to the login page without one. Its assets are served
	// under checksummed URLs.
	r.GET(static.Prefix+"*file", gin.WrapH(h.assets))
	r.GET("/favicon.ico", gin.WrapH(h.assets.Favicon()))
	r.GET("/preview/:code", h.previews.handlePage) // a preview link, for anyone holding it
	r.GET("/admin/login", ui.handleLogin)
	r.GET("/admin/setup", ui.handleSetup)
	pages := r.Group("/admin", ui.requireSession)
	pages.GET("", ui.handleList)
	pages.GET("/", ui.handleList)
	pages.GET("/articles/new", ui.handleNew)
	pages.GET("/articles/:id", ui.handleEditor)
	pages.GET("/articles/:id/revisions", ui.handleRevisions)
	pages.GET("/tags", ui.handleTags)
	pages.GET("/media", ui.handleMedia)
	pages.GET("/media/:id", ui.handleMediaItem)
	pages.GET("/schedule", ui.handleSchedule)
	pages.GET("/users", ui.handleUsers)
	pages.GET("/api-keys", ui.handleAPIKeys)
	pages.GET("/webhooks", h.pages.handleWebhooks) // admins
	pages.GET("/settings", h.pages.handleSettings) // admins
	pages.GET("/trash", h.pages.handleTrash)       // editors and admins

	// The JSON API. Public: no token.
	public := r.Group("/api/admin/v1")
	public.POST("/auth/login", acc.handleLogin)
	public.POST("/auth/refresh", acc.handleRefresh)
	public.POST("/setup", acc.handleSetup)

	authed := r.Group("/api/admin/v1", acc.Auth.Authenticate)

	// Accounts: the current user, logout, user management.
	authed.POST("/auth/logout", acc.handleLogout)
	authed.GET("/me", acc.handleMe)
	authed.GET("/users", acc.Auth.Require(auth.RoleEditor), acc.handleUserList)
	authed.POST("/users", acc.Auth.Require(auth.RoleEditor), acc.handleUserCreate)
	authed.PATCH("/users/:id", acc.handleUserUpdate)
	authed.POST("/users/:id/password", acc.handleUserPassword)

	// Schedule health (next due time, upcoming, late and failed items, the
	// last publish lag): editors and admins.
	if h.schedule != nil {
		authed.GET("/schedule", requireRole(auth.RoleEditor, h.schedule.Log), h.schedule.handleHealth)
	}

	// Webhooks: admins only.
	hooks := authed.Group("/webhooks", requireRole(auth.RoleAdmin, h.hooks.Log))
	hooks.GET("", h.hooks.handleList)    // every hook, no secrets
	hooks.POST("", h.hooks.handleCreate) // the answer shows the secret once
	hooks.GET("/:id", h.hooks.handleGet)
	hooks.PATCH("/:id", h.hooks.handleUpdate)                          // url, events, description, active
	hooks.DELETE("/:id", h.hooks.handleDelete)                         // with its delivery log
	hooks.GET("/:id/deliveries", h.hooks.handleDeliveries)             // newest first, ?status=&limit=
	hooks.POST("/:id/test", h.hooks.handleTest)                        // queue a webhook.test message
	hooks.POST("/:id/deliveries/:delivery/retry", h.hooks.handleRetry) // a failed delivery, again now

	// API keys: everyone signed in manages their own (apikeys.go).
	keys := authed.Group("/api-keys", requireRole(auth.RoleContributor, h.keys.Log), noStore)
	keys.GET("", h.keys.handleList)          // an admin's list holds everyone's
	keys.POST("", h.keys.handleCreate)       // {name, expires_at?} → 201, the key shown once
	keys.DELETE("/:id", h.keys.handleRevoke) // → 204

	// Stories, workflow, revisions, edit locks, tags, media, imports and
	// the export.
	g := authed.Group("", api.RequireUser)
	g.GET("/articles", api.handleArticleList)
	g.POST("/articles", render, api.handleArticleCreate)
	g.GET("/articles/:id", api.handleArticleGet)
	g.PUT("/articles/:id", render, api.handleArticleUpdate)
	g.PATCH("/articles/:id", render, api.handleArticlePatch)
	g.DELETE("/articles/:id", api.handleArticleDelete) // to the Trash
	g.GET("/articles/:id/review-notes", api.handleReviewNotes(h.ui.Notes))
	for _, tr := range content.Transitions() {
		g.POST("/articles/:id/"+string(tr.Action), api.handleTransition(tr))
	}
	// A live story's working copy: its pending changes, Update, Discard.
	g.GET("/articles/:id/working-copy", api.handleWorkingCopyGet)
	g.PUT("/articles/:id/working-copy", render, api.handleWorkingCopyPut)
	g.POST("/articles/:id/working-copy/submit", api.handleSubmitChanges)
	g.POST("/articles/:id/update", render, api.handleUpdate)
	g.DELETE("/articles/:id/update", api.handleCancelUpdate)
	g.POST("/articles/:id/discard", api.handleDiscard)
	g.GET("/articles/:id/revisions", api.handleRevisionList)
	g.GET("/articles/:id/revisions/:version", api.handleRevisionGet)
	g.POST("/articles/:id/revisions/:version/restore", render, api.handleRevisionRestore)
	g.GET("/articles/:id/lock", api.handleLockGet)
	g.POST("/articles/:id/lock", api.handleLockAcquire)
	g.POST("/articles/:id/lock/heartbeat", api.handleLockHeartbeat)
	g.POST("/articles/:id/lock/takeover", api.handleLockTakeOver)
	g.DELETE("/articles/:id/lock", api.handleLockRelease)
	g.GET("/tags", api.handleTagList)
	g.POST("/tags", api.handleTagCreate)
	g.PATCH("/tags/:slug", api.handleTagUpdate)
	g.POST("/tags/:slug/merge", api.handleTagMerge)
	g.DELETE("/tags/:slug", api.handleTagDelete)
	// The Trash (trash.go): editors and admins.
	g.GET("/trash", h.trash.handleList)
	g.POST("/trash/:id/restore", h.trash.handleRestore)
	g.DELETE("/trash/:id", h.trash.handlePurge)
	g.GET("/media", api.handleMediaList)
	g.POST("/media", api.handleMediaUpload)
	g.GET("/media/:id", api.handleMediaGet)
	g.PATCH("/media/:id", api.handleMediaUpdate)
	g.DELETE("/media/:id", api.handleMediaDelete)
	g.GET("/media/:id/uses", api.handleMediaUses)
	g.POST("/media/:id/apply", api.handleMediaApply) // copy caption/credit into the stories using it
	g.POST("/imports", api.handleImport)
	g.GET("/export", api.handleExport)

	// The editor's helpers (ui_api.go) and preview links (previews.go).
	authed.POST("/render", render, h.editor.handleRender)
	authed.GET("/localtime", h.editor.handleLocalTime)
	authed.POST("/articles/:id/preview", h.previews.handleCreate)           // a link to the current revision
	authed.GET("/articles/:id/previews", h.previews.handleList)             // newest first
	authed.DELETE("/articles/:id/previews/:grant", h.previews.handleRevoke) // → 204
	authed.DELETE("/articles/:id/previews", h.previews.handleRevokeAll)     // every link of the story → 204
}

// NotFound answers a request for an admin API endpoint that does not
// exist; the server's NoRoute handler calls it for paths under
// /api/admin/v1.
func (h *Handler) NotFound(c *gin.Context) { h.api.NotFound(c) }
