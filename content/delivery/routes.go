package delivery

import "github.com/gin-gonic/gin"

// Mount registers every route of the public API on r, the server's root:
// the JSON API and the feeds under /api/v1, the sitemaps at the root. Each
// is a read, registered for GET and HEAD, and runs readHeaders first (the
// headers every public read carries: CORS and nosniff). Routes wrapped in
// cached keep their 200 bodies in the response cache (cache.go); the others
// depend on more than the content (the clock, a token, the changes
// cursor) or never change (the OpenAPI document).
func Mount(r gin.IRouter, api *API) {
	v1 := r.Group("/api/v1", api.readHeaders)
	get(v1, "/articles", api.cached, api.resolveOldTags, api.handleArticleList)
	get(v1, "/articles/:slug", api.cached, api.handleArticle)
	get(v1, "/tags", api.cached, api.handleTagList)
	get(v1, "/tags/:slug", api.cached, api.handleTag)
	get(v1, "/authors", api.cached, api.handleAuthorList)
	get(v1, "/authors/:slug", api.cached, api.handleAuthor)
	get(v1, "/corrections", api.cached, api.handleCorrections)
	get(v1, "/changes", api.handleChanges)
	get(v1, "/openapi.json", api.handleOpenAPI)
	get(v1, "/preview/:token", api.handlePreviewLink)

	// Feeds: the latest stories, and those of one tag.
	get(v1, "/feeds/rss.xml", api.cached, api.handleFeed(formatRSS))
	get(v1, "/feeds/atom.xml", api.cached, api.handleFeed(formatAtom))
	get(v1, "/feeds/feed.json", api.cached, api.handleFeed(formatJSONFeed))
	get(v1, "/tags/:slug/rss.xml", api.cached, api.handleFeed(formatRSS))
	get(v1, "/tags/:slug/atom.xml", api.cached, api.handleFeed(formatAtom))
	get(v1, "/tags/:slug/feed.json", api.cached, api.handleFeed(formatJSONFeed))

	// Sitemaps, at the root. The news sitemap depends on the clock (its
	// two-day window) as well as on the content, so it is not cached.
	root := r.Group("", api.readHeaders)
	get(root, "/sitemap.xml", api.cached, api.handleSitemap)
	get(root, "/sitemaps/:file", api.cached, api.handleSitemapPage)
	get(root, "/news-sitemap.xml", api.handleNewsSitemap)
}

// get registers a read for GET and HEAD. A HEAD request runs the same
// handlers and gets the same status and headers (ETag, Content-Length,
// Cache-Control) without the body, which net/http does not send.
func get(r gin.IRoutes, path string, handlers ...gin.HandlerFunc) {
	r.GET(path, handlers...)
	r.HEAD(path, handlers...)
}

// handlePreviewLink serves GET /preview/{token}: a draft preview when the
// API has a Preview source, "no such endpoint" otherwise.
func (api *API) handlePreviewLink(c *gin.Context) {
	if api.Preview == nil {
		api.NotFound(c)
		return
	}
	api.handlePreview(c)
}
