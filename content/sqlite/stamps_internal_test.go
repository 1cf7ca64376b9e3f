package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"dateline/content"
)

// Rows written before migration 0013 carry microseconds; after it every
// publication time is a whole second, in the stories and in the copies the
// tag and search indexes keep, so that reads and cursors agree.
func TestMigrationBringsOlderTimesToWholeSeconds(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	db, err := Open(ctx, filepath.Join(t.TempDir(), "d.db"), Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	body := "One.\n\n" + content.PageBreak + "\n\nTwo."
	photo := []content.Photo{{URL: "https://images.example.org/a.jpg", Credit: "© A", Alt: "A"}}
	due := t0.Add(time.Hour)
	if _, err := db.Import(ctx, []content.Import{
		{Edit: content.Edit{Headline: "Old story", Body: body, Tags: []string{"Harbour"}, Photos: photo}, Status: content.StatusPublished,
			PublishedAt: &t0, Corrections: []content.Correction{{At: t0, Text: "A fix."}}},
		{Edit: content.Edit{Headline: "Old schedule", Body: body, Photos: photo}, Status: content.StatusScheduled, PublishAt: &due},
	}, ""); err != nil {
		t.Fatal(err)
	}
	// What an older binary wrote: microseconds everywhere, no page count.
	for _, q := range []string{
		`UPDATE articles SET published_at = replace(published_at, '.000000Z', '.700000Z'), updated_at = replace(updated_at, '.000000Z', '.250000Z'),
			created_at = replace(created_at, '.000000Z', '.100000Z'), publish_at = replace(publish_at, '.000000Z', '.300000Z')`,
		`UPDATE article_tags SET published_at = replace(published_at, '.000000Z', '.700000Z')`,
		`UPDATE article_search_docs SET published_at = replace(published_at, '.000000Z', '.700000Z')`,
		`UPDATE corrections SET created_at = replace(created_at, '.000000Z', '.900000Z')`,
		`UPDATE events SET occurred_at = replace(occurred_at, '.000000Z', '.700000Z')`,
		`DROP INDEX articles_summary`,
		`ALTER TABLE articles DROP COLUMN page_count`,
		`CREATE INDEX articles_summary ON articles (id, status, deleted_at, published_at, slug, headline, standfirst,
			dateline_place, dateline_tz, byline, meta_title, meta_description, canonical_url, featured,
			version, publish_at, unpublish_at, updated_at, created_at, word_count, reading_minutes)`,
		`DELETE FROM schema_migrations WHERE version = 13`,
	} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	as, err := db.Articles(ctx, content.ArticleFilter{Full: true, Limit: 10})
	if err != nil || len(as) != 2 {
		t.Fatalf("%d stories, %v", len(as), err)
	}
	for _, a := range as {
		if a.PageCount != 2 {
			t.Errorf("%q: page count %d, want 2", a.Headline, a.PageCount)
		}
		for name, at := range map[string]*time.Time{"published_at": a.PublishedAt, "updated_at": &a.UpdatedAt, "created_at": &a.CreatedAt, "publish_at": a.PublishAt} {
			if at != nil && at.Nanosecond() != 0 {
				t.Errorf("%q: %s %v is not a whole second", a.Headline, name, at)
			}
		}
		if a.PublishAt != nil && !a.PublishAt.Equal(due.Add(time.Second)) {
			t.Errorf("publish_at %v, want %v: a time to come is rounded up", a.PublishAt, due.Add(time.Second))
		}
		if a.PublishedAt != nil && (!a.PublishedAt.Equal(t0) || len(a.Corrections) != 1 || !a.Corrections[0].At.Equal(t0)) {
			t.Errorf("published_at %v, corrections %v; want %v", a.PublishedAt, a.Corrections, t0)
		}
	}
	var fractions int
	if err := db.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM article_tags WHERE published_at NOT LIKE '%.000000Z') +
		(SELECT count(*) FROM article_search_docs WHERE published_at NOT LIKE '%.000000Z') +
		(SELECT count(*) FROM events WHERE occurred_at NOT LIKE '%.000000Z')`).Scan(&fractions); err != nil || fractions != 0 {
		t.Errorf("%d index copies or events keep a fraction of a second (%v)", fractions, err)
	}
	// The tag index and the stories agree, so a list by tag finds the story.
	list, err := db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Tags: []string{"harbour"}, Limit: 10})
	if err != nil || len(list) != 1 || !list[0].PublishedAt.Equal(t0) {
		t.Errorf("list by tag %v, %v", list, err)
	}
}
