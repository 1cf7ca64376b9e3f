package main

import (
	"context"
	"time"

	"dateline/content/delivery"
	"dateline/content/shape"
	"dateline/content/sqlite"
)

// The wiring of the public JSON, in one place: one renderer of the public
// shapes, made from the config, renders what the store keeps at write time
// (storeOptions) and what the delivery API builds at read time
// (deliveryOptions), so that the render keys agree and reads serve the
// stored JSON.

// publicShapes is the renderer of the public shapes for cfg.
func (cfg Config) publicShapes() *shape.Renderer {
	return shape.New(shape.Options{BaseURL: cfg.BaseURL, Zone: cfg.location()})
}

// storeOptions are the options of the database of cfg as serve and the
// other commands open it: the newsroom zone, the real clock, the renderer
// of the stored public JSON and the revision policy.
func (cfg Config) storeOptions() sqlite.Options {
	return sqlite.Options{Zone: cfg.TimeZone, Now: time.Now, Render: cfg.publicShapes(),
		Revisions: cfg.revisionPolicy(), Language: cfg.Language}
}

// deliveryOptions configures the public API from the config, with the
// renderer the store renders with, the HTTP caching policy and the caches
// (cache_memory_mb, item_cache_mb, tag_lists).
func (a *app) deliveryOptions() delivery.Options {
	caching := a.cfg.caching()
	return delivery.Options{
		BaseURL: a.cfg.BaseURL, Zone: a.cfg.location(), Log: a.log, Shapes: a.cfg.publicShapes(),
		SiteName: a.cfg.SiteName, Language: a.cfg.Language, ArticleURL: a.cfg.ArticleURL,
		ItemCacheBytes: int64(a.cfg.ItemCacheMB) << 20, NoTagLists: !a.cfg.TagLists,
		Caching: &caching,
	}
}

// renderPublic stores public JSON for the published stories that have
// none for the current render key: after the upgrade that introduced it,
// a change of base_url or time_zone, or stories written by a process that
// does not render. It runs before the server listens, so that reads start
// on stored JSON (about a second per few thousand stories); a failure is
// logged and serving goes on, since reads fall back to building the JSON.
func (a *app) renderPublic(ctx context.Context) {
	start := time.Now()
	n, err := a.db.RerenderPublic(ctx)
	if err != nil {
		a.log.Warn("render public JSON", "rendered", n, "err", err)
		return
	}
	if n > 0 {
		a.log.Info("rendered public JSON", "stories", n, "took", time.Since(start).Round(time.Millisecond))
	}
}
