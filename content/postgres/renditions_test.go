package postgres_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dateline/content"
)

func TestRenditionJobsAreClaimedOnceAcrossInstancesAndTheirRenditionsShown(t *testing.T) {
	ctx := context.Background()
	var now atomic.Value
	now.Store(start)
	dbs := instances(t, 2, func() time.Time { return now.Load().(time.Time) })
	a, b := dbs[0], dbs[1]
	m, err := a.CreateMedia(ctx, content.Media{ID: "0190a000-0000-7000-8000-0000000000aa", FileName: "0190a000aa.jpg",
		ContentType: "image/jpeg", Width: 1600, Height: 900, Size: 123456, Credit: "© Hal/Agency", Alt: "A quay"})
	if err != nil || !m.RenditionsPending {
		t.Fatalf("media %+v, %v; want its renditions queued", m, err)
	}
	e := readyEdit("Dawn on the quay")
	e.Photos = []content.Photo{{MediaID: m.ID, URL: m.URL, Caption: "Dawn", Credit: m.Credit, Alt: m.Alt}}
	story, err := a.CreateArticle(ctx, e, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ChangeStatus(ctx, story.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var jobs []content.RenditionJob
	race(6, func(i int) {
		job, ok, err := dbs[i%2].ClaimRenditionJob(ctx, time.Minute)
		if err != nil {
			t.Error(err)
		}
		if ok {
			mu.Lock()
			jobs = append(jobs, job)
			mu.Unlock()
		}
	})
	if len(jobs) != 1 || jobs[0].MediaID != m.ID || jobs[0].Attempts != 1 {
		t.Fatalf("claims %+v, want the one job once", jobs)
	}
	if next, ok, err := b.NextRenditionJobAt(ctx); err != nil || !ok || !next.Equal(start.Add(time.Minute)) {
		t.Errorf("NextRenditionJobAt = %v, %v, %v; want the lease's end", next, ok, err)
	}
	now.Store(start.Add(2 * time.Minute)) // the worker died: its lease ran out
	again, ok, err := b.ClaimRenditionJob(ctx, time.Minute)
	if err != nil || !ok || again.Attempts != 2 {
		t.Fatalf("claim after the lease: %+v, %v, %v", again, ok, err)
	}

	head, _ := a.LastEventID(ctx)
	rs := []content.Rendition{{FileName: "0190a000aa-480.webp", ContentType: "image/webp", Width: 480, Height: 270, Size: 9000}}
	unused, stored, err := b.FinishRenditions(ctx, again, "key-1", rs)
	if err != nil || !stored || len(unused) != 0 {
		t.Fatalf("finish: %v, %v, %v", unused, stored, err)
	}
	if got := eventTypes(t, a, head); len(got) != 1 || got[0] != content.EventUpdated {
		t.Errorf("events of new renditions: %v, want article.updated for the published story", got)
	}
	pub, err := a.Article(ctx, content.ArticleFilter{ID: &story.ID})
	if err != nil || len(pub.Photos) != 1 || len(pub.Photos[0].Renditions) != 1 || pub.Photos[0].Thumbnail != "/media/0190a000aa-480.webp" {
		t.Fatalf("the story's photo %+v, %v", pub.Photos, err)
	}
	if n, _ := a.RenditionJobs(ctx); n != 0 {
		t.Errorf("%d jobs left after the finish", n)
	}

	if n, err := a.QueueRenditions(ctx, "key-2", false); err != nil || n != 1 {
		t.Fatalf("queue for a new key: %d, %v", n, err)
	}
	job, ok, err := a.ClaimRenditionJob(ctx, time.Minute)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if err := a.FailRenditionJob(ctx, job, "cannot decode", now.Load().(time.Time), true); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.RenditionFailures(ctx); n != 1 {
		t.Errorf("%d rendition failures after a final failure, want 1", n)
	}
}
