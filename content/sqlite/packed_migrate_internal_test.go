package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"dateline/content"
)

// TestMigration0019StoresPagesOnce writes stories as a server before 0019
// did (text columns, pages as copies of the HTML) and migrates: pages
// become offsets where they make up the HTML, the others stay, and every
// story reads as it did.
func TestMigration0019StoresPagesOnce(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "d.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bodies := map[string]string{
		"two-pages":  "Первая страница, «с кавычками» & <b>bold</b>.\n\n" + content.PageBreak + "\n\nSecond page.",
		"one-page":   "Only one.",
		"footnotes":  "A claim.[^1]\n\n" + content.PageBreak + "\n\nMore.[^1]\n\n[^1]: The source.",
		"empty-body": "",
	}
	want := map[string]content.Rendered{}
	for slug, body := range bodies {
		a, err := db.CreateArticle(ctx, content.Edit{Headline: slug, Slug: slug, Body: body}, "")
		if err != nil {
			t.Fatal(err)
		}
		r := content.Render(body)
		want[slug] = r
		old, err := jsonText(r.Pages)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.w.ExecContext(ctx, "UPDATE articles SET body = ?, body_html = ?, pages = ? WHERE id = ?", body, r.HTML, old, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.w.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = 19"); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for slug, body := range bodies {
		t.Run(slug+" reads as before", func(t *testing.T) {
			a, err := db.Article(ctx, content.ArticleFilter{Slug: &slug, Full: true})
			if err != nil {
				t.Fatal(err)
			}
			if a.Body != body || a.HTML != want[slug].HTML || !slices.Equal(a.Pages, want[slug].Pages) {
				t.Fatalf("body %q html %q pages %q; want %q %q %q", a.Body, a.HTML, a.Pages, body, want[slug].HTML, want[slug].Pages)
			}
		})
	}
	t.Run("pages that make up the HTML are stored as offsets", func(t *testing.T) {
		var pages string
		if err := db.r.QueryRowContext(ctx, "SELECT pages FROM articles WHERE slug = 'two-pages'").Scan(&pages); err != nil {
			t.Fatal(err)
		}
		ends := []int{len(want["two-pages"].Pages[0]), len(want["two-pages"].HTML)}
		if pages != fmt.Sprintf("[%d,%d]", ends[0], ends[1]) {
			t.Fatalf("pages stored as %s, want the offsets %v", pages, ends)
		}
	})
}

// jsonText is v as JSON text.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
