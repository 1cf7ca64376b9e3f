package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"dateline/content"
	"dateline/content/mediafile"
	"dateline/content/sqlite"
)

// A backup is one gzip-compressed tar archive holding
//
//	dateline.db   a consistent copy of the database (one file, no WAL)
//	media/…       the uploaded media files
//
// The database copy is a snapshot of the moment the backup started; media
// files are copied after it, so the archive may hold media newer than the
// snapshot but never lacks one the snapshot refers to (media files are
// never changed in place).
const (
	backupDBName   = "dateline.db"
	backupMediaDir = "media"
)

// runBackup implements `dateline backup FILE`. A full disk (ENOSPC,
// EDQUOT) is said in words; the temporary files are removed either way.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	defer func() {
		if content.DiskFull(err) {
			err = fmt.Errorf("backup: the disk is full; no backup was written (%w)", err)
		}
	}()
	var flags commonFlags
	fset := newFlagSet("backup", stderr)
	flags.register(fset)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "Usage: dateline backup [--config FILE] [--data DIR] BACKUP.tar.gz")
		fset.PrintDefaults()
	}
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() != 1 {
		return usageErrorf("backup: name one file to write, e.g. dateline backup dateline-backup.tar.gz")
	}
	dest := fset.Arg(0)
	cfg, err := loadConfig(flags, getenv)
	if err != nil {
		return err
	}
	if err := sqliteOnly(cfg, "backup", pgBackupAdvice); err != nil {
		return err
	}
	dbPath := filepath.Join(cfg.DataDir, backupDBName)
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("backup: no database at %s (check --data or data_dir)", dbPath)
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", dest)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dest), ".dateline-backup-")
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: the directory %s does not exist; create it first", filepath.Dir(dest))
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	snapshot := filepath.Join(tmp, backupDBName)
	// The database is opened read-only: a backup never needs write access
	// to the data directory.
	schema, err := sqlite.BackupFile(ctx, dbPath, snapshot)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	partial := filepath.Join(tmp, "archive.tar.gz")
	files, err := writeArchive(partial, snapshot, filepath.Join(cfg.DataDir, "media"))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(partial, dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := os.Stat(dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup %s written: database schema version %d, %d media files, %d bytes\n", dest, schema, files, st.Size())
	return nil
}

// writeArchive writes the database copy and every regular file under
// mediaDir (a missing mediaDir is empty) to a new .tar.gz at out. It returns
// the number of media files and makes sure the archive reached the disk.
func writeArchive(out, dbFile, mediaDir string) (int, error) {
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	if err := addFile(tw, backupDBName, dbFile); err != nil {
		return 0, err
	}
	n := 0
	err = filepath.WalkDir(mediaDir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == mediaDir {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil // directories are implied; links and devices are skipped
		}
		if strings.HasPrefix(d.Name(), mediafile.TempPrefix) {
			return nil // an upload being written: not in the library yet
		}
		rel, err := filepath.Rel(mediaDir, p)
		if err != nil {
			return err
		}
		switch err := addFile(tw, path.Join(backupMediaDir, filepath.ToSlash(rel)), p); {
		case errors.Is(err, fs.ErrNotExist):
			return nil // deleted since the walk saw it
		case err != nil:
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("copy media: %w", err)
	}
	if err := errors.Join(tw.Close(), zw.Close()); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	return n, f.Close()
}

func addFile(tw *tar.Writer, name, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	// Media files are written once under a temporary name and renamed, so
	// a file does not grow while it is copied; the limit makes sure of it.
	if _, err := io.Copy(tw, io.LimitReader(f, st.Size())); err != nil {
		return fmt.Errorf("archive %s: %w", name, err)
	}
	return nil
}

// runRestore implements `dateline restore FILE`: it unpacks a backup into
// an empty (or missing) data directory and checks the database. On any
// failure the data directory is left empty again.
func runRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	var flags commonFlags
	fset := newFlagSet("restore", stderr)
	flags.register(fset)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "Usage: dateline restore [--config FILE] [--data DIR] BACKUP.tar.gz")
		fset.PrintDefaults()
	}
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() != 1 {
		return usageErrorf("restore: name one backup file, e.g. dateline restore --data ./data dateline-backup.tar.gz")
	}
	src := fset.Arg(0)
	cfg, err := loadConfig(flags, getenv)
	if err != nil {
		return err
	}
	if err := sqliteOnly(cfg, "restore", "restore the database with pg_restore from a pg_dump -Fc file and copy the media directory back into the data directory"); err != nil {
		return err
	}
	if st, err := os.Stat(src); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("restore: %s does not exist or is not a file", src)
	}
	entries, err := os.ReadDir(cfg.DataDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("restore: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("restore: data directory %s is not empty; restore into an empty or new directory", cfg.DataDir)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer func() {
		if err != nil {
			emptyDir(cfg.DataDir)
		}
	}()
	files, err := extractArchive(src, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	dbPath := filepath.Join(cfg.DataDir, backupDBName)
	schema, err := sqlite.Verify(ctx, dbPath)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(cfg.DataDir, "media"), 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s into %s: database schema version %d, %d media files; start the server with: dateline serve --data %s\n",
		src, cfg.DataDir, schema, files, cfg.DataDir)
	return nil
}

// extractArchive unpacks a backup archive into dir, accepting only
// dateline.db and regular files under media/. It returns the number of
// media files.
func extractArchive(src, dir string) (int, error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, fmt.Errorf("%s is not a Dateline backup (not a .tar.gz archive)", src)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	n, haveDB := 0, false
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s is not a Dateline backup or is damaged: %s", src, oneLine(err))
		}
		name := path.Clean(hdr.Name)
		inMedia := strings.HasPrefix(name, backupMediaDir+"/") && filepath.IsLocal(filepath.FromSlash(name))
		if hdr.Typeflag == tar.TypeDir && (name == backupMediaDir || inMedia) {
			continue
		}
		if hdr.Typeflag != tar.TypeReg || (name != backupDBName && !inMedia) {
			return 0, fmt.Errorf("%s is not a Dateline backup (unexpected entry %q)", src, hdr.Name)
		}
		if name == backupDBName {
			haveDB = true
		} else {
			n++
		}
		if err := writeEntry(filepath.Join(dir, filepath.FromSlash(name)), tr); err != nil {
			return 0, err
		}
	}
	if !haveDB {
		return 0, fmt.Errorf("%s is not a Dateline backup (no %s in it)", src, backupDBName)
	}
	return n, nil
}

func writeEntry(dst string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("unpack %s: %s", dst, oneLine(err))
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// emptyDir removes everything inside dir (which restore found empty).
func emptyDir(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}
