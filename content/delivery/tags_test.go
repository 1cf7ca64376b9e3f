package delivery_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/delivery"
)

type changeEntry struct {
	Type, ID, Slug string
}

// changesAfter returns the changes feed from cursor on ("" for the start)
// and the cursor to continue from.
func (env *testEnv) changesAfter(t *testing.T, cursor string) ([]changeEntry, string) {
	t.Helper()
	target := "/api/v1/changes?limit=1000"
	if cursor != "" {
		target += "&cursor=" + cursor
	}
	rec := env.get(t, target)
	if rec.Code != 200 {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	var out struct {
		Changes []changeEntry
		Meta    struct {
			NextCursor string `json:"next_cursor"`
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out.Changes, out.Meta.NextCursor
}

func TestTagChangesShowInTheChangesFeed(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	ctx := context.Background()
	_, cursor := env.changesAfter(t, "")
	updated := func(t *testing.T, slugs ...string) {
		t.Helper()
		var changes []changeEntry
		changes, cursor = env.changesAfter(t, cursor)
		var got []string
		for _, c := range changes {
			if c.Type != content.EventUpdated {
				t.Errorf("change %+v, want %s", c, content.EventUpdated)
			}
			got = append(got, c.Slug)
		}
		slices.Sort(got)
		slices.Sort(slugs)
		if !slices.Equal(got, slugs) {
			t.Errorf("updated stories %v, want %v", got, slugs)
		}
	}
	name := func(n string) *string { return &n }

	t.Run("a new description lists no story, while the outbox has its tag.updated for webhooks", func(t *testing.T) {
		last, err := env.db.LastEventID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.db.UpdateTag(ctx, "harbour", content.TagEdit{Description: name("Ships and ferries.")}); err != nil {
			t.Fatal(err)
		}
		updated(t)
		evs, err := env.db.Events(ctx, content.EventFilter{AfterID: last})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Type != content.EventTagUpdated || evs[0].Slug != "harbour" {
			t.Errorf("the outbox has %+v, want one tag.updated of harbour", evs)
		}
	})
	t.Run("a rename lists every published story with the tag once, no hidden one", func(t *testing.T) {
		if _, err := env.db.UpdateTag(ctx, "harbour", content.TagEdit{Name: name("Port")}); err != nil {
			t.Fatal(err)
		}
		updated(t, s.nasty, s.weather, s.old)
	})
	t.Run("a merge lists the published stories of the merged tag", func(t *testing.T) {
		if _, err := env.db.MergeTags(ctx, "weather", "port"); err != nil {
			t.Fatal(err)
		}
		updated(t, s.weather)
	})
	t.Run("a delete lists the published stories that lose the tag", func(t *testing.T) {
		if err := env.db.DeleteTag(ctx, "port"); err != nil {
			t.Fatal(err)
		}
		updated(t, s.nasty, s.weather, s.old)
	})
	t.Run("changes to a tag only hidden stories carry list nothing", func(t *testing.T) {
		if _, err := env.db.UpdateTag(ctx, "secret", content.TagEdit{Name: name("Classified")}); err != nil {
			t.Fatal(err)
		}
		if err := env.db.DeleteTag(ctx, "classified"); err != nil {
			t.Fatal(err)
		}
		updated(t)
	})
}

func TestOldTagSlugsLeadToTheTag(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	ctx := context.Background()
	name := func(n string) *string { return &n }
	listed := func(t *testing.T, target string) []string {
		t.Helper()
		rec := env.get(t, target)
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		var out struct{ Articles []struct{ Slug string } }
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, a := range out.Articles {
			slugs = append(slugs, a.Slug)
		}
		return slugs
	}
	before := listed(t, "/api/v1/articles?tag=harbour") // also fills the response cache
	if len(before) != s.harbourPublished {
		t.Fatalf("harbour lists %v", before)
	}
	if _, err := env.db.UpdateTag(ctx, "harbour", content.TagEdit{Name: name("Port")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.db.UpdateTag(ctx, "secret", content.TagEdit{Name: name("Classified")}); err != nil {
		t.Fatal(err)
	}

	redirects := []struct {
		name, target, location string
	}{
		{"the tag", "/api/v1/tags/harbour", "/api/v1/tags/port"},
		{"its RSS feed", "/api/v1/tags/harbour/rss.xml", "/api/v1/tags/port/rss.xml"},
		{"its Atom feed", "/api/v1/tags/harbour/atom.xml", "/api/v1/tags/port/atom.xml"},
		{"its JSON feed", "/api/v1/tags/harbour/feed.json", "/api/v1/tags/port/feed.json"},
	}
	for _, r := range redirects {
		t.Run(r.name+" under the old slug answers 301 with the current one", func(t *testing.T) {
			rec := env.get(t, r.target)
			if rec.Code != 301 || rec.Header().Get("Location") != r.location {
				t.Fatalf("%d Location %q, want 301 %q", rec.Code, rec.Header().Get("Location"), r.location)
			}
			if rec := env.get(t, r.location); rec.Code != 200 {
				t.Errorf("the new location answers %d", rec.Code)
			}
		})
	}
	t.Run("a list by the old slug lists the tag's stories", func(t *testing.T) {
		want := listed(t, "/api/v1/articles?tag=port")
		if !slices.Equal(want, before) {
			t.Fatalf("port lists %v, harbour listed %v", want, before)
		}
		for _, target := range []string{
			"/api/v1/articles?tag=harbour",
			"/api/v1/articles?tag=harbour,port",
			"/api/v1/articles?tag=port&tag=harbour",
			"/api/v1/articles?tag=harbour&cursor=",
		} {
			if got := listed(t, target); !slices.Equal(got, want) {
				t.Errorf("%s lists %v, want %v", target, got, want)
			}
		}
		if got := listed(t, "/api/v1/articles?tag=harbour&limit=1"); len(got) != 1 || got[0] != want[0] {
			t.Errorf("with a limit: %v", got)
		}
		if got := listed(t, "/api/v1/articles?tag=weather,harbour"); !slices.Equal(got, want) {
			t.Errorf("with another tag: %v, want %v", got, want)
		}
	})
	t.Run("a bad tag next to an old slug is still refused", func(t *testing.T) {
		if rec := env.get(t, "/api/v1/articles?tag=harbour,Not%20a%20slug"); rec.Code != 400 {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
	t.Run("an old slug of a tag only hidden stories carry is not found", func(t *testing.T) {
		for _, target := range []string{"/api/v1/tags/secret", "/api/v1/tags/secret/rss.xml"} {
			if rec := env.get(t, target); rec.Code != 404 || rec.Header().Get("Location") != "" {
				t.Errorf("%s: %d %s", target, rec.Code, rec.Header().Get("Location"))
			}
		}
		if got := listed(t, "/api/v1/articles?tag=secret"); len(got) != 0 {
			t.Errorf("lists %v", got)
		}
	})
	t.Run("a merged tag's slug leads to the tag it was merged into", func(t *testing.T) {
		if _, err := env.db.MergeTags(ctx, "weather", "port"); err != nil {
			t.Fatal(err)
		}
		if rec := env.get(t, "/api/v1/tags/weather"); rec.Code != 301 || rec.Header().Get("Location") != "/api/v1/tags/port" {
			t.Errorf("%d %q", rec.Code, rec.Header().Get("Location"))
		}
		if got := listed(t, "/api/v1/articles?tag=weather"); !slices.Equal(got, before) {
			t.Errorf("weather lists %v, want %v", got, before)
		}
	})
	t.Run("a new tag that takes an old slug wins over the redirect", func(t *testing.T) {
		e := story("Harbour master retires", "Harbour")
		e.Slug = "harbour-master-retires"
		if _, err := env.db.Import(ctx, []content.Import{{Edit: e, Status: content.StatusPublished, PublishedAt: at(-time.Minute)}}, ""); err != nil {
			t.Fatal(err)
		}
		rec := env.get(t, "/api/v1/tags/harbour")
		var tag struct {
			Slug         string
			ArticleCount int `json:"article_count"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &tag); rec.Code != 200 || err != nil || tag.Slug != "harbour" || tag.ArticleCount != 1 {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		if got := listed(t, "/api/v1/articles?tag=harbour"); !slices.Equal(got, []string{e.Slug}) {
			t.Errorf("harbour lists %v, want only the new tag's story", got)
		}
		if rec := env.get(t, "/api/v1/tags/harbour/rss.xml"); rec.Code != 200 {
			t.Errorf("the new tag's feed: %d", rec.Code)
		}
	})
}
