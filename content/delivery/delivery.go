// Package delivery is Dateline's public, read-only API under /api/v1: the
// published stories, tags and authors a frontend pulls as JSON. Only
// published content ever leaves it, whatever the query says.
package delivery

import (
	"context"
	"log/slog"
	"strings"
	"sync"
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

	caching      Caching
	cacheControl []string
	cache        *responseCache // nil: nothing is kept
	zones        sync.Map       // zone name → *time.Location, see location
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
	api := &API{Store: store, BaseURL: strings.TrimRight(baseURL, "/"), Zone: zone, Log: log}
	api.SetCaching(DefaultCaching)
	return api
}

// Routes registers every delivery endpoint on r (the /api/v1 group).
func (api *API) Routes(r gin.IRouter) {
	r.Use(api.readHeaders)
	r.GET("/articles", api.cached, api.handleArticleList)
	r.GET("/articles/:slug", api.cached, api.handleArticle)
	r.GET("/tags", api.cached, api.handleTagList)
	r.GET("/tags/:slug", api.cached, api.handleTag)
}

// NotFound answers a request for an endpoint that does not exist; the
// server's NoRoute handler calls it for paths under /api/v1.
func (api *API) NotFound(c *gin.Context) {
	api.problem(c, content.Errorf(content.ENOTFOUND, "no such endpoint"))
}

var publishedOnly = []content.Status{content.StatusPublished}
