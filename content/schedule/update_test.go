package schedule_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"dateline/content"
	"dateline/content/schedule"
)

func TestTwoSchedulersPublishAScheduledUpdateOnceAtItsTime(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: at("2026-06-01T09:00:00Z")}
	path := filepath.Join(t.TempDir(), "d.db")
	db := open(t, path, c)
	other := open(t, path, c) // a second process on the same file
	published := at("2026-05-01T09:00:00Z")
	ids, err := db.Import(ctx, []content.Import{{Edit: edit("Polls close"), Status: content.StatusPublished, PublishedAt: &published}}, "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Article(ctx, content.ArticleFilter{ID: &ids[0]})
	if err != nil {
		t.Fatal(err)
	}
	e := a.Edit
	e.Headline = "Polls close at eight"
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	due := at("2026-06-01T09:10:00Z")
	if _, err := db.PublishWorkingCopy(ctx, a.ID, content.Update{Version: a.Version + 1, PublishAt: &due, Correction: "The time was wrong."}); err != nil {
		t.Fatal(err)
	}
	s1 := schedule.New(db, schedule.Options{Now: c.Now, Log: quiet()})
	s2 := schedule.New(other, schedule.Options{Now: c.Now, Log: quiet()})
	headline := func() string {
		t.Helper()
		b, err := db.Article(ctx, content.ArticleFilter{ID: &a.ID})
		if err != nil {
			t.Fatal(err)
		}
		return b.Headline
	}
	updates := func() int {
		_, ev := state(t, db)
		return ev[content.EventUpdated+" polls-close"]
	}

	c.Set(at("2026-06-01T09:09:59Z"))
	if _, err := s1.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if headline() != "Polls close" || updates() != 0 {
		t.Fatalf("before its time: headline %q, %d updates", headline(), updates())
	}
	c.Set(at("2026-06-01T09:10:01Z"))
	var wg sync.WaitGroup
	for _, s := range []*schedule.Scheduler{s1, s2, s1, s2} {
		wg.Go(func() {
			if _, err := s.Sweep(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if headline() != "Polls close at eight" || updates() != 1 {
		t.Errorf("after its time: headline %q, %d updates, want the working copy published once", headline(), updates())
	}
	b, _ := db.Article(ctx, content.ArticleFilter{ID: &a.ID, Full: true})
	if len(b.Corrections) != 1 || b.Corrections[0].Text != "The time was wrong." {
		t.Errorf("corrections %+v, want the one scheduled with the update", b.Corrections)
	}
	h, err := s1.Health(ctx)
	if err != nil || len(h.Late)+len(h.Upcoming) != 0 || len(h.Failed) != 0 {
		t.Errorf("health after the update: %+v, %v", h, err)
	}
}
