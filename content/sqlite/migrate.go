package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"dateline/content"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// embeddedMigrations is the migration set compiled into this binary: the
// files of migrations/ at the root of the returned FS.
func embeddedMigrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return migrationFiles // not reached: the embed pattern guarantees the directory
	}
	return sub
}

// readMigrations returns the *.sql files at the root of fsys in version
// order. Files are named NNNN_description.sql.
func readMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and an underscore", e.Name())
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	if len(ms) == 0 {
		return nil, errors.New("read migrations: none found")
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// LatestSchema returns the schema version this binary knows.
func LatestSchema() int {
	ms, err := readMigrations(embeddedMigrations())
	if err != nil {
		return 0
	}
	return ms[len(ms)-1].version
}

// SchemaVersion returns the schema version of the open database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.w.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", mapErr(err))
	}
	return v, nil
}

// Migrate applies every pending migration, each in its own transaction, so a
// failed migration leaves the previous schema intact. A database whose schema
// is newer than this binary is refused with an error.
func (db *DB) Migrate(ctx context.Context) error {
	return db.migrate(ctx, embeddedMigrations())
}

// migrate applies the migrations in fsys; tests pass a deliberately broken
// set to check that a failure leaves the previous schema intact.
func (db *DB) migrate(ctx context.Context, fsys fs.FS) error {
	ms, err := readMigrations(fsys)
	if err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", mapErr(err))
	}
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if err := checkNotNewer(current, ms[len(ms)-1].version); err != nil {
		return err
	}
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	// Every migration not yet recorded is applied, in version order, also
	// one numbered below the newest applied (branches that landed in another
	// order).
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		err := db.applyMigration(ctx, m.name, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %s: %w", m.name, mapErr(err))
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, timeText(db.now()))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// checkSchema is Open's check when it applies no migrations: the file must
// hold a Dateline schema no newer than this binary.
func (db *DB) checkSchema(ctx context.Context) error {
	return checkDatelineSchema(ctx, db.r, db.path)
}

// checkNotNewer refuses a schema written by a newer Dateline.
func checkNotNewer(current, latest int) error {
	if current > latest {
		return content.Errorf(content.EINVALID,
			"the database schema is version %d but this binary knows only up to %d; run a newer Dateline", current, latest)
	}
	return nil
}

// appliedMigrations returns the versions recorded in schema_migrations.
func (db *DB) appliedMigrations(ctx context.Context) (map[int]bool, error) {
	rows, err := db.w.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", mapErr(err))
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read applied migrations: %w", err)
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

// applyMigration runs fn, which applies one migration, in a write
// transaction of its own. A migration changes the schema, not what a
// write declares (withTx): before the first ones there is no outbox to
// read. A process opening the file starts its caches empty, at the
// outbox head it reads once migrated.
func (db *DB) applyMigration(ctx context.Context, name string, fn func(tx *sql.Tx) error) error {
	c, tx, err := db.w.begin(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration %s: %w", name, mapErr(err))
	}
	return nil
}
