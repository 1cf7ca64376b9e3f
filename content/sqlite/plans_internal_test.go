package sqlite

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"dateline/content"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// TestReadsCompileTheirStatementsOnce checks that the reads the delivery
// API makes for every request run their statements from the connection's
// statement cache, whatever values they are bound to: SQLite compiles
// (and so asks the authorizer about) a statement only when it prepares or
// re-prepares it. Without the query planner stability guarantee
// (registerFunctions), a join or an ORDER BY with a "column = ?" term is
// re-prepared on every run: the driver clears the bindings of a cached
// statement, and the planner had made its plan depend on the value bound.
func TestReadsCompileTheirStatementsOnce(t *testing.T) {
	ctx := context.Background()
	db := openCorpus(t, 60)
	// One connection, so that the one the authorizer watches is the one
	// every read uses.
	db.r.SetMaxOpenConns(1)
	db.r.SetMaxIdleConns(1)
	var compiles atomic.Int64
	conn, err := db.r.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Raw(func(dc any) error {
		dc.(*sqlite3.SQLiteConn).RegisterAuthorizer(func(int, string, string, string) int {
			compiles.Add(1)
			return 0 // SQLITE_OK
		})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	conn.Close()

	column := func(query string) []string {
		t.Helper()
		rows, err := db.r.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if len(out) < 3 {
			t.Fatalf("%s: %d rows, want 3", query, len(out))
		}
		return out
	}
	slugs := column(`SELECT slug FROM article_public ORDER BY slug LIMIT 3`)
	tags := column(`SELECT slug FROM tags ORDER BY slug LIMIT 3`)
	var words []string
	for _, h := range column(`SELECT headline FROM articles ORDER BY id LIMIT 3`) {
		words = append(words, strings.Fields(h)[0])
	}
	key := db.renderKey

	reads := []struct {
		name string
		read func(i int) error
	}{
		{"a stored story by slug", func(i int) error {
			_, ok, err := db.PublicBlob(ctx, slugs[i], key, nil)
			if err == nil && !ok {
				t.Errorf("no stored story %q", slugs[i])
			}
			return err
		}},
		{"a page of a tag and its items", func(i int) error {
			f := content.ArticleFilter{Tags: []string{tags[i]}, Statuses: []content.Status{content.StatusPublished}, Limit: 20}
			keys, ok, err := db.ListKeys(ctx, f)
			if err != nil || !ok || len(keys) == 0 {
				t.Errorf("list of tag %q: %d keys, %v, %v", tags[i], len(keys), ok, err)
				return err
			}
			_, _, err = db.ListItems(ctx, []string{keys[0].ID}, key)
			return err
		}},
		{"a page of two tags", func(i int) error {
			f := content.ArticleFilter{Tags: []string{tags[i], tags[(i+1)%3]}, Statuses: []content.Status{content.StatusPublished}, Limit: 20}
			_, _, err := db.ListKeys(ctx, f)
			return err
		}},
		{"the newest stories", func(i int) error {
			f := content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 10 + i}
			_, _, err := db.ListKeys(ctx, f)
			return err
		}},
		{"a search", func(i int) error {
			f := content.ArticleFilter{Query: words[i], Statuses: []content.Status{content.StatusPublished}, Limit: 20}
			_, _, err := db.SearchHits(ctx, f)
			return err
		}},
		{"the outbox head", func(int) error {
			_, err := db.head(ctx)
			return err
		}},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			// The first runs compile: a statement's text can depend on
			// the values (a search's page of hits is an IN list as long
			// as the page).
			for i := range 3 {
				if err := r.read(i); err != nil {
					t.Fatal(err)
				}
			}
			compiles.Store(0)
			for _, i := range []int{1, 2, 0} {
				if err := r.read(i); err != nil {
					t.Fatal(err)
				}
			}
			if n := compiles.Load(); n != 0 {
				t.Errorf("three more runs with other values compiled their statements again (%d authorizer calls), want none", n)
			}
		})
	}
}
