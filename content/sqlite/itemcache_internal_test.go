package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"dateline/auth"
	"dateline/content"
)

func mustItemCache(t *testing.T, size int64) *itemCache {
	t.Helper()
	c, err := newItemCache(size, true)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *itemCache) get(id string) ([]byte, bool) {
	item := c.items([]string{id})[0]
	return item, item != nil
}

func TestItemCacheRefusesItemsReadBeforeAWrite(t *testing.T) {
	c := mustItemCache(t, 1<<20)
	defer c.close()
	gen := c.generation()
	// A write transaction changes story a and ends while a reader holds
	// what it read of a before the commit.
	c.stale("a")
	c.forget()
	c.put(gen, "a", []byte(`{"old":true}`))
	if _, ok := c.get("a"); ok {
		t.Fatal("an item read before a write was kept after it")
	}
	c.put(c.generation(), "a", []byte(`{"new":true}`))
	if js, ok := c.get("a"); !ok || string(js) != `{"new":true}` {
		t.Fatalf("got %s, %v", js, ok)
	}
}

func TestItemCacheForgetsWhatAWriteChanged(t *testing.T) {
	c := mustItemCache(t, 1<<20)
	defer c.close()
	for _, id := range []string{"a", "b", "c"} {
		c.put(c.generation(), id, []byte(id))
	}
	c.stale("b")
	c.forget()
	for id, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if _, ok := c.get(id); ok != want {
			t.Errorf("%s held %v, want %v", id, ok, want)
		}
	}
	c.stale() // any item
	c.forget()
	if _, ok := c.get("a"); ok {
		t.Error("a write that may change any item left one behind")
	}
	// A transaction that changed no item moves nothing.
	gen := c.generation()
	c.forget()
	if c.generation() != gen {
		t.Error("a write without stored items bumped the generation")
	}
}

func TestItemCacheOverwritesTheOldest(t *testing.T) {
	const size = 10 * 100
	c := mustItemCache(t, size)
	defer c.close()
	item := func(i int) []byte { return bytes.Repeat([]byte{byte('a' + i%26)}, 100) }
	for i := range 10 {
		c.put(c.generation(), fmt.Sprint(i), item(i))
	}
	if got, ok := c.get("0"); !ok || !bytes.Equal(got, item(0)) {
		t.Fatalf("item 0: %q %v", got, ok)
	}
	for i := 10; i < 14; i++ {
		c.put(c.generation(), fmt.Sprint(i), item(i))
	}
	for i := range 14 {
		got, ok := c.get(fmt.Sprint(i))
		wantHeld := i >= 4 // 0–3 were overwritten by 10–13
		if ok != wantHeld {
			t.Errorf("item %d held %v, want %v", i, ok, wantHeld)
		}
		if ok && !bytes.Equal(got, item(i)) {
			t.Errorf("item %d reads %q", i, got)
		}
	}
	if len(c.index) > 10 {
		t.Errorf("the index holds %d entries for a ring of 10 items", len(c.index))
	}
}

func TestItemCacheNeverSplitsAnItemAtTheEndOfTheRing(t *testing.T) {
	c := mustItemCache(t, 1000)
	defer c.close()
	for i := range 50 {
		item := bytes.Repeat([]byte{byte('a' + i%26)}, 30+i%7*11)
		c.put(c.generation(), fmt.Sprint(i), item)
		if got, ok := c.get(fmt.Sprint(i)); !ok || !bytes.Equal(got, item) {
			t.Fatalf("item %d: %q %v", i, got, ok)
		}
	}
	if _, ok := c.get("0"); ok {
		t.Error("item 0 survived twelve laps of the ring")
	}
}

func TestItemCacheRefusesItemsTooLargeForIt(t *testing.T) {
	c := mustItemCache(t, 800)
	defer c.close()
	c.put(c.generation(), "big", make([]byte, 101))
	if _, ok := c.get("big"); ok {
		t.Error("an item over an eighth of the ring was kept")
	}
}

func TestNoItemCacheHoldsNothing(t *testing.T) {
	c := mustItemCache(t, 0)
	c.put(c.generation(), "a", []byte("a"))
	c.stale("a")
	c.forget()
	if _, ok := c.get("a"); ok {
		t.Fatal("a disabled cache held an item")
	}
	c.close()
}

func TestOnlyWritesListsShowEmptyTheItemCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "gen.db"), Options{ItemCacheBytes: 1 << 20, Render: renderFunc(
		func(a *content.Article) content.PublicJSON {
			return content.PublicJSON{Summary: []byte(`{"h":"` + a.Headline + `"}`), Full: []byte("{}"), Keys: "k"}
		})})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	draft, err := db.CreateArticle(ctx, content.Edit{Headline: "A draft", Body: "Text.", Tags: []string{"harbour"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	gen := db.items.generation()
	for i := range 3 { // autosaves
		e := draft.Edit
		e.Body = fmt.Sprintf("Text %d.", i)
		if draft, err = db.UpdateArticle(ctx, draft.ID, content.Save{Version: draft.Version, Edit: e}); err != nil {
			t.Fatal(err)
		}
	}
	if db.items.generation() != gen {
		t.Error("saving a draft emptied the item cache")
	}
	if _, err := db.ChangeStatus(ctx, draft.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	if db.items.generation() == gen {
		t.Error("publishing left the item cache as it was")
	}
	gen = db.items.generation()
	if _, err := db.ChangeStatus(ctx, draft.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if db.items.generation() == gen {
		t.Error("withdrawing left the item cache as it was")
	}
}

func TestTheGenerationMovesOnlyForWritesReadersSee(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "seen.db"), Options{Render: renderFunc(
		func(*content.Article) content.PublicJSON {
			return content.PublicJSON{Summary: []byte(`{}`), Full: []byte("{}"), Keys: "k"}
		})})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	editor, err := db.CreateUser(ctx, auth.User{Email: "ed@example.org", Name: "Ed Itor", Role: auth.RoleEditor})
	if err != nil {
		t.Fatal(err)
	}
	story, err := db.CreateArticle(ctx, content.Edit{Headline: "A draft", Body: "Text.", Tags: []string{"harbour"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	save := func() error {
		e := story.Edit
		e.Body += " More."
		story, err = db.UpdateArticle(ctx, story.ID, content.Save{Version: story.Version, Edit: e})
		return err
	}
	for _, tt := range []struct {
		name  string
		write func() error
		moves bool
	}{
		{"a draft's save is unseen", save, false},
		{"an edit lock is unseen", func() error { _, err := db.AcquireLock(ctx, story.ID, editor.ID, false); return err }, false},
		{"a heartbeat is unseen", func() error { _, err := db.HeartbeatLock(ctx, story.ID, editor.ID); return err }, false},
		{"releasing the lock is unseen", func() error { return db.ReleaseLock(ctx, story.ID, editor.ID, false) }, false},
		{"publishing is seen", func() error {
			_, err := db.ChangeStatus(ctx, story.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
			return err
		}, true},
		{"a published story's save to its working copy is unseen", func() error {
			cur, err := db.Article(ctx, content.ArticleFilter{ID: &story.ID})
			if err != nil {
				return err
			}
			story = cur
			return save()
		}, false},
		{"updating the story from its working copy is seen", func() error {
			wc, err := db.WorkingCopy(ctx, story.ID)
			if err != nil {
				return err
			}
			_, err = db.PublishWorkingCopy(ctx, story.ID, content.Update{Version: wc.Version})
			return err
		}, true},
		{"discarding a working copy is unseen", func() error {
			cur, err := db.Article(ctx, content.ArticleFilter{ID: &story.ID})
			if err != nil {
				return err
			}
			story = cur
			if err := save(); err != nil {
				return err
			}
			wc, err := db.WorkingCopy(ctx, story.ID)
			if err != nil {
				return err
			}
			_, err = db.DiscardWorkingCopy(ctx, story.ID, content.Discard{Version: wc.Version})
			return err
		}, false},
		{"a new draft is unseen", func() error {
			_, err := db.CreateArticle(ctx, content.Edit{Headline: "Another", Body: "Text."}, "")
			return err
		}, false},
		{"a tag's rename is seen", func() error {
			_, err := db.UpdateTag(ctx, "harbour", content.TagEdit{Name: new("Port")})
			return err
		}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			gen := db.Generation()
			if err := tt.write(); err != nil {
				t.Fatal(err)
			}
			if moved := db.Generation() != gen; moved != tt.moves {
				t.Errorf("generation moved %v, want %v", moved, tt.moves)
			}
		})
	}
}

// renderFunc is a Renderer of key "k" that renders with the function.
type renderFunc func(a *content.Article) content.PublicJSON

func (f renderFunc) Key() string { return "k" }

func (f renderFunc) Render(a *content.Article, _ map[string]string) (content.PublicJSON, error) {
	return f(a), nil
}
