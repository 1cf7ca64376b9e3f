package sqlite_test

import (
	"context"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

func eventTypes(tb testing.TB, db *sqlite.DB) []string {
	tb.Helper()
	evs, err := db.Events(context.Background(), content.EventFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	var types []string
	for _, e := range evs {
		types = append(types, e.Type)
	}
	return types
}

func TestEveryPublicChangeWritesOneEvent(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	schedule := func(id string, at time.Time) {
		t.Helper()
		if _, err := db.ChangeStatus(ctx, id, content.StatusChange{From: []content.Status{content.StatusDraft, content.StatusInReview}, To: content.StatusScheduled, PublishAt: &at}); err != nil {
			t.Fatal(err)
		}
	}
	a := mustCreate(t, db, story("Outbox story"))
	steps := []struct {
		name string
		do   func()
		want []string // events added by the step
	}{
		{"a draft save writes nothing", func() {
			e := a.Edit
			e.Standfirst = "Changed"
			var err error
			if a, err = db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e}); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"scheduling writes nothing", func() { schedule(a.ID, now.Add(time.Minute)) }, nil},
		{"the scheduled publication writes a published event", func() {
			*now = now.Add(time.Minute)
			var err error
			if a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusScheduled}, To: content.StatusPublished, Due: true}); err != nil {
				t.Fatal(err)
			}
		}, []string{content.EventPublished}},
		{"a save of a published story's working copy writes nothing", func() {
			e := a.Edit
			e.Headline = "Outbox story, updated"
			if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e, Autosave: true}); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"its Update writes one updated event", func() {
			wc, err := db.WorkingCopy(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if a, err = db.PublishWorkingCopy(ctx, a.ID, content.Update{Version: wc.Version}); err != nil {
				t.Fatal(err)
			}
		}, []string{content.EventUpdated}},
		{"discarding a working copy writes nothing", func() {
			e := a.Edit
			e.Headline = "Never seen"
			if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e}); err != nil {
				t.Fatal(err)
			}
			var err error
			if a, err = db.DiscardWorkingCopy(ctx, a.ID, content.Discard{Version: a.Version + 1}); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"a slug change saved as the Update writes an updated event with the previous slug", func() {
			e := a.Edit
			e.Slug = "outbox-renamed"
			var err error
			if a, err = db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e, Update: true}); err != nil {
				t.Fatal(err)
			}
		}, []string{content.EventUpdated}},
		{"a manual withdrawal writes an unpublished event", func() {
			var err error
			if a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: published, To: content.StatusUnpublished}); err != nil {
				t.Fatal(err)
			}
		}, []string{content.EventUnpublished}},
		{"a manual republication writes a published event", func() { a = mustPublish(t, db, a.ID) }, []string{content.EventPublished}},
		{"setting a withdrawal time writes nothing; the scheduled withdrawal writes an unpublished event", func() {
			at := now.Add(time.Hour)
			var err error
			if _, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: published, To: content.StatusPublished, UnpublishAt: &at}); err != nil {
				t.Fatal(err)
			}
			*now = at
			if a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: published, To: content.StatusUnpublished, Due: true}); err != nil {
				t.Fatal(err)
			}
		}, []string{content.EventUnpublished}},
		{"an edit of a withdrawn story writes nothing", func() {
			e := a.Edit
			e.Headline = "Quiet"
			var err error
			if a, err = db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e}); err != nil {
				t.Fatal(err)
			}
		}, nil},
	}
	var want []string
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.do()
			want = append(want, s.want...)
			got := eventTypes(t, db)
			if len(got) != len(want) {
				t.Fatalf("events %v, want %v", got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("events %v, want %v", got, want)
				}
			}
		})
	}
	evs, _ := db.Events(ctx, content.EventFilter{Limit: 100})
	if evs[2].Payload["previous_slug"] != "outbox-story" || evs[2].Slug != "outbox-renamed" {
		t.Errorf("slug change event = %+v", evs[2])
	}
	after, _ := db.Events(ctx, content.EventFilter{AfterID: evs[3].ID, Limit: 2})
	if len(after) != 2 || after[0].ID != evs[4].ID {
		t.Errorf("events after %d = %+v", evs[3].ID, after)
	}
}

func TestChangeNotificationsFireAfterCommit(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	signalled := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	a := mustCreate(t, db, story("Notify"))
	signalled(db.ScheduleChanges())
	signalled(db.EventsWritten())
	at := now.Add(time.Minute)
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &at}); err != nil {
		t.Fatal(err)
	}
	if !signalled(db.ScheduleChanges()) {
		t.Error("scheduling did not signal a schedule change")
	}
	signalled(db.EventsWritten())
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusScheduled}, To: content.StatusPublished, Due: true}); err == nil {
		t.Fatal("an early claim succeeded")
	}
	if signalled(db.ScheduleChanges()) || signalled(db.EventsWritten()) {
		t.Error("a refused claim signalled a change")
	}
}

func TestScheduleItemsAndNextScheduled(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	t0 := *now
	pubAt := func(d time.Duration) *time.Time { x := t0.Add(d); return &x }
	_, err := db.Import(ctx, []content.Import{
		{Edit: story("Due soon"), Status: content.StatusScheduled, PublishAt: pubAt(time.Minute)},
		{Edit: story("Overdue"), Status: content.StatusScheduled, PublishAt: pubAt(-time.Minute)},
		{Edit: story("Withdraw later"), Status: content.StatusPublished, PublishedAt: pubAt(-time.Hour), UnpublishAt: pubAt(2 * time.Minute)},
		{Edit: story("Published for good"), Status: content.StatusPublished, PublishedAt: pubAt(-time.Hour)},
		{Edit: story("A draft")},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    content.ScheduleFilter
		want []string
	}{
		{"everything, earliest first", content.ScheduleFilter{}, []string{"overdue", "due-soon", "withdraw-later"}},
		{"what is due now", content.ScheduleFilter{DueBy: &t0}, []string{"overdue"}},
		{"what comes after now", content.ScheduleFilter{After: &t0}, []string{"due-soon", "withdraw-later"}},
		{"limited", content.ScheduleFilter{After: &t0, Limit: 1}, []string{"due-soon"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := db.ScheduleItems(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items {
				got = append(got, it.Slug)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
	next, ok, err := db.NextScheduled(ctx, t0)
	if err != nil || !ok || !next.Equal(t0.Add(time.Minute)) {
		t.Errorf("next after now = %v %v %v", next, ok, err)
	}
	next, ok, _ = db.NextScheduled(ctx, t0.Add(time.Minute))
	if !ok || !next.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("next after the first = %v %v, want the withdrawal", next, ok)
	}
	if _, ok, _ := db.NextScheduled(ctx, t0.Add(time.Hour)); ok {
		t.Errorf("something is scheduled after the last item")
	}
}
