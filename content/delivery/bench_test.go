package delivery_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"dateline/content/delivery"
)

// BenchmarkFeedsAndSitemaps measures the feed, sitemap and ninjs reads over
// 10,000 published stories (sitemap files of 5,000 URLs).
func BenchmarkFeedsAndSitemaps(b *testing.B) {
	env := newEnv(b, delivery.Options{SitemapSize: 5000})
	env.seedMany(b, 10_000, "city", -30*24*time.Hour)
	for _, target := range []string{
		"/api/v1/feeds/rss.xml", "/api/v1/feeds/atom.xml", "/api/v1/feeds/feed.json", "/api/v1/tags/city/rss.xml",
		"/sitemap.xml", "/sitemaps/2.xml", "/news-sitemap.xml", "/api/v1/articles/story-0042?format=ninjs",
	} {
		b.Run(target, func(b *testing.B) {
			var size int
			for b.Loop() {
				rec := httptest.NewRecorder()
				env.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				if rec.Code != http.StatusOK {
					b.Fatal(fmt.Sprint(rec.Code, rec.Body))
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/response")
		})
	}
}
