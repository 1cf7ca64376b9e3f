// Package delivery is Dateline's public, read-only API under /api/v1: the
// published stories, tags and authors a frontend pulls as JSON. Only
// published content ever leaves it, whatever the query says.
package delivery

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// Store is what the delivery API reads. Every call it makes asks for
// published articles only.
type Store interface {
	Articles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, error)
	Article(ctx context.Context, f content.ArticleFilter) (*content.Article, error)
	RedirectSlug(ctx context.Context, oldSlug string) (string, error)
	Tags(ctx context.Context, f content.TagFilter) ([]content.Tag, error)
	Tag(ctx context.Context, f content.TagFilter) (content.Tag, error)
}

// API serves the delivery endpoints.
type API struct {
	Store   Store
	BaseURL string         // public site URL, for absolute media URLs
	Zone    *time.Location // the newsroom's zone, for stories without one
	Log     *slog.Logger
	// Preview, when set, serves draft previews at /preview/{token}.
	Preview *PreviewSource
}

// New returns an API reading from store. baseURL is the public URL of this
// server (no trailing slash needed).
func New(store Store, baseURL string, zone *time.Location, log *slog.Logger) *API {
	if zone == nil {
		zone = time.UTC
	}
	if log == nil {
		log = slog.Default()
	}
	return &API{Store: store, BaseURL: strings.TrimRight(baseURL, "/"), Zone: zone, Log: log}
}

// Routes registers every delivery endpoint on r (the /api/v1 group).
func (api *API) Routes(r gin.IRouter) {
	r.Use(api.readHeaders)
	r.GET("/articles", api.handleArticleList)
	r.GET("/articles/:slug", api.handleArticle)
	r.GET("/tags", api.handleTagList)
	r.GET("/tags/:slug", api.handleTag)
	r.GET("/preview/:token", func(c *gin.Context) {
		if api.Preview == nil {
			api.NotFound(c)
			return
		}
		api.handlePreview(c)
	})
	r.GET("/changes", api.handleChanges)
}

// NotFound answers a request for an endpoint that does not exist; the
// server's NoRoute handler calls it for paths under /api/v1.
func (api *API) NotFound(c *gin.Context) {
	api.problem(c, content.Errorf(content.ENOTFOUND, "no such endpoint"))
}

// readHeaders sets the headers every public read carries.
func (api *API) readHeaders(c *gin.Context) {
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Next()
}

var publishedOnly = []content.Status{content.StatusPublished}
