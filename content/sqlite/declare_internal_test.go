package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"dateline/content"
)

// TestAWriteDeclaresWhatReadersSeeThroughTheOutbox runs writes of each
// kind in one newsroom with stored public JSON and an item cache, and
// checks what each leaves: a write that appends outbox events moves the
// outbox head and the generation to its last event and drops the cached
// items it made stale; one that appends none leaves the head, the
// generation and the cache as they were; one that changes stored public
// JSON without an event is refused and leaves nothing.
func TestAWriteDeclaresWhatReadersSeeThroughTheOutbox(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "declare.db"), Options{Render: hRenderer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids, err := db.Import(ctx, []content.Import{{Edit: content.Edit{Headline: "Harbour reopens", Body: "Text."},
		Status: content.StatusPublished, PublishedAt: new(time.Now().Add(-time.Hour))}}, "")
	if err != nil {
		t.Fatal(err)
	}
	live := ids[0]
	draft, err := db.CreateArticle(ctx, content.Edit{Headline: "A draft", Body: "Not yet."}, "")
	if err != nil {
		t.Fatal(err)
	}
	at := stampText(time.Now())
	headline := func() string {
		var h string
		if err := db.r.QueryRowContext(ctx, "SELECT headline FROM articles WHERE id = ?", live).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	renamed := "Harbour reopens"

	tests := []struct {
		name    string
		write   func(tx *wtx) error
		events  uint64 // how many events the write appends
		refused bool   // withTx fails with errUndeclared
	}{
		{"a write that appends an event is seen", func(tx *wtx) error {
			return tx.emit(ctx, content.StoryUpdated(live, "harbour-reopens", 1, ""), at)
		}, 1, false},
		{"a write that appends three events moves the generation to the last", func(tx *wtx) error {
			for range 3 {
				if err := tx.emit(ctx, content.Emit{Type: content.EventTagUpdated, Slug: "harbour"}, at); err != nil {
					return err
				}
			}
			return nil
		}, 3, false},
		{"a write that appends no event is unseen", func(tx *wtx) error {
			_, err := tx.ExecContext(ctx, "UPDATE articles SET headline = 'Still a draft' WHERE id = ?", draft.ID)
			return err
		}, 0, false},
		{"a story re-rendered to the bytes it had is no change", func(tx *wtx) error {
			return db.refreshPublic(ctx, tx, []string{live})
		}, 0, false},
		{"an event appended in a savepoint rolled back is none", func(tx *wtx) error {
			if _, err := tx.ExecContext(ctx, "SAVEPOINT s"); err != nil {
				return err
			}
			if err := tx.emit(ctx, content.Emit{Type: content.EventUpdated, ArticleID: live, Slug: "harbour-reopens"}, at); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "ROLLBACK TO s")
			return err
		}, 0, false},
		{"a change of stored public JSON without an event is refused", func(tx *wtx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE articles SET headline = 'Harbour closes' WHERE id = ?", live); err != nil {
				return err
			}
			return db.refreshPublic(ctx, tx, []string{live})
		}, 0, true},
		{"the same change with its event is seen", func(tx *wtx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE articles SET headline = 'Harbour closes' WHERE id = ?", live); err != nil {
				return err
			}
			renamed = "Harbour closes"
			if err := db.refreshPublic(ctx, tx, []string{live}); err != nil {
				return err
			}
			return tx.emit(ctx, content.Emit{Type: content.EventUpdated, ArticleID: live, Slug: "harbour-reopens"}, at)
		}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := db.head(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if db.Generation() != before {
				t.Fatalf("the generation %d is not the outbox head %d", db.Generation(), before)
			}
			select { // drain the signal of earlier writes
			case <-db.EventsWritten():
			default:
			}

			err = db.withTx(ctx, tt.write)
			if tt.refused != errors.Is(err, errUndeclared) || (!tt.refused && err != nil) {
				t.Fatalf("withTx = %v, refused want %v", err, tt.refused)
			}
			after, herr := db.head(ctx)
			if herr != nil {
				t.Fatal(herr)
			}
			if after != before+tt.events || db.Generation() != after {
				t.Errorf("head %d → %d and generation %d, want %d more events and the generation at the head", before, after, db.Generation(), tt.events)
			}
			select {
			case <-db.EventsWritten():
				if tt.events == 0 {
					t.Error("the webhook dispatcher was woken for a write without events")
				}
			default:
				if tt.events > 0 {
					t.Error("the webhook dispatcher was not woken")
				}
			}
			if got := headline(); got != renamed {
				t.Errorf("the story's headline is %q, want %q", got, renamed)
			}
			blob, ok, err := db.PublicBlob(ctx, "harbour-reopens", "k", nil)
			if err != nil || !ok || string(blob.JSON) != `{"h":"`+renamed+`"}` {
				t.Errorf("stored public JSON = %s %v %v, want the headline %q", blob.JSON, ok, err, renamed)
			}
		})
	}
}

// hRenderer renders a story's public JSON as its headline, under render
// key "k".
type hRenderer struct{}

func (hRenderer) Render(a *content.Article, _ map[string]string) (content.PublicJSON, error) {
	b := []byte(`{"h":"` + a.Headline + `"}`)
	return content.PublicJSON{Summary: b, Full: b, Keys: "k"}, nil
}

func (hRenderer) Key() string { return "k" }

// TestTheOutboxHeadStartsAtTheContentVersionAndPeersOfEitherReleaseFollowEachOther
// undoes migration 0018 on a database whose content version ran ahead
// of its events, as version 0014 left it, and migrates again: the head,
// and so the generation, starts at the content version (never below what a
// running process followed), the next event takes the next id, and a
// process of the release before, which bumps the content version and
// follows it, and one of this release see each other's writes.
func TestTheOutboxHeadStartsAtTheContentVersionAndPeersOfEitherReleaseFollowEachOther(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "upgrade.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Import(ctx, []content.Import{{Edit: content.Edit{Headline: "Harbour reopens", Body: "Text."},
		Status: content.StatusPublished, PublishedAt: new(time.Now().Add(-time.Hour))}}, ""); err != nil {
		t.Fatal(err)
	}
	exec := func(stmts ...string) {
		t.Helper()
		for _, s := range stmts {
			if _, err := db.w.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	version := func() uint64 {
		var n uint64
		if err := db.r.QueryRowContext(ctx, "SELECT n FROM content_version").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	exec("DROP TRIGGER events_move_content_version", "DROP TRIGGER content_version_moves_outbox_head",
		"DELETE FROM schema_migrations WHERE version = 18", "UPDATE content_version SET n = 40")
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if h, err := db.head(ctx); err != nil || h != 40 {
		t.Fatalf("after the migration the head is %d (%v), want the content version 40", h, err)
	}
	peer, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if peer.Generation() != 40 {
		t.Fatalf("a process opening the upgraded file starts at %d, want 40", peer.Generation())
	}

	t.Run("an event of this release takes the next id and moves the old content version", func(t *testing.T) {
		if _, err := peer.UpdateTag(ctx, "nothing", content.TagEdit{}); !errors.Is(err, content.ErrNotFound) {
			t.Fatalf("a missing tag: %v", err)
		}
		if _, err := db.Import(ctx, []content.Import{{Edit: content.Edit{Headline: "Ferries run", Body: "Text."},
			Status: content.StatusPublished, PublishedAt: new(time.Now().Add(-time.Hour))}}, ""); err != nil {
			t.Fatal(err)
		}
		if last, err := db.LastEventID(ctx); err != nil || last != 41 || db.Generation() != 41 {
			t.Errorf("the new event is %d (%v), generation %d, want 41", last, err, db.Generation())
		}
		if v := version(); v != 41 {
			t.Errorf("the content version an old process follows is %d, want 41", v)
		}
	})
	t.Run("a bump of the content version by an old process moves the head", func(t *testing.T) {
		exec("UPDATE content_version SET n = n + 1 WHERE id = 1") // as bumpVersion did
		fctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { peer.Follow(fctx, 5*time.Millisecond); close(done) }()
		for deadline := time.Now().Add(5 * time.Second); peer.Generation() < 42 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		<-done
		if peer.Generation() != 42 {
			t.Errorf("the peer follows %d, want 42", peer.Generation())
		}
	})
}

// BenchmarkReadHead measures the read Follow makes every tick (and Open
// once): the outbox head from sqlite_sequence, through the read pool, in a
// database of 2,000 events.
func BenchmarkReadHead(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "head.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	err = db.withTx(ctx, func(tx *wtx) error {
		for range 2000 {
			if err := tx.emit(ctx, content.Emit{Type: content.EventTagUpdated, Slug: "harbour"}, stampText(time.Now())); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if n, err := db.head(ctx); err != nil || n != 2000 {
			b.Fatalf("head = %d, %v", n, err)
		}
	}
}

// BenchmarkFollowTick measures one tick of Follow when no other connection
// has committed since the last: one PRAGMA data_version on its connection.
func BenchmarkFollowTick(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "tick.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var f follower
	defer f.close()
	db.followOnce(ctx, &f)
	if f.conn == nil || f.version == 0 {
		b.Fatal("the first tick read no data_version")
	}
	b.ResetTimer()
	for b.Loop() {
		db.followOnce(ctx, &f)
	}
}
