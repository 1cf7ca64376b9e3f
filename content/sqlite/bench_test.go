package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

// seedBench imports n published stories over 30 tags with 600-word bodies,
// photos and links, in batches of one transaction each.
func seedBench(b *testing.B, db *sqlite.DB, n int) []string {
	b.Helper()
	words := strings.Fields(strings.Repeat("the harbour council voted late on tuesday to widen the ferry quay ", 60))
	body := strings.Join(words[:600], " ")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var slugs []string
	for done := 0; done < n; {
		var items []content.Import
		for i := done; i < n && i < done+1000; i++ {
			at := start.Add(time.Duration(i) * 7 * time.Minute)
			items = append(items, content.Import{
				Status:      content.StatusPublished,
				PublishedAt: &at,
				Edit: content.Edit{
					Headline:   fmt.Sprintf("Harbour story number %d", i),
					Standfirst: "The council decided something of note.",
					Body:       body,
					Photos:     []content.Photo{{URL: "/media/p.png", Caption: "Quay", Credit: "© Staff", Alt: "The quay"}},
					Links:      []content.RelatedLink{{Kind: content.LinkOtherMedia, Title: "Elsewhere", URL: "https://example.com/a"}},
					Tags:       []string{fmt.Sprintf("topic %d", i%30), fmt.Sprintf("topic %d", (i+7)%30)},
				},
			})
		}
		ids, err := db.Import(context.Background(), items, "")
		if err != nil {
			b.Fatal(err)
		}
		for i := range ids {
			slugs = append(slugs, fmt.Sprintf("harbour-story-number-%d", done+i))
		}
		done += len(items)
	}
	return slugs
}

func BenchmarkArticlesByTag10k(b *testing.B) {
	db, _ := mustOpen(b)
	seedBench(b, db, 10_000)
	ctx := context.Background()
	f := content.ArticleFilter{Statuses: published, Tags: []string{"topic-7"}, Limit: 20}
	b.ResetTimer()
	for b.Loop() {
		as, err := db.Articles(ctx, f)
		if err != nil || len(as) != 20 {
			b.Fatalf("%d articles, %v", len(as), err)
		}
	}
}

func BenchmarkArticleBySlug10k(b *testing.B) {
	db, _ := mustOpen(b)
	slugs := seedBench(b, db, 10_000)
	ctx := context.Background()
	i := 0
	b.ResetTimer()
	for b.Loop() {
		slug := slugs[i%len(slugs)]
		i += 7919
		if _, err := db.Article(ctx, content.ArticleFilter{Slug: &slug, Statuses: published}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkArticlesByTagCursor10k(b *testing.B) {
	db, _ := mustOpen(b)
	seedBench(b, db, 10_000)
	ctx := context.Background()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		at := start.Add(time.Duration(1000+(i*7919)%9000) * 7 * time.Minute)
		i++
		f := content.ArticleFilter{Statuses: published, Tags: []string{fmt.Sprintf("topic-%d", i%30)}, Limit: 21, After: &content.Cursor{Time: at}}
		if _, err := db.Articles(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
}
