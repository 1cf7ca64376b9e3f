package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"dateline/content"
	"dateline/content/sqlite"
)

func TestBackupWhileAWriterSavesHoldsEveryAcknowledgedStory(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpen(t)
	var (
		mu    sync.Mutex
		acked []string
	)
	for i := range 5 {
		acked = append(acked, mustCreate(t, db, story(fmt.Sprintf("Before %d", i))).ID)
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
			a, err := db.CreateArticle(ctx, story(fmt.Sprintf("During %d", i)), "")
			if err != nil {
				t.Errorf("save during backup: %v", err)
				return
			}
			mu.Lock()
			acked = append(acked, a.ID)
			mu.Unlock()
			if i == 20 {
				once.Do(func() { close(ready) }) // the writer is going: back up now
			}
		}
	}()
	<-ready
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	dest := filepath.Join(t.TempDir(), "copy.db")
	err := db.Backup(ctx, dest)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	for _, suffix := range []string{"-wal", "-journal"} {
		if _, err := os.Stat(dest + suffix); err == nil {
			t.Errorf("the copy left a %s file beside it", suffix)
		}
	}
	v, err := sqlite.Verify(ctx, dest)
	if err != nil || v != sqlite.LatestSchema() {
		t.Fatalf("verify copy: version %d, %v", v, err)
	}
	cp, err := sqlite.Open(ctx, dest, sqlite.Options{NoCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	for _, id := range before {
		if _, err := cp.Article(ctx, content.ArticleFilter{ID: &id}); err != nil {
			t.Errorf("story %s acknowledged before the backup is missing from the copy: %v", id, err)
		}
	}
	if err := db.Backup(ctx, dest); err == nil {
		t.Error("a backup overwrote an existing file")
	}
}

func TestVerifyRefusesWhatIsNotAUsableDatelineDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("just some notes, long enough to read a header from"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	o, err := sql.Open("sqlite3", "file:"+other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Exec("CREATE TABLE things (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	o.Close()
	newer := filepath.Join(dir, "newer.db")
	db, err := sqlite.Open(ctx, newer, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ExecForTest(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	tests := []struct {
		name, path, code, want string
	}{
		{"a missing file is not found", filepath.Join(dir, "missing.db"), content.ENOTFOUND, "does not exist"},
		{"a text file is not a Dateline database", text, content.EINVALID, "not a Dateline database"},
		{"another application's SQLite file is not a Dateline database", other, content.EINVALID, "not a Dateline database"},
		{"a schema newer than the binary is refused", newer, content.EINVALID, "newer Dateline"},
		{"a directory is not a file", dir, content.EINVALID, "not a file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sqlite.Verify(ctx, tt.path)
			if err == nil || content.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v (code %s), want %s containing %q", err, content.ErrorCode(err), tt.code, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
	if _, err := sqlite.Open(ctx, other, sqlite.Options{NoMigrate: true}); err == nil || !strings.Contains(err.Error(), "not a Dateline database") {
		t.Errorf("open without migrating another application's file: %v", err)
	}
}

func TestIntegrityCheckPassesOnAHealthyDatabase(t *testing.T) {
	db, _ := mustOpen(t)
	mustCreate(t, db, story("Healthy"))
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	w, r := db.Stats()
	if w.MaxOpenConnections != 1 || r.MaxOpenConnections < 1 {
		t.Errorf("stats: writer max %d, reader max %d", w.MaxOpenConnections, r.MaxOpenConnections)
	}
}
