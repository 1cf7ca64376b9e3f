package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"dateline/content"
	"dateline/content/mediafile"
	"dateline/content/photo"
	"dateline/content/rendition"
)

func TestDemoPhotosAreInTheMediaLibraryAndGetRenditions(t *testing.T) {
	ctx := context.Background()
	db, _, media := seeded(t, seedTime)
	all, err := db.Articles(ctx, content.ArticleFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	photos := 0
	for _, a := range all {
		for _, p := range a.Photos {
			photos++
			m, err := db.MediaItem(ctx, p.MediaID)
			if err != nil || m.URL != p.URL || m.Credit != p.Credit || !m.RenditionsPending {
				t.Errorf("%s: photo %s in the library: %+v, %v", a.Slug, p.URL, m, err)
			}
		}
	}
	if n, err := db.RenditionJobs(ctx); err != nil || n != photos {
		t.Fatalf("%d rendition jobs for %d photos: %v", n, photos, err)
	}
	spec := photo.Spec{Widths: []int{96}, JPEGQuality: 80, WebPQuality: 75}
	w := rendition.New(db, mediafile.Dir(media), rendition.Options{Spec: spec, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if n, err := w.RunOnce(ctx); err != nil || n != photos {
		t.Fatalf("made renditions of %d photos of %d: %v", n, photos, err)
	}
	published, err := db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 1})
	if err != nil || len(published) == 0 {
		t.Fatal(err)
	}
	p := published[0].Photos[0]
	if len(p.Renditions) != 2 || p.Thumbnail == p.URL {
		t.Errorf("the lead photo of %s has renditions %+v, thumbnail %s", published[0].Slug, p.Renditions, p.Thumbnail)
	}
}
