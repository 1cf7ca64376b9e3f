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
	wakes := 0
	db.OnEvent = func() { wakes++ }

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

	// want lists, by story id, the stories that get one event each.
	check := func(t *testing.T, after int64, change, tag, newTag string, want ...*content.Article) {
		t.Helper()
		evs := eventsSince(t, db, after)
		got := map[string]int{}
		for _, ev := range evs {
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
	}

	t.Run("a new description writes nothing", func(t *testing.T) {
		before, w := lastEventID(t, db), wakes
		if _, err := db.UpdateTag(ctx, "elections", content.TagEdit{Description: strPtr("Votes and counts")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateTag(ctx, "elections", content.TagEdit{Name: strPtr("Elections")}); err != nil {
			t.Fatal(err)
		}
		check(t, before, "", "", "")
		if wakes != w {
			t.Error("the webhook dispatcher was woken for nothing")
		}
	})
	t.Run("a rename writes one event per published story with the tag, none for drafts", func(t *testing.T) {
		before, w := lastEventID(t, db), wakes
		if _, err := db.UpdateTag(ctx, "elections", content.TagEdit{Name: strPtr("Election day")}); err != nil {
			t.Fatal(err)
		}
		check(t, before, "renamed", "elections", "election-day", both, only)
		if wakes != w+1 {
			t.Errorf("OnEvent called %d times, want once", wakes-w)
		}
	})
	t.Run("a new slug alone is a change readers see", func(t *testing.T) {
		before := lastEventID(t, db)
		if _, err := db.UpdateTag(ctx, "election-day", content.TagEdit{Slug: strPtr("polling-day")}); err != nil {
			t.Fatal(err)
		}
		check(t, before, "renamed", "election-day", "polling-day", both, only)
		if _, err := db.UpdateTag(ctx, "polling-day", content.TagEdit{Slug: strPtr("election-day")}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a new name with the same slug is a change readers see", func(t *testing.T) {
		before := lastEventID(t, db)
		if _, err := db.UpdateTag(ctx, "election-day", content.TagEdit{Name: strPtr("Election Day")}); err != nil {
			t.Fatal(err)
		}
		check(t, before, "renamed", "election-day", "election-day", both, only)
	})
	t.Run("a merge writes one event per published story of the merged tag", func(t *testing.T) {
		before := lastEventID(t, db)
		if _, err := db.MergeTags(ctx, "election-day", "voting"); err != nil {
			t.Fatal(err)
		}
		check(t, before, "merged", "election-day", "voting", both, only)
	})
	t.Run("a failed merge writes nothing", func(t *testing.T) {
		before := lastEventID(t, db)
		if _, err := db.MergeTags(ctx, "voting", "nope"); !errors.Is(err, content.ErrNotFound) {
			t.Fatalf("merge into a missing tag: %v", err)
		}
		check(t, before, "", "", "")
	})
	t.Run("a delete writes one event per published story with the tag", func(t *testing.T) {
		before, w := lastEventID(t, db), wakes
		if err := db.DeleteTag(ctx, "voting"); err != nil {
			t.Fatal(err)
		}
		check(t, before, "deleted", "voting", "", both, only, target)
		if wakes != w+1 {
			t.Errorf("OnEvent called %d times, want once", wakes-w)
		}
	})
	t.Run("a tag only drafts carry writes nothing", func(t *testing.T) {
		mustCreate(t, db, story("Embargoed", "Secret"))
		before, w := lastEventID(t, db), wakes
		if _, err := db.UpdateTag(ctx, "secret", content.TagEdit{Name: strPtr("Hidden")}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteTag(ctx, "hidden"); err != nil {
			t.Fatal(err)
		}
		check(t, before, "", "", "")
		if wakes != w {
			t.Error("the webhook dispatcher was woken for nothing")
		}
	})
}
