package sqlite

import (
	"context"
	"fmt"
	"testing"

	"dateline/content"
)

// BenchmarkStoredReads reads stored stories by slug (the delivery API's
// story read) and whole stories from the tables (its fallback, feeds,
// ninjs), rotating over 1,000 stories, with the large columns packed as
// writes now store them and as text as they were stored before.
func BenchmarkStoredReads(b *testing.B) {
	const n = 1000
	db := openCorpus(b, n)
	ctx := context.Background()
	var slugs []string
	rows, err := db.r.QueryContext(ctx, "SELECT slug FROM articles ORDER BY id")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		slugs = append(slugs, s)
	}
	rows.Close()
	key := db.renderKey
	read := func(b *testing.B) {
		b.Run("stored story by slug", func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, ok, err := db.PublicBlob(ctx, slugs[i%n], key, nil); err != nil || !ok {
					b.Fatal(ok, err)
				}
				i++
			}
		})
		b.Run("whole story from the tables", func(b *testing.B) {
			i := 0
			for b.Loop() {
				s := slugs[i%n]
				if _, err := db.Article(ctx, content.ArticleFilter{Slug: &s, Full: true}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
	b.Run("packed", read)
	// As stored before: every large column as text.
	if err := unpackAll(ctx, db); err != nil {
		b.Fatal(err)
	}
	b.Run("text", read)
}

// unpackAll rewrites the packed columns as text, as they were stored
// before packing.
func unpackAll(ctx context.Context, db *DB) error {
	type row struct {
		id                 string
		body, html, public any
	}
	rows, err := db.r.QueryContext(ctx, "SELECT a.id, a.body, a.body_html, p.public_json FROM articles a JOIN article_public p ON p.article_id = a.id")
	if err != nil {
		return err
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.body, &r.html, &r.public); err != nil {
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	for _, r := range all {
		body, err := unpackText(r.body)
		if err != nil {
			return err
		}
		html, err := unpackText(r.html)
		if err != nil {
			return err
		}
		pub, err := unpackStory(r.public.([]byte))
		if err != nil {
			return err
		}
		if _, err := db.w.ExecContext(ctx, "UPDATE articles SET body = ?, body_html = ? WHERE id = ?", body, html, r.id); err != nil {
			return err
		}
		if _, err := db.w.ExecContext(ctx, "UPDATE article_public SET public_json = ? WHERE article_id = ?", string(pub), r.id); err != nil {
			return err
		}
	}
	var packed int
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM article_public WHERE typeof(public_json) = 'blob'").Scan(&packed); err != nil || packed > 0 {
		return fmt.Errorf("%d still packed (%v)", packed, err)
	}
	return nil
}
