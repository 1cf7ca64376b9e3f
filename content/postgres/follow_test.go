package postgres_test

import (
	"context"
	"testing"
	"time"

	"dateline/content"
)

// waitFor fails the test unless ch signals within d.
func waitFor(t *testing.T, ch <-chan struct{}, d time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("no signal of %s within %s", what, d)
	}
}

// drain drops a pending signal of ch.
func drain(ch <-chan struct{}) {
	select {
	case <-ch:
	default:
	}
}

func TestFollowSeesAnotherInstancesWritesWithinASecond(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dbs := instances(t, 2, fixed(start))
	a, b := dbs[0], dbs[1]
	done := make(chan error, 1)
	go func() { done <- b.Follow(ctx, time.Minute) }() // the notification, not the poll, must carry it
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Follow: %v", err)
		}
	}()
	time.Sleep(200 * time.Millisecond) // Follow is listening
	drain(b.EventsWritten())
	drain(b.ScheduleChanges())

	story, err := a.CreateArticle(ctx, readyEdit("Due at noon"), "")
	if err != nil {
		t.Fatal(err)
	}
	later := start.Add(time.Hour)
	if _, err := a.ChangeStatus(ctx, story.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &later}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b.ScheduleChanges(), time.Second, "a story another instance scheduled")

	before := b.Generation()
	published, err := a.CreateArticle(ctx, readyEdit("Published now"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ChangeStatus(ctx, published.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b.EventsWritten(), time.Second, "a story another instance published")
	if g := b.Generation(); g <= before || g != a.Generation() {
		t.Errorf("the follower's generation %d (was %d), the writer's %d", g, before, a.Generation())
	}
}

func TestFollowPollsTheOutboxHeadWhenNoNotificationComes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dbs := instances(t, 2, fixed(start))
	a, b := dbs[0], dbs[1]
	// A write that committed before b listened sends b nothing.
	story, err := a.CreateArticle(ctx, readyEdit("Published before"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ChangeStatus(ctx, story.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	if b.Generation() >= a.Generation() {
		t.Fatalf("b opened after the write? generation %d, writer %d", b.Generation(), a.Generation())
	}
	done := make(chan error, 1)
	go func() { done <- b.Follow(ctx, 100*time.Millisecond) }()
	defer func() {
		cancel()
		<-done
	}()
	waitFor(t, b.EventsWritten(), time.Second, "the head read by the poll")
	if b.Generation() != a.Generation() {
		t.Errorf("generation %d after the poll, want %d", b.Generation(), a.Generation())
	}
}
