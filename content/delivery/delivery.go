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
// published articles only; authors and corrections are read only as far as
// published articles show them.
type Store interface {
	Articles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, error)
	Article(ctx context.Context, f content.ArticleFilter) (*content.Article, error)
	RedirectSlug(ctx context.Context, oldSlug string) (string, error)
	Tags(ctx context.Context, f content.TagFilter) ([]content.Tag, error)
	Tag(ctx context.Context, f content.TagFilter) (content.Tag, error)
	Authors(ctx context.Context, f content.AuthorFilter) ([]content.Author, error)
	Author(ctx context.Context, f content.AuthorFilter) (content.Author, error)
	Corrections(ctx context.Context, f content.CorrectionFilter) ([]content.CorrectionEntry, error)
	// Sitemaps read these two (see sitemap.go).
	PublishedCount(ctx context.Context) (int, error)
	PublishedStamps(ctx context.Context, offset, limit int) ([]*content.Article, error)

	// Generation is the content generation: a number that grows after
	// every committed write readers may see, also another process's once
	// the store has found it. Every cache of the read path is keyed by it
	// (see the package doc).
	Generation() uint64
	// The public JSON of published stories as rendered at write time
	// (blobs.go). ok false means "not stored for this key": the handlers
	// then build the JSON from the stories. key is RenderKey, so JSON
	// rendered for another base URL, zone or shape version is never served.
	SummaryBlobs(ctx context.Context, f content.ArticleFilter, key string) (blobs []content.Blob, ok bool, err error)
	SearchBlobs(ctx context.Context, f content.ArticleFilter, key string) (blobs []content.Blob, ok bool, err error)
	PublicBlob(ctx context.Context, slug, key string) (blob content.Blob, ok bool, err error)
	// TagRedirects maps each of oldSlugs that is an old slug of a tag
	// with published stories to the tag's current slug; other slugs are
	// not in the map. A live tag's slug is never an old slug.
	TagRedirects(ctx context.Context, oldSlugs []string) (map[string]string, error)
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
	tagMoves     tagMoves       // old tag slugs, see resolveOldTags
	// Feeds, sitemaps and ninjs (feeds.go, sitemap.go, ninjs.go).
	SiteName    string           // the publication's name
	Language    string           // BCP 47, e.g. "en"
	ArticleURL  string           // a story's public URL with {slug}; default its API URL
	SitemapSize int              // URLs per sitemap file; default MaxSitemapURLs
	Now         func() time.Time // the clock of the news sitemap's window
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
	return NewWithOptions(store, Options{BaseURL: baseURL, Zone: zone, Log: log})
}

// Options configure NewWithOptions. Zero fields take the defaults noted.
type Options struct {
	BaseURL     string         // public URL of this server, for absolute links
	Zone        *time.Location // newsroom zone; default UTC
	Log         *slog.Logger   // default slog.Default()
	SiteName    string         // default "Dateline"
	Language    string         // default "en"
	ArticleURL  string         // e.g. "https://example.com/news/{slug}"; default the story's API URL
	SitemapSize int            // URLs per sitemap file; default and maximum MaxSitemapURLs
	Now         func() time.Time
}

// NewWithOptions returns an API reading from store, configured by o.
func NewWithOptions(store Store, o Options) *API {
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.SiteName == "" {
		o.SiteName = "Dateline"
	}
	if o.Language == "" {
		o.Language = "en"
	}
	if o.SitemapSize <= 0 || o.SitemapSize > MaxSitemapURLs {
		o.SitemapSize = MaxSitemapURLs
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	api := &API{Store: store, BaseURL: strings.TrimRight(o.BaseURL, "/"), Zone: o.Zone, Log: o.Log,
		SiteName: o.SiteName, Language: o.Language, ArticleURL: o.ArticleURL, SitemapSize: o.SitemapSize, Now: o.Now}
	api.SetCaching(DefaultCaching)
	return api
}

// Routes registers every delivery endpoint on r (the /api/v1 group), each
// for GET and HEAD.
func (api *API) Routes(r gin.IRouter) {
	r.Use(api.readHeaders)
	get(r, "/articles", api.cached, api.resolveOldTags, api.handleArticleList)
	get(r, "/articles/:slug", api.cached, api.handleArticle)
	get(r, "/tags", api.cached, api.handleTagList)
	get(r, "/tags/:slug", api.cached, api.handleTag)
	get(r, "/authors", api.cached, api.handleAuthorList)
	get(r, "/authors/:slug", api.cached, api.handleAuthor)
	get(r, "/corrections", api.cached, api.handleCorrections)
	get(r, "/feeds/rss.xml", api.cached, api.handleFeed(formatRSS))
	get(r, "/feeds/atom.xml", api.cached, api.handleFeed(formatAtom))
	get(r, "/feeds/feed.json", api.cached, api.handleFeed(formatJSONFeed))
	get(r, "/tags/:slug/rss.xml", api.cached, api.handleFeed(formatRSS))
	get(r, "/tags/:slug/atom.xml", api.cached, api.handleFeed(formatAtom))
	get(r, "/tags/:slug/feed.json", api.cached, api.handleFeed(formatJSONFeed))
	get(r, "/openapi.json", api.handleOpenAPI)
	get(r, "/preview/:token", func(c *gin.Context) {
		if api.Preview == nil {
			api.NotFound(c)
			return
		}
		api.handlePreview(c)
	})
	get(r, "/changes", api.handleChanges)
}

// SitemapRoutes registers the sitemaps, which live at the site's root:
// /sitemap.xml, /sitemaps/{n}.xml and /news-sitemap.xml, each for GET and
// HEAD.
func (api *API) SitemapRoutes(r gin.IRouter) {
	// The news sitemap depends on the clock (its two-day window) as well as
	// on the content, so it is not kept in the response cache.
	get(r, "/sitemap.xml", api.readHeaders, api.cached, api.handleSitemap)
	get(r, "/sitemaps/:file", api.readHeaders, api.cached, api.handleSitemapPage)
	get(r, "/news-sitemap.xml", api.readHeaders, api.handleNewsSitemap)
}

// get registers a read for GET and HEAD. A HEAD request runs the same
// handlers and gets the same status and headers (ETag, Content-Length,
// Cache-Control) without the body, which net/http does not send.
func get(r gin.IRoutes, path string, handlers ...gin.HandlerFunc) {
	r.GET(path, handlers...)
	r.HEAD(path, handlers...)
}

// NotFound answers a request for an endpoint that does not exist; the
// server's NoRoute handler calls it for paths under /api/v1.
func (api *API) NotFound(c *gin.Context) {
	api.problem(c, content.Errorf(content.ENOTFOUND, "no such endpoint"))
}

var publishedOnly = []content.Status{content.StatusPublished}
