package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"dateline/content"
	"dateline/content/mediafile"
	"dateline/content/sqlite"
	"dateline/content/sqlite/sqlitetest"
)

// publishStory creates and publishes one story and returns its slug.
func publishStory(ctx context.Context, db Store, headline string) (string, error) {
	art, err := db.CreateArticle(ctx, content.Edit{Headline: headline, Body: "Body of " + headline, Tags: []string{"backup"}}, "")
	if err != nil {
		return "", err
	}
	art, err = db.ChangeStatus(ctx, art.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
	if err != nil {
		return "", err
	}
	return art.Slug, nil
}

func TestBackupWhileServingAndRestoreGivesAWorkingServer(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t)
	if err := writeFile(filepath.Join(a.cfg.DataDir, "media", "2026", "lead.png"), []byte("\x89PNG\r\n\x1a\nimage")); err != nil {
		t.Fatal(err)
	}
	// An upload being written: no part of the library, left out.
	if err := writeFile(filepath.Join(a.cfg.DataDir, "media", mediafile.TempPrefix+"42"), []byte("half an upl")); err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		acked []string
	)
	for i := range 5 {
		slug, err := publishStory(ctx, a.db, fmt.Sprintf("Before the backup %d", i))
		if err != nil {
			t.Fatal(err)
		}
		acked = append(acked, slug)
	}
	stop, ready := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var once sync.Once
		defer once.Do(func() { close(ready) })
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			slug, err := publishStory(ctx, a.db, fmt.Sprintf("Written during the backup %d", i))
			if err != nil {
				t.Errorf("save while backing up: %v", err)
				return
			}
			mu.Lock()
			acked = append(acked, slug)
			mu.Unlock()
			if i == 10 {
				once.Do(func() { close(ready) })
			}
		}
	}()
	<-ready
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()

	archive := filepath.Join(t.TempDir(), "backup.tar.gz")
	env := envOf(map[string]string{"DATELINE_CONFIG": writeTemp(t, t.TempDir())})
	var out, errOut bytes.Buffer
	err := run(ctx, []string{"backup", "--data", a.cfg.DataDir, archive}, env, &out, &errOut)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out.String(), "1 media files") {
		t.Errorf("backup said %q", out.String())
	}

	restored := filepath.Join(t.TempDir(), "restored")
	out.Reset()
	if err := run(ctx, []string{"restore", "--data", restored, archive}, env, &out, &errOut); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if !strings.Contains(out.String(), "restored") {
		t.Errorf("restore said %q", out.String())
	}
	db, err := sqlite.Open(ctx, filepath.Join(restored, "dateline.db"), sqlite.Options{NoCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := a.cfg
	cfg.DataDir = restored
	h := newRouter(&app{cfg: cfg, db: db, log: a.log})
	for _, slug := range before {
		if rec := get(t, h, "/api/v1/articles/"+slug); rec.Code != http.StatusOK {
			t.Errorf("restored server: story %s acknowledged before the backup answers %d", slug, rec.Code)
		}
	}
	if rec := get(t, h, "/media/2026/lead.png"); rec.Code != http.StatusOK || !strings.HasSuffix(rec.Body.String(), "image") {
		t.Errorf("restored media: %d", rec.Code)
	}
	if _, err := os.Stat(filepath.Join(restored, "media", mediafile.TempPrefix+"42")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an upload being written was backed up: %v", err)
	}
	if _, err := publishStory(ctx, db, "Written after the restore"); err != nil {
		t.Errorf("the restored database takes writes: %v", err)
	}
}

// tarGz builds a .tar.gz from name → content pairs.
func tarGz(t *testing.T, path string, files map[string][]byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, b := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(path, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBackupAndRestoreFailuresAreOneLineErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := envOf(map[string]string{"DATELINE_CONFIG": writeTemp(t, dir)})

	// A real database, one from a newer Dateline, and one of another
	// application, each packed as a backup.
	live := filepath.Join(dir, "live")
	if err := os.MkdirAll(live, 0o750); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(live, "dateline.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := publishStory(ctx, db, "Kept"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	good := filepath.Join(dir, "good.tar.gz")
	if err := run(ctx, []string{"backup", "--data", live, good}, env, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer")
	makeNewerDatabase(t, filepath.Join(newer, "dateline.db"))
	dbBytes, err := os.ReadFile(filepath.Join(newer, "dateline.db"))
	if err != nil {
		t.Fatal(err)
	}
	newerArchive := tarGz(t, filepath.Join(dir, "newer.tar.gz"), map[string][]byte{"dateline.db": dbBytes})
	notDB := tarGz(t, filepath.Join(dir, "notdb.tar.gz"), map[string][]byte{"dateline.db": []byte(strings.Repeat("not a database ", 10))})
	noDB := tarGz(t, filepath.Join(dir, "nodb.tar.gz"), map[string][]byte{"media/a.png": []byte("x")})
	escape := tarGz(t, filepath.Join(dir, "escape.tar.gz"), map[string][]byte{"dateline.db": dbBytes, "../../evil": []byte("x")})
	plain := filepath.Join(dir, "plain.txt")
	if err := writeFile(plain, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(dir, "full")
	if err := writeFile(filepath.Join(full, "something"), []byte("x")); err != nil {
		t.Fatal(err)
	}

	target := func() string { return filepath.Join(t.TempDir(), "data") }
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"backup without a file name", []string{"backup", "--data", live}, exitUsage, "name one file"},
		{"backup of a directory without a database", []string{"backup", "--data", t.TempDir(), filepath.Join(dir, "x.tar.gz")}, exitFailure, "no database at"},
		{"backup over an existing file", []string{"backup", "--data", live, plain}, exitFailure, "already exists"},
		{"backup of a newer database", []string{"backup", "--data", newer, filepath.Join(dir, "y.tar.gz")}, exitFailure, "newer Dateline"},
		{"restore of a missing file", []string{"restore", "--data", target(), filepath.Join(dir, "missing.tar.gz")}, exitFailure, "does not exist"},
		{"restore of a file that is no archive", []string{"restore", "--data", target(), plain}, exitFailure, "not a Dateline backup"},
		{"restore of an archive without a database", []string{"restore", "--data", target(), noDB}, exitFailure, "no dateline.db"},
		{"restore of an archive whose database is not SQLite", []string{"restore", "--data", target(), notDB}, exitFailure, "not a Dateline database"},
		{"restore of a newer schema", []string{"restore", "--data", target(), newerArchive}, exitFailure, "newer Dateline"},
		{"restore of an archive with a path outside the directory", []string{"restore", "--data", target(), escape}, exitFailure, "unexpected entry"},
		{"restore into a non-empty directory", []string{"restore", "--data", full, good}, exitFailure, "not empty"},
		{"restore with an unknown flag", []string{"restore", "--force", good}, exitUsage, "force"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(ctx, tt.args, env, io.Discard, io.Discard)
			if err == nil || exitCode(err) != tt.code || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v (exit %d), want exit %d and %q", err, exitCode(err), tt.code, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			if tt.args[0] == "restore" && tt.code == exitFailure && tt.want != "not empty" {
				entries, _ := os.ReadDir(tt.args[2])
				if len(entries) > 0 {
					t.Errorf("a failed restore left %d entries in the data directory", len(entries))
				}
			}
		})
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("restore touched a non-empty directory: %d entries", len(entries))
	}
}

// makeNewerDatabase creates a Dateline database at path that claims a
// schema version from the future. It goes around the store on purpose: no
// store method writes such a state.
func makeNewerDatabase(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	sqlitetest.ClaimNewerSchema(t, path, 9999)
}
