package sqlite

import (
	"context"
	"os"
	"testing"
	"time"
	"fmt"
)

func TestZZProbeList(t *testing.T) {
	path := os.Getenv("PROBE_DB")
	if path == "" {
		t.Skip()
	}
	ctx := context.Background()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var key string
	db.r.QueryRowContext(ctx, "select render_key from article_public_items limit 1").Scan(&key)
	item := "(SELECT p.summary_json FROM article_public_items p WHERE p.article_id = %s AND p.render_key = ?)"
	variants := map[string]string{
		"union": `SELECT k.k_id, k.k_time, ` + fmt.Sprintf(item, "k.k_id") + ` FROM (SELECT * FROM (SELECT t.published_at AS k_time, t.article_id AS k_id FROM article_tags t WHERE t.tag_id = (SELECT id FROM tags WHERE slug = ?) AND t.published_at IS NOT NULL AND (t.published_at, t.article_id) < (?, '') ORDER BY t.published_at DESC, t.article_id DESC LIMIT 21)) k ORDER BY k.k_time DESC, k.k_id DESC LIMIT 21`,
		"direct": `SELECT t.article_id, t.published_at, ` + fmt.Sprintf(item, "t.article_id") + ` FROM article_tags t WHERE t.tag_id = (SELECT id FROM tags WHERE slug = ?) AND t.published_at IS NOT NULL AND (t.published_at, t.article_id) < (?, '') ORDER BY t.published_at DESC, t.article_id DESC LIMIT 21`,
		"keysonly": `SELECT t.article_id, t.published_at, ? FROM article_tags t WHERE t.tag_id = (SELECT id FROM tags WHERE slug = ?) AND t.published_at IS NOT NULL AND (t.published_at, t.article_id) < (?, '') ORDER BY t.published_at DESC, t.article_id DESC LIMIT 21`,
	}
	for name, q := range variants {
		for round := 0; round < 2; round++ {
			start := time.Now()
			n := 0
			for i := 0; i < 3000; i++ {
				at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i*113%10000) * 37 * time.Minute).Format(TimeLayout)
				rows, err := db.r.QueryContext(ctx, q, key, fmt.Sprintf("topic-%02d", i%30), at)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var id, ts string
					var js []byte
					rows.Scan(&id, &ts, &js)
					n += len(js)
				}
				rows.Close()
			}
			t.Logf("%s: %v per list (%d bytes)", name, time.Since(start)/3000, n/3000)
		}
	}
}
