package delivery

import (
	"context"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
	"dateline/content/shape"
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
	// Events lists the outbox, whose position Generation is: the item
	// cache (itemcache.go) reads the events after its generation to drop
	// exactly the stories they changed.
	Events(ctx context.Context, f content.EventFilter) ([]content.Event, error)
	// The public JSON of published stories as rendered at write time
	// (blobs.go). ok false means "not stored for this key" (or, for the
	// keys, "cannot list from stored JSON"): the handlers then build the
	// JSON from the stories. key is RenderKey, so JSON rendered for another
	// base URL, zone or shape version is never served.
	//
	// ListKeys returns the ids and publication times (no JSON) of the
	// published stories f selects, newest first, at most f.Limit: one walk
	// of the store's index. SearchHits is ListKeys for a search (f.Query),
	// in search order, each with its Match. ListItems returns the stored
	// list items of ids under key, in the order of ids; ok is false when
	// one of them has none.
	ListKeys(ctx context.Context, f content.ArticleFilter) (keys []content.Blob, ok bool, err error)
	SearchHits(ctx context.Context, f content.ArticleFilter) (hits []content.Blob, ok bool, err error)
	ListItems(ctx context.Context, ids []string, key string) (items [][]byte, ok bool, err error)
	// PublicBlob may append the story's JSON to buf (nil or a buffer
	// whose memory the caller gives up).
	PublicBlob(ctx context.Context, slug, key string, buf []byte) (blob content.Blob, ok bool, err error)
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

	shapes       *shape.Renderer // the public shapes of stories and list items
	cacheControl []string
	cache        *responseCache // nil: nothing is kept
	zones        sync.Map       // zone name → *time.Location, see location
	tagMoves     tagMoves       // old tag slugs, see resolveOldTags
	items        *itemCache     // stored list items and tag lists; nil: none kept
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
	// Shapes renders the public JSON of stories and list items; default
	// shape.New with BaseURL and Zone. Pass the renderer the store was
	// opened with, so that reads serve the JSON stored at write time.
	Shapes *shape.Renderer
	// ItemCacheBytes is the memory for stored list items kept by the item
	// cache (itemcache.go), outside the Go heap where the platform
	// allows; 0 or less keeps none. NoTagLists keeps no tag lists
	// (taglists.go) beside it. Close gives the memory back.
	ItemCacheBytes int64
	NoTagLists     bool
	// Caching is the Cache-Control policy and the response cache's size
	// (0 keeps no answers); nil takes 30 s max-age, 60 s
	// stale-while-revalidate and a 4 MiB cache.
	Caching *Caching
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
	if o.Shapes == nil {
		o.Shapes = shape.New(shape.Options{BaseURL: o.BaseURL, Zone: o.Zone})
	}
	api := &API{Store: store, BaseURL: strings.TrimRight(o.BaseURL, "/"), Zone: o.Zone, Log: o.Log, shapes: o.Shapes,
		SiteName: o.SiteName, Language: o.Language, ArticleURL: o.ArticleURL, SitemapSize: o.SitemapSize, Now: o.Now}
	api.items = newItemCache(o.ItemCacheBytes, !o.NoTagLists)
	if api.items != nil {
		// The ring is outside the heap: give it back with the API if Close
		// was not called.
		runtime.AddCleanup(api, func(c *itemCache) { c.close() }, api.items)
	}
	caching := defaultCaching()
	if o.Caching != nil {
		caching = *o.Caching
	}
	api.setCaching(caching)
	return api
}

// Close gives back the item cache's memory at once (it is given back when
// the API is collected otherwise); the API keeps serving, from the store,
// without it.
func (api *API) Close() {
	api.items.close()
}

// NotFound answers a request for an endpoint that does not exist; the
// server's NoRoute handler calls it for paths under /api/v1.
func (api *API) NotFound(c *gin.Context) {
	api.problem(c, content.Errorf(content.ENOTFOUND, "no such endpoint"))
}

var publishedOnly = []content.Status{content.StatusPublished}
