package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"dateline/content"
	"dateline/content/sqlite"
)

// TestBackupReadsADataDirectoryItMayNotWrite backs up a data directory
// whose files and directories are read-only to the user running the backup,
// as the README promises ("it needs read access to the data directory").
// Permissions do not bind root, so when the test runs as root the backup
// runs as the unprivileged user 65534 (nobody); the command is the real
// binary either way.
func TestBackupReadsADataDirectoryItMayNotWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	ctx := context.Background()
	root := t.TempDir()
	// The test's directories must be passable for the other user.
	for _, d := range []string{filepath.Dir(root), root} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := buildDateline(t, root)
	data := filepath.Join(root, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(data, "dateline.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	slug, err := publishStory(ctx, db, "Read-only harbour")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := writeFile(filepath.Join(data, "media", "lead.png"), []byte("\x89PNG\r\n\x1a\nimage")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(data, "dateline.db"), filepath.Join(data, "media", "lead.png")} {
		if err := os.Chmod(p, 0o444); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{filepath.Join(data, "media"), data} {
		if err := os.Chmod(d, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { // let t.TempDir remove it
		os.Chmod(data, 0o755)
		os.Chmod(filepath.Join(data, "media"), 0o755)
	})
	before := dirListing(t, data)
	sum := fileSum(t, filepath.Join(data, "dateline.db"))
	out := filepath.Join(root, "out")
	if err := os.Mkdir(out, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(out, 0o777)
	cfg := filepath.Join(root, "config.yaml")
	if err := os.WriteFile(cfg, []byte("log_level: warn\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(out, "backup.tar.gz")

	cmd := exec.Command(bin, "backup", "--config", cfg, "--data", data, archive)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		// Check that the other user really cannot write there.
		probe := exec.Command("/bin/sh", "-c", "touch "+filepath.Join(data, "probe"))
		probe.SysProcAttr = cmd.SysProcAttr
		if probe.Run() == nil {
			t.Fatal("the unprivileged user can write the data directory; the test would prove nothing")
		}
	}
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("backup of a read-only data directory: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), "backup "+archive+" written") || !strings.Contains(string(b), "1 media files") {
		t.Errorf("output %q", b)
	}
	if got := dirListing(t, data); !slices.Equal(got, before) {
		t.Errorf("the data directory changed: %v, was %v", got, before)
	}
	if fileSum(t, filepath.Join(data, "dateline.db")) != sum {
		t.Error("the database file changed")
	}

	restored := filepath.Join(root, "restored")
	if err := run(ctx, []string{"restore", "--config", cfg, "--data", restored, archive}, envOf(nil), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	rdb, err := sqlite.Open(ctx, filepath.Join(restored, "dateline.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	as, err := rdb.Articles(ctx, content.ArticleFilter{Limit: 10})
	if err != nil || len(as) != 1 || as[0].Slug != slug {
		t.Errorf("the restored database holds %v (%v), want the story %s", as, err, slug)
	}
}

// dirListing lists the names under dir, recursively, sorted.
func dirListing(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}
