package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"dateline/content/sqlite"
	"dateline/content/transfer"
)

// runExport implements "dateline export [--revisions] [FILE]": the
// newsroom as Dateline NDJSON, to FILE (which must not exist; it appears
// only once complete) or to standard output without FILE or with "-".
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var flags commonFlags
	fs := newFlagSet("export", stderr)
	flags.register(fs)
	revisions := fs.Bool("revisions", false, "include every story's revisions")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: dateline export [--revisions] [FILE.ndjson]")
		fmt.Fprintln(stderr, "Writes every story (all statuses), tag and credited author as NDJSON; import it with dateline import ndjson FILE.")
		fmt.Fprintln(stderr, "Photos are written as references: uploaded ones as /media/ paths, so copy the media directory (or use dateline backup) along.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageErrorf("export: name at most one file to write")
	}
	dest := fs.Arg(0)
	if dest != "" && dest != "-" {
		if _, err := os.Stat(dest); err == nil {
			return fmt.Errorf("export: %s already exists; choose a new file name", dest)
		}
	}
	cfg, err := loadConfig(flags, getenv)
	if err != nil {
		return err
	}
	db, err := exportSource(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	opt := transfer.ExportOptions{Revisions: *revisions, Now: time.Now()}
	if dest == "" || dest == "-" {
		n, err := transfer.Export(ctx, db, stdout, opt)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		fmt.Fprintf(stderr, "exported %d stories, %d tags, %d authors, %d revisions\n", n.Stories, n.Tags, n.Authors, n.Revisions)
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".dateline-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	n, err := transfer.Export(ctx, db, tmp, opt)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("export: %s appeared while exporting; the export was not written", dest)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stdout, "exported %d stories, %d tags, %d authors, %d revisions to %s\n", n.Stories, n.Tags, n.Authors, n.Revisions, dest)
	return nil
}

// exportStore is what export reads: the stories, tags and authors.
type exportStore interface {
	transfer.ExportSource
	Close() error
}

// exportSource opens the database of cfg for export: the SQLite file
// read-only and unmigrated (it must exist), or the PostgreSQL database.
func exportSource(ctx context.Context, cfg Config) (exportStore, error) {
	if cfg.onPostgres() {
		db, err := openStore(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		return db, nil
	}
	dbPath := filepath.Join(cfg.DataDir, "dateline.db")
	if _, err := os.Stat(dbPath); err != nil {
		return nil, fmt.Errorf("export: no database at %s (check --data or data_dir)", dbPath)
	}
	db, err := sqlite.Open(ctx, dbPath, sqlite.Options{Zone: cfg.TimeZone, NoCreate: true, NoMigrate: true, Readers: 2})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return db, nil
}
