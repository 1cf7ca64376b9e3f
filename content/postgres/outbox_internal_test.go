package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/postgres/pgtest"
)

// TestAnEventCommitsBeforeAnyEventIssuedAfterIt holds a transaction open
// after it appended an event, while another instance publishes a story:
// the other write waits, so no reader can see the later event without the
// earlier one and read past it.
func TestAnEventCommitsBeforeAnyEventIssuedAfterIt(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Open(t)
	clock := func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }
	a, err := Open(ctx, url, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, url, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	edit := content.Edit{Headline: "Second story", Dateline: content.Dateline{Place: "PORT ELLIS"}, Body: "Text."}
	story, err := b.CreateArticle(ctx, edit, "")
	if err != nil {
		t.Fatal(err)
	}

	emitted, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- a.withTx(ctx, func(tx *wtx) error {
			if err := tx.emit(ctx, content.Emit{Type: content.EventUpdated, Slug: "first"}, clock()); err != nil {
				return err
			}
			close(emitted)
			<-release
			return nil
		})
	}()
	<-emitted
	second := make(chan error, 1)
	go func() {
		_, err := b.ChangeStatus(ctx, story.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
		second <- err
	}()
	select {
	case err := <-second:
		evs, _ := b.Events(ctx, content.EventFilter{})
		close(release)
		<-first
		t.Fatalf("a later event committed while an earlier one was open (%v): a reader sees %+v", err, evs)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	evs, err := b.Events(ctx, content.EventFilter{})
	if err != nil || len(evs) != 2 || evs[0].Slug != "first" || evs[1].ArticleID != story.ID {
		t.Fatalf("events %+v, %v; want the held one, then the publication", evs, err)
	}
}

// headlineRenderer renders a story as its headline.
type headlineRenderer struct{}

func (headlineRenderer) Key() string { return "h" }

func (headlineRenderer) Render(a *content.Article, _ map[string]string) (content.PublicJSON, error) {
	return content.PublicJSON{Summary: []byte(a.Headline), Full: []byte(a.Headline), Keys: a.ID}, nil
}

func TestAWriteThatChangesStoredJSONWithoutAnEventIsRolledBack(t *testing.T) {
	ctx := context.Background()
	clock := func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }
	db, err := Open(ctx, pgtest.Open(t), Options{Now: clock, Render: headlineRenderer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	edit := content.Edit{Headline: "Market opens", Dateline: content.Dateline{Place: "PORT ELLIS"}, Body: "Text."}
	a, err := db.CreateArticle(ctx, edit, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	err = db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "UPDATE articles SET headline = 'Market closes' WHERE id = $1", a.ID); err != nil {
			return err
		}
		return db.refreshPublic(ctx, tx, []string{a.ID})
	})
	if !errors.Is(err, errUndeclared) {
		t.Fatalf("an undeclared change of stored JSON: %v, want %v", err, errUndeclared)
	}
	b, ok, err := db.PublicBlob(ctx, a.Slug, "h", nil)
	if err != nil || !ok || string(b.JSON) != "Market opens" {
		t.Errorf("after the refused write: %q, %v, %v; want the JSON as it was", b.JSON, ok, err)
	}
}
