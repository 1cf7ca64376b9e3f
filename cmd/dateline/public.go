package main

import (
	"context"
	"time"

	"dateline/content/delivery"
	"dateline/content/shape"
)

// deliveryOptions configures the public API, and the renderer of the
// public JSON stored at write time, from the config.
func (a *app) deliveryOptions() delivery.Options {
	return delivery.Options{
		BaseURL: a.cfg.BaseURL, Zone: a.cfg.location(), Log: a.log,
		SiteName: a.cfg.SiteName, Language: a.cfg.Language, ArticleURL: a.cfg.ArticleURL,
	}
}

// wirePublicJSON makes the store render the public JSON of published
// stories at write time, with the same shapes and options as the public
// API, so that reads can serve it as stored. Call it before the DB is
// shared (before background work starts).
func (a *app) wirePublicJSON() {
	r := shape.New(shape.Options{BaseURL: a.cfg.BaseURL, Zone: a.cfg.location()})
	a.db.Render = r.Render
	a.db.RenderKey = r.Key()
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
