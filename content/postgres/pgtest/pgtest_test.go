package pgtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"dateline/content/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// query connects to url and returns the single int the query yields.
func query(t *testing.T, url, q string) int {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestEachTestGetsAnEmptyDatabaseOfItsOwn(t *testing.T) {
	a, b := pgtest.Open(t), pgtest.Open(t)
	if a == b {
		t.Fatalf("two calls gave the same database %s", a)
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "CREATE TABLE only_in_a (id int)"); err != nil {
		t.Fatal(err)
	}
	c.Close(ctx)
	if n := query(t, b, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"); n != 0 {
		t.Errorf("the second database has %d tables, want none", n)
	}
	if v := query(t, a, "SELECT current_setting('server_version_num')::int"); v < 150000 {
		t.Errorf("server version %d, want PostgreSQL 15 or newer", v)
	}
}

func TestPreparedDatabasesAreCopiesOfATemplateMadeOnce(t *testing.T) {
	made := 0
	prepare := func(ctx context.Context, url string) error {
		made++
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, "CREATE TABLE stories (id int); INSERT INTO stories VALUES (1), (2)")
		return err
	}
	a := pgtest.Prepared(t, "stories", prepare)
	b := pgtest.Prepared(t, "stories", prepare)
	if made != 1 {
		t.Errorf("the template was prepared %d times, want once", made)
	}
	for _, u := range []string{a, b} {
		if n := query(t, u, "SELECT count(*) FROM stories"); n != 2 {
			t.Errorf("%s has %d stories, want the template's 2", u, n)
		}
	}
}
