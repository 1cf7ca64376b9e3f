package sqlite_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"dateline/content"
	"dateline/content/sqlite"
)

// eventsSince returns the outbox events written after event id after.
func eventsSince(tb testing.TB, db *sqlite.DB, after int64) []content.Event {
	tb.Helper()
	evs, err := db.Events(context.Background(), content.EventFilter{AfterID: after, Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	return evs
}

func lastEventID(tb testing.TB, db *sqlite.DB) int64 {
	tb.Helper()
	id, err := db.LastEventID(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func strPtr(s string) *string { return &s }

func TestTagChangesWriteOneUpdatedEventPerPublishedStory(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	// woken reports whether the store signalled written events since the
	// last call (signals coalesce, so it says "at least once").
	woken := func() bool {
		select {
		case <-db.EventsWritten():
			return true
		default:
			return false
		}
	}

	both := mustPublish(t, db, mustCreate(t, db, story("Polls close", "Elections", "Voting")).ID)
	only := mustPublish(t, db, mustCreate(t, db, story("Turnout high", "Elections")).ID)
	target := mustPublish(t, db, mustCreate(t, db, story("Queues at schools", "Voting")).ID)
	mustCreate(t, db, story("Exit poll draft", "Elections", "Voting"))
	withdrawn := mustPublish(t, db, mustCreate(t, db, story("Withdrawn count", "Elections")).ID)
	if _, err := db.ChangeStatus(ctx, withdrawn.ID, content.StatusChange{From: published, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	deleted := mustPublish(t, db, mustCreate(t, db, story("Deleted result", "Elections")).ID)
	if err := db.DeleteArticle(ctx, deleted.ID, ""); err != nil {
		t.Fatal(err)
	}

	// tagEvs lists the events of tags the change writes, as "type slug
	// key…" in order; want lists, by story id, the stories that get one
	// article event each.
	check := func(t *testing.T, after int64, change, tag, newTag string, tagEvs []string, want ...*content.Article) {
		t.Helper()
		evs := eventsSince(t, db, after)
		got := map[string]int{}
		var gotTag []string
		for _, ev := range evs {
			if ev.ArticleID == "" {
				keys, _ := ev.Payload["surrogate_keys"].([]any)
				line := ev.Type + " " + ev.Slug
				for _, k := range keys {
					line += " " + k.(string)
				}
				if _, ok := ev.Payload["id"].(float64); !ok {
					t.Errorf("event %s has no tag id: %v", ev.Type, ev.Payload)
				}
				gotTag = append(gotTag, line)
				continue
			}
			got[ev.ArticleID]++
			if ev.Type != content.EventUpdated {
				t.Errorf("event type %q, want %q", ev.Type, content.EventUpdated)
			}
			if ev.Payload["tag_change"] != change || ev.Payload["tag"] != tag {
				t.Errorf("payload = %v, want tag_change %q and tag %q", ev.Payload, change, tag)
			}
			if nt, ok := ev.Payload["new_tag"]; (newTag == "" && ok) || (newTag != "" && nt != newTag) {
				t.Errorf("payload new_tag = %v, want %q", nt, newTag)
			}
			if _, ok := ev.Payload["version"]; !ok {
				t.Errorf("payload %v has no version", ev.Payload)
			}
		}
		wantIDs := map[string]int{}
		for _, a := range want {
			wantIDs[a.ID] = 1
			for _, ev := range evs {
				if ev.ArticleID == a.ID && ev.Slug != a.Slug {
					t.Errorf("event of %s names slug %q, want %q", a.ID, ev.Slug, a.Slug)
				}
			}
		}
		if !maps.Equal(got, wantIDs) {
			t.Errorf("events per story = %v, want one each for %v", got, slices.Sorted(maps.Keys(wantIDs)))
		}
		if !slices.Equal(gotTag, tagEvs) {
			t.Errorf("tag events = %q, want %q", gotTag, tagEvs)
		}
	}

	t.Run("a new description writes only a tag event, and the same name nothing", func(t *testing.T) {
		before, _ := lastEventID(t, db), woken()
		if _, err := db.UpdateTag(ctx, "elections", content.TagEdit{Description: strPtr("Votes and counts")}); err != nil {
			t.Fatal(err)
		}
		check(t, before, "", "", "", []string{"tag.updated elections tags tag:elections"})
		if !woken() {
			t.Error("the webhook dispatcher was not woken")
		}
		before = lastEventID(t, db)
		if _, err := db.UpdateTag(ctx, "elections", content.TagEdit{Name: strPtr("Elections"), Description: strPtr("Votes and counts")}); err != nil {
			t.Fatal(err)
		}
		check(t, before, "", "", "", nil)
		if woken() {
			t.Error("the webhook dispatcher was woken for nothing")
		}
	})
	t.Run("a rename writes one event per published story with the tag, none for drafts", func(t *testing.T) {
		before, _ := lastEventID(t, db), woken()
		if _, err := db.UpdateTag(ctx, "elections", content.TagEdit{Name: strPtr("Election day")}); err != nil {
			t.Fatal(err)
		}
		check(t, before, "renamed", "elections", "election-day",
			[]string{"tag.updated election-day tags tag:election-day tag:elections"}, both, only)
		if !woken() {
			t.Error("the webhook dispatcher was not woken")
		}
	})
	t.Run("a new slug alone is a change readers see", func(t *testing.T) {
		before := lastEventID(t, db)
		if _, err := db.UpdateTag(ctx, "election-day", content.TagEdit{Slug: strPtr("polling-day")}); err != nil {
			t.Fatal(err)
		}
		check(t, before, "renamed", "election-day", "polling-day",
			[]string{"tag.updated polling-day tags tag:polling-day tag:election-day"}, both, only)
		if _, err := db.UpdateTag(ctx, "polling-day", content.TagEdit{Slug: strPtr("election-day")}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a new name with the same slug is a change readers see", func(t *testing.T) {
		before := lastEventID(t, db)
		if _, err := db.UpdateTag(ctx, "election-day", content.TagEdit{Name: strPtr("Election Day")}); err != nil {
			t.Fatal(err)
		}
		check(t, before, "renamed", "election-day", "election-day",
			[]string{"tag.updated election-day tags tag:election-day"}, both, only)
	})
	t.Run("a merge writes one event per published story of the merged tag", func(t *testing.T) {
		before := lastEventID(t, db)
		if _, err := db.MergeTags(ctx, "election-day", "voting"); err != nil {
			t.Fatal(err)
		}
		check(t, before, "merged", "election-day", "voting",
			[]string{"tag.deleted election-day tags tag:election-day", "tag.updated voting tags tag:voting"}, both, only)
	})
	t.Run("a failed merge writes nothing", func(t *testing.T) {
		before := lastEventID(t, db)
		if _, err := db.MergeTags(ctx, "voting", "nope"); !errors.Is(err, content.ErrNotFound) {
			t.Fatalf("merge into a missing tag: %v", err)
		}
		check(t, before, "", "", "", nil)
	})
	t.Run("a delete writes one event per published story with the tag", func(t *testing.T) {
		before, _ := lastEventID(t, db), woken()
		if err := db.DeleteTag(ctx, "voting"); err != nil {
			t.Fatal(err)
		}
		check(t, before, "deleted", "voting", "", []string{"tag.deleted voting tags tag:voting"}, both, only, target)
		if !woken() {
			t.Error("the webhook dispatcher was not woken")
		}
	})
	t.Run("a tag only drafts carry writes nothing", func(t *testing.T) {
		mustCreate(t, db, story("Embargoed", "Secret"))
		before, _ := lastEventID(t, db), woken()
		if _, err := db.UpdateTag(ctx, "secret", content.TagEdit{Name: strPtr("Hidden")}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteTag(ctx, "hidden"); err != nil {
			t.Fatal(err)
		}
		check(t, before, "", "", "", nil)
		if woken() {
			t.Error("the webhook dispatcher was woken for nothing")
		}
	})
}

func TestOldTagSlugsRedirectToTheTag(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	mustPublish(t, db, mustCreate(t, db, story("Ferry late", "Harbour", "Transport")).ID)
	mustPublish(t, db, mustCreate(t, db, story("Bus strike", "Buses")).ID)
	mustCreate(t, db, story("Draft on trams", "Trams"))

	redirects := func(t *testing.T, slugs ...string) map[string]string {
		t.Helper()
		got, err := db.TagRedirects(ctx, slugs)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	rename := func(t *testing.T, slug, name string) {
		t.Helper()
		if _, err := db.UpdateTag(ctx, slug, content.TagEdit{Name: &name}); err != nil {
			t.Fatalf("rename %s: %v", slug, err)
		}
	}

	t.Run("a live or unknown slug is no redirect", func(t *testing.T) {
		if got := redirects(t, "harbour", "nothing", "trams"); len(got) != 0 {
			t.Errorf("redirects = %v, want none", got)
		}
	})
	t.Run("a renamed tag's old slugs lead to its current one, also after several renames", func(t *testing.T) {
		rename(t, "harbour", "Port")
		rename(t, "port", "Docks")
		want := map[string]string{"harbour": "docks", "port": "docks"}
		if got := redirects(t, "harbour", "port", "docks"); !maps.Equal(got, want) {
			t.Errorf("redirects = %v, want %v", got, want)
		}
	})
	t.Run("renaming back takes the slug back", func(t *testing.T) {
		rename(t, "docks", "Harbour")
		want := map[string]string{"port": "harbour", "docks": "harbour"}
		if got := redirects(t, "harbour", "port", "docks"); !maps.Equal(got, want) {
			t.Errorf("redirects = %v, want %v", got, want)
		}
	})
	t.Run("a merge makes the merged tag's slugs lead to the target", func(t *testing.T) {
		if _, err := db.MergeTags(ctx, "harbour", "transport"); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"harbour": "transport", "port": "transport", "docks": "transport"}
		if got := redirects(t, "harbour", "port", "docks"); !maps.Equal(got, want) {
			t.Errorf("redirects = %v, want %v", got, want)
		}
	})
	t.Run("a new tag with an old slug wins over the redirect", func(t *testing.T) {
		if _, err := db.CreateTag(ctx, content.TagEdit{Name: strPtr("Port")}); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, db, story("Docks reopen", "Docks"))
		want := map[string]string{"harbour": "transport"}
		if got := redirects(t, "harbour", "port", "docks"); !maps.Equal(got, want) {
			t.Errorf("redirects = %v, want %v", got, want)
		}
		// The live tags are untouched and the old slugs are gone for good:
		// deleting the new tags does not bring them back.
		for _, s := range []string{"port", "docks"} {
			if err := db.DeleteTag(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if got := redirects(t, "port", "docks"); len(got) != 0 {
			t.Errorf("redirects = %v, want none", got)
		}
	})
	t.Run("a rename onto an old slug of another tag takes it", func(t *testing.T) {
		rename(t, "buses", "Harbour")
		if got := redirects(t, "harbour", "buses"); !maps.Equal(got, map[string]string{"buses": "harbour"}) {
			t.Errorf("redirects = %v", got)
		}
	})
	t.Run("a tag without published stories is not redirected to", func(t *testing.T) {
		rename(t, "trams", "Light rail")
		if got := redirects(t, "trams"); len(got) != 0 {
			t.Errorf("redirects = %v, want none", got)
		}
	})
	t.Run("deleting a tag deletes its old slugs", func(t *testing.T) {
		if err := db.DeleteTag(ctx, "transport"); err != nil {
			t.Fatal(err)
		}
		if got := redirects(t, "harbour", "port", "docks", "transport", "buses"); !maps.Equal(got, map[string]string{"buses": "harbour"}) {
			t.Errorf("redirects = %v, want only the live tag's", got)
		}
	})
}
