package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"dateline/auth"
	"dateline/content"
)

func TestOnlyWritesListsShowMoveTheGeneration(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "gen.db"), Options{Render: renderFunc(
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
	gen := db.Generation()
	for i := range 3 { // autosaves
		e := draft.Edit
		e.Body = fmt.Sprintf("Text %d.", i)
		if draft, err = db.UpdateArticle(ctx, draft.ID, content.Save{Version: draft.Version, Edit: e}); err != nil {
			t.Fatal(err)
		}
	}
	if db.Generation() != gen {
		t.Error("saving a draft moved the generation")
	}
	if _, err := db.ChangeStatus(ctx, draft.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	if db.Generation() == gen {
		t.Error("publishing left the generation as it was")
	}
	gen = db.Generation()
	if _, err := db.ChangeStatus(ctx, draft.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if db.Generation() == gen {
		t.Error("withdrawing left the generation as it was")
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
