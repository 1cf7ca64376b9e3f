package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"dateline/content"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the key of the advisory lock migrations run under, so
// that instances starting at once migrate once: the first applies what is
// pending, the others wait and find nothing to do.
const migrationLock = 7_265_843_001 // "dateline" migrations

type migration struct {
	version int
	name    string
	sql     string
}

// readMigrations returns the embedded migrations (NNNN_name.sql) in
// version order.
func readMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and an underscore", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// LatestSchema returns the schema version this binary knows.
func LatestSchema() int {
	ms, err := readMigrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// SchemaVersion returns the schema version of the database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := db.pool.QueryRow(ctx, "SELECT COALESCE(max(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", mapErr(err))
	}
	return v, nil
}

// Migrate applies every pending migration, each in its own transaction
// with its row in schema_migrations, so a failed migration leaves the
// previous schema intact. It holds a session advisory lock throughout:
// instances migrating at once take turns, and all but the first find
// nothing left to do. A database whose schema is newer than this binary
// is refused.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := readMigrations()
	if err != nil {
		return err
	}
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", mapErr(err))
	}
	defer c.Release()
	if _, err := c.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("migrate: take the migration lock: %w", mapErr(err))
	}
	defer c.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	// A database of another application is left as it was: Dateline's
	// tables never go in beside someone else's. Tables of an extension
	// (PostGIS's spatial_ref_sys, say) do not make a database another's.
	var tables int
	var example string
	if err := c.QueryRow(ctx, `SELECT count(*), coalesce(min(c.relname), '') FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
		AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
		AND to_regclass('schema_migrations') IS NULL`).Scan(&tables, &example); err != nil {
		return fmt.Errorf("migrate: read the tables of the database: %w", mapErr(err))
	}
	if tables > 0 {
		return content.Errorf(content.EINVALID,
			"%s is not a Dateline database: it holds %d tables of another application (%s among them) and was left as it was; use an empty database",
			db.Path(), tables, example)
	}
	if _, err := c.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", mapErr(err))
	}
	applied := map[int]bool{}
	rows, err := c.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("read applied migrations: %w", mapErr(err))
	}
	newest := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("read applied migrations: %w", err)
		}
		applied[v], newest = true, max(newest, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read applied migrations: %w", mapErr(err))
	}
	if latest := ms[len(ms)-1].version; newest > latest {
		return fmt.Errorf("the database has schema version %d, newer than this Dateline knows (%d): upgrade Dateline", newest, latest)
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		tx, err := c.Begin(ctx)
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, mapErr(err))
		}
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			tx.Rollback(ctx)
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			m.version, m.name, db.now()); err != nil {
			tx.Rollback(ctx)
			return fmt.Errorf("record migration %s: %w", m.name, mapErr(err))
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, mapErr(err))
		}
	}
	return nil
}
