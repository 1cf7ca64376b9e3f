package delivery_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/delivery"
	"dateline/content/shape"
	"dateline/content/sqlite"
)

// TestListsThroughTheItemCacheShowEveryWriteOnTheNextRead reads lists by
// tag and unfiltered (filling the item cache and the tag lists), then
// makes each kind of write readers can see and checks that the next read
// shows it: a story's update, a new story, a withdrawal, a tag's rename;
// with the tag lists, without them, and without the item cache.
func TestListsThroughTheItemCacheShowEveryWriteOnTheNextRead(t *testing.T) {
	for _, opt := range []delivery.Options{{}, {NoTagLists: true}, {ItemCacheBytes: -1}} {
		env := newEnv(t, opt)
		ctx := context.Background()
		ids, err := env.db.Import(ctx, []content.Import{
			{Edit: withSlug(story("Quay reopens", "Harbour"), "quay-reopens"), Status: content.StatusPublished, PublishedAt: at(-2 * time.Hour)},
			{Edit: withSlug(story("Fog lifts", "Harbour", "Weather"), "fog-lifts"), Status: content.StatusPublished, PublishedAt: at(-time.Hour)},
		}, "")
		if err != nil {
			t.Fatal(err)
		}
		lists := []string{"/api/v1/articles?tag=harbour", "/api/v1/articles", "/api/v1/articles?tag=harbour&limit=1"}
		read := func(target string) string {
			t.Helper()
			rec := env.get(t, target)
			if rec.Code != 200 {
				t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
			}
			return rec.Body.String()
		}
		check := func(what string, shows func(body string) bool) {
			t.Helper()
			for _, target := range lists[:2] {
				if body := read(target); !shows(body) {
					t.Errorf("%+v: after %s, %s shows %s", opt, what, target, body)
				}
			}
			for _, target := range lists {
				read(target) // fill the caches again
			}
		}
		check("seeding", func(b string) bool { return strings.Contains(b, "Quay reopens") })

		// An update of a published story, through its working copy.
		cur, err := env.db.Article(ctx, content.ArticleFilter{ID: &ids[0]})
		if err != nil {
			t.Fatal(err)
		}
		e := cur.Edit
		e.Headline = "Quay reopens at dawn"
		if _, err := env.db.UpdateArticle(ctx, cur.ID, content.Save{Version: cur.Version, Edit: e}); err != nil {
			t.Fatal(err)
		}
		wc, err := env.db.WorkingCopy(ctx, cur.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.db.PublishWorkingCopy(ctx, cur.ID, content.Update{Version: wc.Version}); err != nil {
			t.Fatal(err)
		}
		check("an update", func(b string) bool { return strings.Contains(b, "Quay reopens at dawn") })

		if _, err := env.db.Import(ctx, []content.Import{{Edit: withSlug(story("Ferry returns", "Harbour"), "ferry-returns"),
			Status: content.StatusPublished, PublishedAt: at(-time.Minute)}}, ""); err != nil {
			t.Fatal(err)
		}
		check("a new story", func(b string) bool { return strings.Contains(b, "Ferry returns") })

		if _, err := env.db.ChangeStatus(ctx, ids[1], content.StatusChange{From: []content.Status{content.StatusPublished},
			To: content.StatusUnpublished}); err != nil {
			t.Fatal(err)
		}
		check("a withdrawal", func(b string) bool { return !strings.Contains(b, "Fog lifts") })

		if _, err := env.db.UpdateTag(ctx, "harbour", content.TagEdit{Name: new("Port")}); err != nil {
			t.Fatal(err)
		}
		check("a tag's rename", func(b string) bool { return strings.Contains(b, `"Port"`) && !strings.Contains(b, `"Harbour"`) })
	}
}

// TestListsThroughTheItemCacheShowAnotherProcesssWriteWithinASecond
// writes through a second store on the same file, as another process
// would, while this one follows the file, and checks that a list read
// from the item cache shows the write within a second.
func TestListsThroughTheItemCacheShowAnotherProcesssWriteWithinASecond(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	ctx := context.Background()
	ids, err := env.db.Import(ctx, []content.Import{{Edit: withSlug(story("Quay reopens", "Harbour"), "quay-reopens"),
		Status: content.StatusPublished, PublishedAt: at(-2 * time.Hour)}}, "")
	if err != nil {
		t.Fatal(err)
	}
	other, err := sqlite.Open(ctx, env.db.Path(), sqlite.Options{Zone: "Europe/Moscow",
		Render: shape.New(shape.Options{BaseURL: "https://news.example.org"})})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go env.db.Follow(fctx, 50*time.Millisecond)
	for range 2 {
		if body := env.get(t, "/api/v1/articles?tag=harbour").Body.String(); !strings.Contains(body, "Quay reopens") {
			t.Fatalf("before: %s", body)
		}
	}
	if _, err := other.ChangeStatus(ctx, ids[0], content.StatusChange{From: []content.Status{content.StatusPublished},
		To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for {
		body := env.get(t, "/api/v1/articles?tag=harbour").Body.String()
		if !strings.Contains(body, "Quay reopens") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("a second after the other store's withdrawal the list still shows it: %s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestListsThroughTheItemCacheUnderConcurrentWrites reads lists from
// several goroutines while stories are updated one after another, and
// checks after each update that a read which starts once it has returned
// shows it (run it with -race for the cache's locking).
func TestListsThroughTheItemCacheUnderConcurrentWrites(t *testing.T) {
	// Every read below the response cache.
	env := newEnv(t, delivery.Options{Caching: &delivery.Caching{MaxAge: time.Minute}})
	ctx := context.Background()
	ids, err := env.db.Import(ctx, []content.Import{
		{Edit: withSlug(story("Tide 0", "Harbour"), "tide"), Status: content.StatusPublished, PublishedAt: at(-2 * time.Hour)},
		{Edit: withSlug(story("Ferry", "Harbour"), "ferry"), Status: content.StatusPublished, PublishedAt: at(-time.Hour)},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				for _, target := range []string{"/api/v1/articles?tag=harbour", "/api/v1/articles?tag=harbour&limit=1", "/api/v1/articles"} {
					rec := httptest.NewRecorder()
					env.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				}
			}
		}()
	}
	defer func() { close(done); wg.Wait() }()
	for i := 1; i <= 10; i++ {
		cur, err := env.db.Article(ctx, content.ArticleFilter{ID: &ids[0]})
		if err != nil {
			t.Fatal(err)
		}
		e := cur.Edit
		e.Headline = fmt.Sprintf("Tide %d", i)
		if _, err := env.db.UpdateArticle(ctx, cur.ID, content.Save{Version: cur.Version, Edit: e}); err != nil {
			t.Fatal(err)
		}
		wc, err := env.db.WorkingCopy(ctx, cur.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.db.PublishWorkingCopy(ctx, cur.ID, content.Update{Version: wc.Version}); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf(`"headline":"Tide %d"`, i)
		for _, target := range []string{"/api/v1/articles?tag=harbour", "/api/v1/articles"} {
			if body := env.get(t, target).Body.String(); !strings.Contains(body, want) {
				t.Fatalf("after update %d, %s shows %s", i, target, body)
			}
		}
	}
}
