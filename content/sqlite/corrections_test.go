package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

// correct saves a's current state again with a correction and returns the
// new state.
func correct(tb testing.TB, db *sqlite.DB, a *content.Article, text string) *content.Article {
	tb.Helper()
	out, err := db.UpdateArticle(context.Background(), a.ID, content.Save{Version: a.Version, Edit: a.Edit, Correction: text, Update: true})
	if err != nil {
		tb.Fatalf("correct %s: %v", a.Slug, err)
	}
	return out
}

func TestCorrectionsLogShowsPublishedStoriesOnlyNewestFirst(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	tick := func() { *now = now.Add(time.Minute) }

	quay := mustPublish(t, db, mustCreate(t, db, story("Quay widened")).ID)
	ferry := mustPublish(t, db, mustCreate(t, db, story("Ferry late")).ID)
	withdrawn := mustPublish(t, db, mustCreate(t, db, story("Withdrawn story")).ID)
	deleted := mustPublish(t, db, mustCreate(t, db, story("Deleted story")).ID)

	tick()
	quay = correct(t, db, quay, "quay 1")
	withdrawn = correct(t, db, withdrawn, "withdrawn 1")
	deleted = correct(t, db, deleted, "deleted 1")
	tick()
	ferry = correct(t, db, ferry, "ferry 1")
	quay = correct(t, db, quay, "quay 2") // the same instant as ferry 1
	tick()
	ferry = correct(t, db, ferry, "ferry 2")
	if _, err := db.ChangeStatus(ctx, withdrawn.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteArticle(ctx, deleted.ID, ""); err != nil {
		t.Fatal(err)
	}
	want := []string{"ferry 2", "quay 2", "ferry 1", "quay 1"}

	t.Run("one page holds every correction of published stories, newest first, with its story", func(t *testing.T) {
		got, err := db.Corrections(ctx, content.CorrectionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if texts := correctionTexts(got); fmt.Sprint(texts) != fmt.Sprint(want) {
			t.Fatalf("corrections %q, want %q", texts, want)
		}
		if got[0].ArticleSlug != ferry.Slug || got[0].Headline != "Ferry late" || !got[0].At.Equal(*now) {
			t.Errorf("first entry %+v", got[0])
		}
	})
	t.Run("pages of one follow the cursor through each exactly once", func(t *testing.T) {
		var texts []string
		f := content.CorrectionFilter{Limit: 1}
		for range 10 {
			page, err := db.Corrections(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			texts = append(texts, correctionTexts(page)...)
			cur := page[0].Cursor()
			f.After = &cur
		}
		if fmt.Sprint(texts) != fmt.Sprint(want) {
			t.Fatalf("paged %q, want %q", texts, want)
		}
	})
	t.Run("a republished story's corrections show again", func(t *testing.T) {
		mustPublish(t, db, withdrawn.ID)
		got, err := db.Corrections(ctx, content.CorrectionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 5 {
			t.Errorf("corrections %q, want the withdrawn story's back", correctionTexts(got))
		}
	})
	t.Run("a cursor of another list is refused by field", func(t *testing.T) {
		rank := int64(3)
		for _, cur := range []content.Cursor{{Time: *now, ID: "0193c2d4-uuid"}, {Time: *now, ID: "1", Rank: &rank}, {Time: *now, ID: "0"}} {
			_, err := db.Corrections(ctx, content.CorrectionFilter{After: &cur})
			if content.ErrorCode(err) != content.EINVALID || len(content.ErrorFields(err)) != 1 || content.ErrorFields(err)[0].Field != "cursor" {
				t.Errorf("cursor %+v: %v", cur, err)
			}
		}
	})
}

func correctionTexts(es []content.CorrectionEntry) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.Text)
	}
	return out
}
