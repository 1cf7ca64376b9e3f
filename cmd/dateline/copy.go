package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"dateline/content/postgres"
	"dateline/content/sqlite"
	"dateline/content/storecopy"
)

// runCopy implements `dateline copy`: it copies the newsroom of the
// SQLite database (dateline.db in the data directory, or --from) into an
// empty PostgreSQL database (--to, else the config's database), which it
// migrates first, checks the copy and prints what it copied and found.
// The SQLite file is only read. The media files are not copied: instances
// on PostgreSQL serve them from the media directory of the data directory
// as it is.
func runCopy(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var flags commonFlags
	fset := newFlagSet("copy", stderr)
	fset.StringVar(&flags.config, "config", "", "path to config.yaml (default: ./config.yaml if it exists; env DATELINE_CONFIG)")
	fset.StringVar(&flags.data, "data", "", "data directory whose dateline.db is copied")
	from := fset.String("from", "", "the SQLite database file to copy (default: dateline.db in the data directory)")
	fset.StringVar(&flags.database, "to", "", "the empty PostgreSQL database to copy into, postgres://user:password@host/db (default: database of the config; env DATELINE_DATABASE_URL, DATELINE_DATABASE_URL_FILE)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "Usage: dateline copy [--config FILE] [--data DIR | --from FILE] [--to postgres://…]")
		fmt.Fprintln(stderr, "Copies the newsroom from its SQLite database into an empty PostgreSQL database. Stop every server writing to the SQLite database first.")
		fset.PrintDefaults()
	}
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if err := noArgs(fset); err != nil {
		return err
	}
	if flags.database != "" && !postgresURL(flags.database) {
		return usageErrorf("copy: --to must be the URL of a PostgreSQL server, postgres://user:password@host:5432/dbname")
	}
	cfg, err := loadConfig(flags, getenv)
	if err != nil {
		return err
	}
	if !cfg.onPostgres() {
		return usageErrorf("copy: name the PostgreSQL database to copy into: --to postgres://user:password@host/db, or DATELINE_DATABASE_URL")
	}
	path := *from
	if path == "" {
		path = filepath.Join(cfg.DataDir, "dateline.db")
	}
	src, err := sqlite.OpenSnapshot(ctx, path)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, strings.TrimSpace(cfg.Database), cfg.postgresOptions())
	if err != nil {
		return fmt.Errorf("copy: %w", cfg.databaseError(err))
	}
	defer dst.Close()
	rep, err := storecopy.Copy(ctx, src, dst)
	switch {
	case errors.Is(err, storecopy.ErrDiffers):
		rep.Write(stdout) // what differs
		return fmt.Errorf("copy: %w; nothing was committed, %s is as it was", err, dst.Path())
	case err != nil:
		return fmt.Errorf("copy: %s: %s", dst.Path(), oneLine(err))
	}
	rep.Write(stdout)
	fmt.Fprintf(stdout, "copied %s into %s; the media files stay in %s\n", path, dst.Path(), filepath.Join(cfg.DataDir, "media"))
	return nil
}

// postgresURL reports whether s is a postgres:// or postgresql:// URL
// that names a host.
func postgresURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") && (u.Host != "" || u.Query().Get("host") != "")
}
