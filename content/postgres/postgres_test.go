package postgres_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dateline/content/postgres"
	"dateline/content/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// migrated returns the URL of a fresh database with every migration
// applied (a copy of a template migrated once per test binary).
func migrated(t *testing.T) string {
	t.Helper()
	return pgtest.Prepared(t, "migrated", func(ctx context.Context, url string) error {
		db, err := postgres.Open(ctx, url, postgres.Options{})
		if err != nil {
			return err
		}
		return db.Close()
	})
}

// openStore opens the store on url with the clock now and closes it when
// the test ends.
func openStore(t *testing.T, url string, now func() time.Time) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, postgres.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// connect opens a connection of its own to the database at url, closed
// when the test ends.
func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func TestOpenAppliesEveryMigrationOnceAlsoWhenInstancesStartAtOnce(t *testing.T) {
	url := pgtest.Open(t)
	const instances = 6
	var wg sync.WaitGroup
	errs := make(chan error, instances)
	for range instances {
		wg.Go(func() {
			db, err := postgres.Open(context.Background(), url, postgres.Options{})
			if err != nil {
				errs <- err
				return
			}
			errs <- db.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("an instance failed to start: %v", err)
		}
	}
	ctx := context.Background()
	c := connect(t, url)
	var rows, distinct, newest int
	if err := c.QueryRow(ctx, "SELECT count(*), count(DISTINCT version), max(version) FROM schema_migrations").Scan(&rows, &distinct, &newest); err != nil {
		t.Fatal(err)
	}
	if rows != distinct || newest != postgres.LatestSchema() || rows != postgres.LatestSchema() {
		t.Errorf("schema_migrations has %d rows for %d versions up to %d, want each of %d once", rows, distinct, newest, postgres.LatestSchema())
	}
}

func TestOpenRefusesADatabaseFromANewerDateline(t *testing.T) {
	url := migrated(t)
	ctx := context.Background()
	c := connect(t, url)
	if _, err := c.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', now())"); err != nil {
		t.Fatal(err)
	}
	c.Close(ctx)
	if _, err := postgres.Open(ctx, url, postgres.Options{}); err == nil {
		t.Fatal("a database with schema version 9999 was opened")
	}
}

func TestPoolsReportThePoolItsOptionsMadeAndPathHidesThePassword(t *testing.T) {
	url := migrated(t)
	db, err := postgres.Open(context.Background(), url, postgres.Options{MaxConns: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	ps := db.Pools()
	if len(ps) != 1 || ps[0].MaxOpen != 3 || ps[0].Open < 1 || ps[0].InUse != 0 {
		t.Errorf("pools %+v, want one of at most 3 connections, one or more open, none in use", ps)
	}
	if p := db.Path(); !strings.HasPrefix(p, "postgres://") || strings.Contains(p, "password") || strings.Contains(p, "?") {
		t.Errorf("path %q", p)
	}
}

func TestOpenLeavesADatabaseOfAnotherApplicationAsItWas(t *testing.T) {
	url := pgtest.Open(t)
	ctx := context.Background()
	c := connect(t, url)
	if _, err := c.Exec(ctx, "CREATE TABLE invoices (id integer PRIMARY KEY); INSERT INTO invoices VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, url, postgres.Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open migrated a database holding another application's table")
	}
	if !strings.Contains(err.Error(), "not a Dateline database") || !strings.Contains(err.Error(), "invoices") {
		t.Errorf("error %q, want it to say the database is not Dateline's and name its table", err)
	}
	var tables int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 1 {
		t.Errorf("the database holds %d tables after Open, want its 1", tables)
	}
}

func TestOpenTakesADatabaseWhoseOnlyTablesAreAnExtensions(t *testing.T) {
	url := pgtest.Open(t)
	ctx := context.Background()
	c := connect(t, url)
	var available bool
	if err := c.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements')").Scan(&available); err != nil {
		t.Fatal(err)
	}
	if !available {
		t.Skip("this PostgreSQL has no pg_stat_statements extension to install")
	}
	if _, err := c.Exec(ctx, "CREATE EXTENSION pg_stat_statements"); err != nil { // views in the current schema
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatalf("Open refused a database holding only an extension's views: %v", err)
	}
	db.Close()
}
