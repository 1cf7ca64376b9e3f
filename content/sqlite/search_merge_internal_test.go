package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"dateline/content"
)

func TestTheSearchIndexStaysInFewSegmentsAsStoriesArePublishedOneByOne(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "merge.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 300
	for i := range n {
		e := content.Edit{Headline: fmt.Sprintf("Harbour story %d", i), Body: fmt.Sprintf("Tide word%d.", i)}
		a, err := db.CreateArticle(ctx, e, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
			t.Fatal(err)
		}
	}
	// Without tidySearch FTS4 holds fifteen segments here (it merges
	// sixteen at a time); every search term is looked up in each of them.
	var segments int
	if err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM article_search_segdir").Scan(&segments); err != nil {
		t.Fatal(err)
	}
	if segments > 8 {
		t.Errorf("%d segments after %d single-story writes", segments, n)
	}
	for _, q := range []string{"word0", fmt.Sprintf("word%d", n-1), "harbour"} {
		as, err := db.Articles(ctx, content.ArticleFilter{Query: q, Statuses: []content.Status{content.StatusPublished}, Limit: 1})
		if err != nil || len(as) != 1 {
			t.Errorf("search %q: %d stories, %v", q, len(as), err)
		}
	}
}
