package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// processChain is the middleware every route runs first (newEngine).
var processChain = []string{"requestLog", "CustomRecoveryWithWriter", "requestMetrics", "limitBody", "underPath"}

// fullApp is newTestApp with everything that adds routes switched on: the
// scheduler (the schedule endpoint) and a metrics token (/metrics).
func fullApp(tb testing.TB) *app {
	tb.Helper()
	a, _ := newTestApp(tb)
	a.cfg.MetricsToken = "metrics-secret"
	a.newBackground()
	return a
}

// handlerName is the short name of a handler gin reports: the last part
// of the function's name, without gin's "-fm" of method values and the
// ".funcN" of closures (so a closure made by requireRole is
// "requireRole").
func handlerName(full string) string {
	full = strings.TrimSuffix(full, "-fm")
	full = regexp.MustCompile(`(\.func\d+)+$`).ReplaceAllString(full, "")
	return full[strings.LastIndex(full, ".")+1:]
}

// routeChains returns, for every route of the production router, "METHOD
// path handler…" (the chain of handlers it runs), with the process middleware left out (every chain
// is checked to start with it). The chains are read from the router
// itself: an engine built by newEngine gets, in front of its middleware,
// a handler that answers each request with the names of the handlers
// gin would run, and mount registers the routes on it as in production.
func routeChains(t *testing.T, a *app) []string {
	t.Helper()
	r := newEngine(a)
	r.Handlers = append(gin.HandlersChain{func(c *gin.Context) {
		c.String(http.StatusOK, strings.Join(c.HandlerNames()[1:], " "))
		c.Abort()
	}}, r.Handlers...)
	a.mount(r)
	param := regexp.MustCompile(`[:*][a-z]+`)
	var out []string
	for _, ri := range r.Routes() {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(ri.Method, param.ReplaceAllString(ri.Path, "x0"), nil))
		var chain []string
		for _, n := range strings.Fields(rec.Body.String()) {
			chain = append(chain, handlerName(n))
		}
		if len(chain) < len(processChain) || !slices.Equal(chain[:len(processChain)], processChain) {
			t.Errorf("%s %s runs %v, not the process middleware %v first", ri.Method, ri.Path, chain, processChain)
			continue
		}
		if last := handlerName(ri.Handler); chain[len(chain)-1] != last {
			t.Errorf("%s %s: the probe reached %v, not the route's handler %s", ri.Method, ri.Path, chain, last)
		}
		out = append(out, strings.Join(append([]string{ri.Method, ri.Path}, chain[len(processChain):]...), " "))
	}
	slices.Sort(out)
	return out
}

// TestTheRouterRegistersExactlyTheseRoutes compares every route of the
// production router, with the middleware each one runs, to the list
// below: a route added, lost or moved out from behind its checks shows
// in the diff of this file.
func TestTheRouterRegistersExactlyTheseRoutes(t *testing.T) {
	a := fullApp(t)
	var registered []string
	for _, ri := range newRouter(a).Routes() {
		registered = append(registered, ri.Method+" "+ri.Path)
	}
	slices.Sort(registered)
	chains := routeChains(t, a)
	var want, wantRoutes []string
	for _, l := range strings.Split(strings.TrimSpace(goldenRoutes), "\n") {
		f := strings.Fields(l)
		want = append(want, strings.Join(f, " "))
		wantRoutes = append(wantRoutes, f[0]+" "+f[1])
	}
	slices.Sort(want)
	slices.Sort(wantRoutes)
	if !slices.Equal(registered, wantRoutes) {
		t.Errorf("the router's routes differ from the list:\n%s", listDiff(wantRoutes, registered))
	}
	if !slices.Equal(chains, want) {
		t.Errorf("the routes' handler chains differ from the list:\n%s", listDiff(want, chains))
	}
}

// listDiff shows the lines only in want (-) and only in got (+).
func listDiff(want, got []string) string {
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "- %s\n", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			fmt.Fprintf(&b, "+ %s\n", g)
		}
	}
	return b.String()
}

// publicAdminAPI are the admin API routes that need no credentials.
var publicAdminAPI = []string{
	"POST /api/admin/v1/auth/login",
	"POST /api/admin/v1/auth/refresh",
	"POST /api/admin/v1/setup",
}

// TestEveryAdminRouteNeedsAuthenticationButLoginRefreshAndSetup sends a
// request without credentials to every admin API route and every admin
// page: the API answers 401 problem JSON and the pages send the browser
// to the login page, except the public ones, which answer for themselves.
// A request with a token that is not valid is refused the same way.
func TestEveryAdminRouteNeedsAuthenticationButLoginRefreshAndSetup(t *testing.T) {
	a := fullApp(t)
	h := newRouter(a)
	param := regexp.MustCompile(`:[a-z]+`)
	seenAPI, seenPages := 0, 0
	for _, ri := range newRouter(a).Routes() {
		route := ri.Method + " " + ri.Path
		target := param.ReplaceAllString(ri.Path, "0190a000-0000-7000-8000-000000000001")
		switch {
		case strings.HasPrefix(ri.Path, "/api/admin/v1/"):
			seenAPI++
			for _, bearer := range []string{"", "not-a-token"} {
				rec := send(t, h, request{method: ri.Method, target: target, body: "{}", bearer: bearer})
				public := slices.Contains(publicAdminAPI, route)
				if public && rec.Code == http.StatusUnauthorized && bearer == "" {
					t.Errorf("%s (public) without credentials: %d %s", route, rec.Code, rec.Body)
				}
				if !public && (rec.Code != http.StatusUnauthorized || rec.Header().Get("Content-Type") != "application/problem+json") {
					t.Errorf("%s with bearer %q: %d %q %s, want 401 problem JSON", route, bearer, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
				}
			}
		case ri.Path == "/admin" || strings.HasPrefix(ri.Path, "/admin/"):
			seenPages++
			rec := send(t, h, request{method: ri.Method, target: target})
			loc := rec.Header().Get("Location")
			if ri.Path == "/admin/login" || ri.Path == "/admin/setup" {
				if rec.Code != http.StatusOK {
					t.Errorf("%s (public) without a session: %d", route, rec.Code)
				}
				continue
			}
			if rec.Code != http.StatusSeeOther && rec.Code != http.StatusFound || !strings.HasPrefix(loc, "/admin/login") {
				t.Errorf("%s without a session: %d Location %q, want a redirect to the login page", route, rec.Code, loc)
			}
		}
	}
	if seenAPI < 60 || seenPages < 13 {
		t.Errorf("checked %d admin API routes and %d pages; the router lost some", seenAPI, seenPages)
	}
}

// goldenRoutes is every route of the server (fullApp) and the handlers it
// runs after the process middleware: Authenticate checks the token,
// session cookie or API key; RequireUser, requireRole and Require refuse
// requests without a user or with a lower role; limit bounds concurrent
// markdown renders; readHeaders and cached are the public API's headers
// and response cache; requireSession guards the admin pages.
const goldenRoutes = `
GET    /                                                      handleIndex
GET    /admin                                                 requireSession handleList
GET    /admin/                                                requireSession handleList
GET    /admin/api-keys                                        requireSession handleAPIKeys
GET    /admin/articles/:id                                    requireSession handleEditor
GET    /admin/articles/:id/revisions                          requireSession handleRevisions
GET    /admin/articles/new                                    requireSession handleNew
GET    /admin/login                                           handleLogin
GET    /admin/media                                           requireSession handleMedia
GET    /admin/media/:id                                       requireSession handleMediaItem
GET    /admin/schedule                                        requireSession handleSchedule
GET    /admin/setup                                           handleSetup
GET    /admin/tags                                            requireSession handleTags
GET    /admin/users                                           requireSession handleUsers
GET    /admin/webhooks                                        requireSession handleWebhooks
GET    /admin/settings                                        requireSession handleSettings
GET    /admin/trash                                           requireSession handleTrash
GET    /api/admin/v1/api-keys                                 Authenticate requireRole noStore handleList
POST   /api/admin/v1/api-keys                                 Authenticate requireRole noStore handleCreate
DELETE /api/admin/v1/api-keys/:id                             Authenticate requireRole noStore handleRevoke
GET    /api/admin/v1/articles                                 Authenticate RequireUser handleArticleList
POST   /api/admin/v1/articles                                 Authenticate RequireUser limit handleArticleCreate
GET    /api/admin/v1/articles/:id                             Authenticate RequireUser handleArticleGet
PUT    /api/admin/v1/articles/:id                             Authenticate RequireUser limit handleArticleUpdate
PATCH  /api/admin/v1/articles/:id                             Authenticate RequireUser limit handleArticlePatch
DELETE /api/admin/v1/articles/:id                             Authenticate RequireUser handleArticleDelete
POST   /api/admin/v1/articles/:id/approve                     Authenticate RequireUser handleTransition
GET    /api/admin/v1/articles/:id/lock                        Authenticate RequireUser handleLockGet
POST   /api/admin/v1/articles/:id/lock                        Authenticate RequireUser handleLockAcquire
DELETE /api/admin/v1/articles/:id/lock                        Authenticate RequireUser handleLockRelease
POST   /api/admin/v1/articles/:id/lock/heartbeat              Authenticate RequireUser handleLockHeartbeat
POST   /api/admin/v1/articles/:id/lock/takeover               Authenticate RequireUser handleLockTakeOver
POST   /api/admin/v1/articles/:id/preview                     Authenticate handleCreate
GET    /api/admin/v1/articles/:id/previews                    Authenticate handleList
DELETE /api/admin/v1/articles/:id/previews                    Authenticate handleRevokeAll
DELETE /api/admin/v1/articles/:id/previews/:grant             Authenticate handleRevoke
POST   /api/admin/v1/articles/:id/publish                     Authenticate RequireUser handleTransition
POST   /api/admin/v1/articles/:id/reject                      Authenticate RequireUser handleTransition
POST   /api/admin/v1/articles/:id/republish                   Authenticate RequireUser handleTransition
GET    /api/admin/v1/articles/:id/revisions                   Authenticate RequireUser handleRevisionList
GET    /api/admin/v1/articles/:id/revisions/:version          Authenticate RequireUser handleRevisionGet
POST   /api/admin/v1/articles/:id/revisions/:version/restore  Authenticate RequireUser limit handleRevisionRestore
POST   /api/admin/v1/articles/:id/schedule                    Authenticate RequireUser handleTransition
POST   /api/admin/v1/articles/:id/submit                      Authenticate RequireUser handleTransition
POST   /api/admin/v1/articles/:id/unschedule                  Authenticate RequireUser handleTransition
POST   /api/admin/v1/articles/:id/withdraw                    Authenticate RequireUser handleTransition
DELETE /api/admin/v1/articles/:id/update                      Authenticate RequireUser handleCancelUpdate
GET    /api/admin/v1/articles/:id/working-copy                Authenticate RequireUser handleWorkingCopyGet
POST   /api/admin/v1/articles/:id/discard                     Authenticate RequireUser handleDiscard
POST   /api/admin/v1/articles/:id/update                      Authenticate RequireUser limit handleUpdate
POST   /api/admin/v1/articles/:id/working-copy/submit         Authenticate RequireUser handleSubmitChanges
PUT    /api/admin/v1/articles/:id/working-copy                Authenticate RequireUser limit handleWorkingCopyPut
POST   /api/admin/v1/auth/login                               handleLogin
POST   /api/admin/v1/auth/logout                              Authenticate handleLogout
POST   /api/admin/v1/auth/refresh                             handleRefresh
GET    /api/admin/v1/export                                   Authenticate RequireUser handleExport
POST   /api/admin/v1/imports                                  Authenticate RequireUser handleImport
GET    /api/admin/v1/localtime                                Authenticate handleLocalTime
GET    /api/admin/v1/me                                       Authenticate handleMe
GET    /api/admin/v1/media                                    Authenticate RequireUser handleMediaList
POST   /api/admin/v1/media                                    Authenticate RequireUser handleMediaUpload
GET    /api/admin/v1/media/:id                                Authenticate RequireUser handleMediaGet
PATCH  /api/admin/v1/media/:id                                Authenticate RequireUser handleMediaUpdate
DELETE /api/admin/v1/media/:id                                Authenticate RequireUser handleMediaDelete
GET    /api/admin/v1/media/:id/uses                           Authenticate RequireUser handleMediaUses
POST   /api/admin/v1/media/:id/apply                          Authenticate RequireUser handleMediaApply
POST   /api/admin/v1/render                                   Authenticate limit handleRender
GET    /api/admin/v1/schedule                                 Authenticate requireRole handleHealth
POST   /api/admin/v1/setup                                    handleSetup
GET    /api/admin/v1/tags                                     Authenticate RequireUser handleTagList
POST   /api/admin/v1/tags                                     Authenticate RequireUser handleTagCreate
PATCH  /api/admin/v1/tags/:slug                               Authenticate RequireUser handleTagUpdate
DELETE /api/admin/v1/tags/:slug                               Authenticate RequireUser handleTagDelete
POST   /api/admin/v1/tags/:slug/merge                         Authenticate RequireUser handleTagMerge
GET    /api/admin/v1/users                                    Authenticate Require handleUserList
POST   /api/admin/v1/users                                    Authenticate Require handleUserCreate
PATCH  /api/admin/v1/users/:id                                Authenticate handleUserUpdate
POST   /api/admin/v1/users/:id/password                       Authenticate handleUserPassword
GET    /api/admin/v1/webhooks                                 Authenticate requireRole handleList
POST   /api/admin/v1/webhooks                                 Authenticate requireRole handleCreate
GET    /api/admin/v1/webhooks/:id                             Authenticate requireRole handleGet
PATCH  /api/admin/v1/webhooks/:id                             Authenticate requireRole handleUpdate
DELETE /api/admin/v1/webhooks/:id                             Authenticate requireRole handleDelete
GET    /api/admin/v1/webhooks/:id/deliveries                  Authenticate requireRole handleDeliveries
POST   /api/admin/v1/webhooks/:id/test                        Authenticate requireRole handleTest
POST   /api/admin/v1/webhooks/:id/deliveries/:delivery/retry  Authenticate requireRole handleRetry
GET    /api/admin/v1/trash                                    Authenticate RequireUser handleList
POST   /api/admin/v1/trash/:id/restore                        Authenticate RequireUser handleRestore
DELETE /api/admin/v1/trash/:id                                Authenticate RequireUser handlePurge
GET    /api/admin/v1/articles/:id/review-notes                Authenticate RequireUser handleReviewNotes
GET    /api/v1/articles                                       readHeaders cached resolveOldTags handleArticleList
HEAD   /api/v1/articles                                       readHeaders cached resolveOldTags handleArticleList
GET    /api/v1/articles/:slug                                 readHeaders cached handleArticle
HEAD   /api/v1/articles/:slug                                 readHeaders cached handleArticle
GET    /api/v1/authors                                        readHeaders cached handleAuthorList
HEAD   /api/v1/authors                                        readHeaders cached handleAuthorList
GET    /api/v1/authors/:slug                                  readHeaders cached handleAuthor
HEAD   /api/v1/authors/:slug                                  readHeaders cached handleAuthor
GET    /api/v1/changes                                        readHeaders handleChanges
HEAD   /api/v1/changes                                        readHeaders handleChanges
GET    /api/v1/corrections                                    readHeaders cached handleCorrections
HEAD   /api/v1/corrections                                    readHeaders cached handleCorrections
GET    /api/v1/feeds/atom.xml                                 readHeaders cached handleFeed
HEAD   /api/v1/feeds/atom.xml                                 readHeaders cached handleFeed
GET    /api/v1/feeds/feed.json                                readHeaders cached handleFeed
HEAD   /api/v1/feeds/feed.json                                readHeaders cached handleFeed
GET    /api/v1/feeds/rss.xml                                  readHeaders cached handleFeed
HEAD   /api/v1/feeds/rss.xml                                  readHeaders cached handleFeed
GET    /api/v1/openapi.json                                   readHeaders handleOpenAPI
HEAD   /api/v1/openapi.json                                   readHeaders handleOpenAPI
GET    /api/v1/preview/:token                                 readHeaders handlePreviewLink
HEAD   /api/v1/preview/:token                                 readHeaders handlePreviewLink
GET    /api/v1/tags                                           readHeaders cached handleTagList
HEAD   /api/v1/tags                                           readHeaders cached handleTagList
GET    /api/v1/tags/:slug                                     readHeaders cached handleTag
HEAD   /api/v1/tags/:slug                                     readHeaders cached handleTag
GET    /api/v1/tags/:slug/atom.xml                            readHeaders cached handleFeed
HEAD   /api/v1/tags/:slug/atom.xml                            readHeaders cached handleFeed
GET    /api/v1/tags/:slug/feed.json                           readHeaders cached handleFeed
HEAD   /api/v1/tags/:slug/feed.json                           readHeaders cached handleFeed
GET    /api/v1/tags/:slug/rss.xml                             readHeaders cached handleFeed
HEAD   /api/v1/tags/:slug/rss.xml                             readHeaders cached handleFeed
GET    /favicon.ico                                           WrapH
GET    /healthz                                               handleHealth
GET    /media/*name                                           serveMedia
GET    /metrics                                               requireBearer WrapH
GET    /preview/:code                                         handlePage
GET    /news-sitemap.xml                                      readHeaders handleNewsSitemap
HEAD   /news-sitemap.xml                                      readHeaders handleNewsSitemap
GET    /sitemap.xml                                           readHeaders cached handleSitemap
HEAD   /sitemap.xml                                           readHeaders cached handleSitemap
GET    /sitemaps/:file                                        readHeaders cached handleSitemapPage
HEAD   /sitemaps/:file                                        readHeaders cached handleSitemapPage
GET    /static/*file                                          WrapH
`
