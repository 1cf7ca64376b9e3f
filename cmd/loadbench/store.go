package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/postgres"
	"dateline/content/postgres/pgtest"
	"dateline/content/sqlite"
)

// EnvPostgres names the variable holding the default of -postgres.
const EnvPostgres = "DATELINE_LOADBENCH_POSTGRES"

// store is what the benchmark writes and reads directly, before the
// servers start: the seeding, the editing phase, the save scenario's keys.
// content/sqlite and content/postgres both provide it.
type store interface {
	Import(ctx context.Context, items []content.Import, by string) ([]string, error)
	Articles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, error)
	CreateUser(ctx context.Context, u auth.User) (auth.User, error)
	CreateArticle(ctx context.Context, e content.Edit, by string) (*content.Article, error)
	UpdateArticle(ctx context.Context, id string, s content.Save) (*content.Article, error)
	CreateAPIKey(ctx context.Context, k auth.APIKey) (auth.APIKey, error)
	Close() error
}

// database is where the servers keep their content: the SQLite file
// dateline.db of the data directory, or a PostgreSQL database.
type database struct {
	sqlite   string // the SQLite file; "" on PostgreSQL
	postgres string // URL of the PostgreSQL database; "" on SQLite
}

func (d database) name() string {
	if d.postgres != "" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// env is the server's environment for d: on PostgreSQL the database URL
// (it wins over one in this process's environment, being later).
func (d database) env() []string {
	if d.postgres == "" {
		return nil
	}
	return []string{"DATELINE_DATABASE_URL=" + d.postgres}
}

// open opens d as the benchmark writes it: the newsroom zone of the
// servers, the clock now, the revision policy p. On SQLite it also
// returns the measure of the file's storage; on PostgreSQL that is nil.
func (d database) open(ctx context.Context, now func() time.Time, p sqlite.RevisionPolicy) (store, func(context.Context) (sqlite.StorageStats, error), error) {
	if d.postgres == "" {
		db, err := sqlite.Open(ctx, d.sqlite, sqlite.Options{Zone: "Europe/Lisbon", Revisions: p, Now: now})
		if err != nil {
			return nil, nil, err
		}
		return db, db.StorageStats, nil
	}
	db, err := postgres.Open(ctx, d.postgres, postgres.Options{Zone: "Europe/Lisbon", Now: now,
		Revisions: postgres.RevisionPolicy{AutosaveWindow: p.AutosaveWindow, Keep: p.Keep, KeepFor: p.KeepFor}})
	if err != nil {
		return nil, nil, err
	}
	return db, nil, nil
}

// seeded reports whether d holds a corpus already (from an earlier run
// with the same -data or -postgres): the SQLite file exists, or the
// PostgreSQL database holds published stories.
func (d database) seeded(ctx context.Context) (bool, error) {
	if d.postgres == "" {
		_, err := os.Stat(d.sqlite)
		return err == nil, nil
	}
	db, _, err := d.open(ctx, time.Now, sqlite.RevisionPolicy{})
	if err != nil {
		return false, err
	}
	defer db.Close()
	as, err := db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 1})
	return len(as) > 0, err
}

// dbKinds are the values of -db; checkOptions refuses others.
var dbKinds = []string{"sqlite", "postgres"}

// openDatabase returns the database the run serves from, by -db: the
// SQLite file in data; the PostgreSQL database at url; or, on PostgreSQL
// without a url, the postgres database of a cluster of the benchmark's
// own, in data/postgres when keep (-data given: a later run starts it
// again) or in a temporary directory otherwise. stop stops that cluster
// (and is a no-op otherwise).
func openDatabase(kind, url, data string, keep bool) (d database, describe string, stop func(), err error) {
	stop = func() {}
	if kind != "postgres" { // checkOptions allows sqlite only else
		return database{sqlite: filepath.Join(data, "dateline.db")}, "", stop, nil
	}
	if url != "" {
		return database{postgres: url}, "PostgreSQL at " + redact(url), stop, nil
	}
	opt := pgtest.ClusterOptions{Settings: clusterSettings}
	if keep {
		opt.Dir = filepath.Join(data, "postgres")
		if pgtest.PostgresUser() {
			// The cluster runs as the postgres user, who must pass
			// through the data directory to reach its own.
			if err := os.Chmod(data, 0o751); err != nil {
				return d, "", stop, err
			}
		}
	}
	c, err := pgtest.StartCluster(opt)
	if err != nil {
		return d, "", stop, fmt.Errorf("start PostgreSQL: %w", err)
	}
	return database{postgres: c.URL}, "PostgreSQL 15 cluster of the benchmark in " + c.Dir, c.Stop, nil
}

// clusterSettings tune the benchmark's own cluster: PostgreSQL's defaults
// (fsync on, as SQLite's synchronous=FULL, and its buffers), with room
// for the pools of several instances.
var clusterSettings = []string{"max_connections=200"}

// redact returns a database URL without its password, for printing.
func redact(s string) string {
	i := strings.Index(s, "://")
	at := strings.LastIndex(s, "@")
	if i < 0 || at < i {
		return s
	}
	user, _, hasPassword := strings.Cut(s[i+3:at], ":")
	if !hasPassword {
		return s
	}
	return s[:i+3] + user + ":xxxxx" + s[at:]
}
