package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"dateline/content/sqlite"
)

// smallDisk mounts a tmpfs of size bytes for the test, or skips the test
// where that cannot be done (not Linux, not root, no mount).
func smallDisk(t *testing.T, size int64) string {
	t.Helper()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("a small disk needs a tmpfs mount: Linux as root only")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

func TestABackupOnAFullDiskSaysSoAndLeavesNothing(t *testing.T) {
	data := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(data, "dateline.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err := os.Stat(filepath.Join(data, "dateline.db"))
	if err != nil {
		t.Fatal(err)
	}
	// Room for the database's copy but not for the archive with the media.
	noise := make([]byte, 1<<20)
	rand.Read(noise)
	if err := writeFile(filepath.Join(data, "media", "big.png"), noise); err != nil {
		t.Fatal(err)
	}
	disk := smallDisk(t, st.Size()+256<<10)
	dest := filepath.Join(disk, "backup.tar.gz")
	var stderr bytes.Buffer
	err = run(context.Background(), []string{"backup", "--data", data, dest}, envOf(map[string]string{"DATELINE_CONFIG": writeTemp(t, t.TempDir())}), &bytes.Buffer{}, &stderr)
	if err == nil || exitCode(err) != exitFailure || !strings.Contains(err.Error(), "disk is full") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("backup onto a full disk: %v (exit %d), want one line saying the disk is full", err, exitCode(err))
	}
	left, _ := os.ReadDir(disk)
	if len(left) != 0 {
		t.Errorf("left on the full disk: %v", left)
	}
}
