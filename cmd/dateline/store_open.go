package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"dateline/content/postgres"
	"dateline/content/sqlite"
)

// openStore opens (and migrates) the database cfg names: the SQLite file
// dateline.db in the data directory, or the PostgreSQL database of
// cfg.Database with the options SQLite gets where they apply (zone, clock,
// renderer of the public JSON, revision policy, language). A PostgreSQL
// error is one line that names the server without its password.
func openStore(ctx context.Context, cfg Config) (Store, error) {
	if !cfg.onPostgres() {
		return sqlite.Open(ctx, filepath.Join(cfg.DataDir, "dateline.db"), cfg.storeOptions())
	}
	db, err := postgres.Open(ctx, strings.TrimSpace(cfg.Database), cfg.postgresOptions())
	if err != nil {
		return nil, cfg.databaseError(err)
	}
	return db, nil
}

// postgresOptions are storeOptions for PostgreSQL: the item cache and tag
// lists are SQLite's and have no counterpart there.
func (cfg Config) postgresOptions() postgres.Options {
	p := cfg.revisionPolicy()
	return postgres.Options{Zone: cfg.TimeZone, Now: time.Now, Render: cfg.publicShapes(), Language: cfg.Language,
		Revisions: postgres.RevisionPolicy{AutosaveWindow: p.AutosaveWindow, Keep: p.Keep, KeepFor: p.KeepFor}}
}

// databaseError is err of opening the PostgreSQL database as one line that
// names the server and never holds the URL's password.
func (cfg Config) databaseError(err error) error {
	msg := oneLine(err)
	if pw := cfg.databasePassword(); pw != "" {
		msg = strings.ReplaceAll(msg, pw, redactedSecret)
	}
	return &databaseOpenError{server: redactURL(cfg.Database), msg: msg, err: err}
}

// databaseOpenError keeps the cause for errors.Is (a newer schema, a
// cancelled context) while its text is the scrubbed line.
type databaseOpenError struct {
	server, msg string
	err         error
}

func (e *databaseOpenError) Error() string {
	return fmt.Sprintf("database %s: %s", e.server, e.msg)
}

func (e *databaseOpenError) Unwrap() error { return e.err }

// sqliteOnly refuses command on PostgreSQL with one line saying what to
// do instead; on SQLite it returns nil.
func sqliteOnly(cfg Config, command, instead string) error {
	if !cfg.onPostgres() {
		return nil
	}
	return fmt.Errorf("%s works on the SQLite database only; on PostgreSQL %s", command, instead)
}

// pgBackupAdvice is what to do instead of backup and restore on PostgreSQL.
const pgBackupAdvice = "back up the database with pg_dump -Fc (restore with pg_restore) and copy the media directory of the data directory"
