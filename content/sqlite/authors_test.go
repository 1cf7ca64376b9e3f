package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

// credited creates a story crediting authors and moves it to status.
func credited(tb testing.TB, db *sqlite.DB, headline string, status content.Status, authors ...auth.User) *content.Article {
	tb.Helper()
	ctx := context.Background()
	e := story(headline)
	for _, u := range authors {
		e.AuthorIDs = append(e.AuthorIDs, u.ID)
	}
	a := mustCreate(tb, db, e)
	switch status {
	case content.StatusDraft:
		return a
	case content.StatusScheduled:
		publishAt := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		out, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &publishAt})
		if err != nil {
			tb.Fatal(err)
		}
		return out
	}
	a = mustPublish(tb, db, a.ID)
	if status == content.StatusUnpublished {
		out, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished})
		if err != nil {
			tb.Fatal(err)
		}
		return out
	}
	return a
}

func TestAuthorsAreUsersWithPublishedStoriesOnly(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	ines := mustUser(t, db, "ines@example.org", "inês Vaz", auth.RoleAuthor)
	bo := mustUser(t, db, "bo@example.org", "Bo Lund", auth.RoleEditor)
	hidden := mustUser(t, db, "hidden@example.org", "Hidden Writer", auth.RoleAuthor)
	mustUser(t, db, "admin@example.org", "Site Admin", auth.RoleAdmin)

	credited(t, db, "Quay widened", content.StatusPublished, ines, bo)
	credited(t, db, "Ferry late", content.StatusPublished, ines)
	credited(t, db, "Ines draft", content.StatusDraft, ines)
	for _, st := range []content.Status{content.StatusDraft, content.StatusScheduled, content.StatusUnpublished} {
		credited(t, db, "Hidden "+string(st), st, hidden)
	}
	deleted := credited(t, db, "Deleted story", content.StatusPublished, hidden)
	if err := db.DeleteArticle(ctx, deleted.ID, ""); err != nil {
		t.Fatal(err)
	}

	t.Run("the list holds only credited users of published stories, by name, with their counts", func(t *testing.T) {
		got, err := db.Authors(ctx, content.AuthorFilter{})
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			slug  string
			count int
		}
		var rows []row
		for _, au := range got {
			rows = append(rows, row{au.Slug, au.Count})
		}
		want := []row{{bo.Slug, 1}, {ines.Slug, 2}}
		if len(rows) != len(want) || rows[0] != want[0] || rows[1] != want[1] {
			t.Fatalf("authors %+v, want %+v", rows, want)
		}
		if got[1].Name != "inês Vaz" || got[1].ID != ines.ID {
			t.Errorf("author %+v", got[1])
		}
	})
	for _, tt := range []struct {
		name  string
		slug  string
		count int // 0: not found
	}{
		{"an author with published stories is found with the count of those only", ines.Slug, 2},
		{"an author of drafts, scheduled, withdrawn and deleted stories is not found", hidden.Slug, 0},
		{"a user who never wrote a story is not found", "site-admin", 0},
		{"an unknown slug is not found", "nobody", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			au, err := db.Author(ctx, content.AuthorFilter{Slug: &tt.slug})
			if tt.count == 0 {
				if !errors.Is(err, content.ErrNotFound) {
					t.Fatalf("author %+v, %v; want not found", au, err)
				}
				return
			}
			if err != nil || au.Slug != tt.slug || au.Count != tt.count {
				t.Fatalf("author %+v, %v; want %s with %d", au, err, tt.slug, tt.count)
			}
		})
	}
}
