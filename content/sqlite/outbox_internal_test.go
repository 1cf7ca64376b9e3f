package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"dateline/content"
)

// TestTwoDBsOnOneFileFollowEachOthersWrites opens one file twice, as two
// processes would, and checks that each one's generation (the outbox
// head) follows the other's visible writes, and only those.
func TestTwoDBsOnOneFileFollowEachOthersWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	open := func() *DB {
		db, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	// follow runs db.Follow until db has caught up with the outbox head
	// (or for at most 5 s), then for a few more ticks.
	follow := func(db *DB) {
		fctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { db.Follow(fctx, 5*time.Millisecond); close(done) }()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if n, err := db.head(ctx); err == nil && db.Generation() == n {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		cancel()
		<-done
	}
	publish := func(db *DB, headline string) error {
		_, err := db.Import(ctx, []content.Import{{Edit: content.Edit{Headline: headline, Body: "Text."},
			Status: content.StatusPublished, PublishedAt: new(time.Now().Add(-time.Hour))}}, "")
		return err
	}
	if err := publish(a, "Harbour reopens"); err != nil {
		t.Fatal(err)
	}
	t.Run("a visible write of the other is followed", func(t *testing.T) {
		before := b.Generation()
		if err := publish(a, "Weather"); err != nil {
			t.Fatal(err)
		}
		if b.Generation() != before {
			t.Fatalf("b moved before following: %d → %d", before, b.Generation())
		}
		follow(b)
		if b.Generation() != a.Generation() || b.Generation() <= before {
			t.Fatalf("after following: a %d, b %d (was %d)", a.Generation(), b.Generation(), before)
		}
	})
	t.Run("an own write after an unfollowed write of the other is followed too", func(t *testing.T) {
		if err := publish(a, "Ferries"); err != nil {
			t.Fatal(err)
		}
		if err := publish(b, "Tides"); err != nil {
			t.Fatal(err)
		}
		if n, _ := b.head(ctx); b.Generation() != n {
			t.Errorf("b's generation %d, the outbox head %d", b.Generation(), n)
		}
	})
	t.Run("a schedule the other sets wakes the scheduler, though readers see nothing", func(t *testing.T) {
		follow(a)
		follow(b)
		before := b.Generation()
		fctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go b.Follow(fctx, 5*time.Millisecond)
		draft, err := a.CreateArticle(ctx, content.Edit{Headline: "Tomorrow's tides", Body: "Text."}, "")
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond) // ten ticks: b has seen the draft's commit
		select {
		case <-b.ScheduleChanges():
		default:
		}
		if _, err := a.ChangeStatus(ctx, draft.ID, content.StatusChange{From: []content.Status{content.StatusDraft},
			To: content.StatusScheduled, PublishAt: new(time.Now().Add(time.Hour))}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-b.ScheduleChanges():
		case <-time.After(time.Second):
			t.Error("b's scheduler was not woken for a's schedule within a second")
		}
		if b.Generation() != before || a.Generation() != before {
			t.Errorf("a schedule moved the generation: a %d, b %d, was %d", a.Generation(), b.Generation(), before)
		}
	})
	t.Run("a write readers cannot see moves nothing", func(t *testing.T) {
		follow(a)
		follow(b)
		before := b.Generation()
		if _, err := a.CreateArticle(ctx, content.Edit{Headline: "A draft", Body: "Not yet."}, ""); err != nil {
			t.Fatal(err)
		}
		follow(b)
		if a.Generation() != before || b.Generation() != before {
			t.Errorf("a draft moved the generation: a %d, b %d, was %d", a.Generation(), b.Generation(), before)
		}
	})
}

// TestFollowLeavesReadsTheirConnections runs Follow on a store of one
// reader connection: Follow holds a connection of its own for as long as
// it runs, and reads must still have theirs.
func TestFollowLeavesReadsTheirConnections(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "dateline.db"), Options{Readers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { db.Follow(fctx, time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()
	time.Sleep(20 * time.Millisecond) // Follow has taken its connection
	rctx, stop := context.WithTimeout(ctx, 5*time.Second)
	defer stop()
	if _, err := db.head(rctx); err != nil {
		t.Fatalf("a read while Follow runs: %v", err)
	}
}
