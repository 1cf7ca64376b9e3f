package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"dateline/content"
	"dateline/content/sqlite"
)

// crashHelperEnv names the database file the helper process writes to; the
// helper mode is off when it is unset.
const crashHelperEnv = "DATELINE_CRASH_HELPER_DB"

// TestHelperProcess is not a test: re-executed by
// TestAKilledWriterLosesNoAcknowledgedStory, it saves stories in a loop and
// prints each acknowledged id on its own line until it is killed.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(crashHelperEnv)
	if path == "" {
		t.Skip("helper process of the crash test")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
	for i := 0; ; i++ {
		a, err := db.CreateArticle(ctx, story(fmt.Sprintf("Crash story %d", i), "crash"), "")
		if err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(3)
		}
		// os.Stdout is unbuffered: the line leaves the process only after
		// the commit returned.
		fmt.Fprintln(os.Stdout, a.ID)
	}
}

func TestAKilledWriterLosesNoAcknowledgedStory(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var acked []string
	for round := range 5 {
		ids := runAndKill(t, path, time.Duration(20+rng.IntN(400))*time.Millisecond)
		acked = append(acked, ids...)
		db, err := sqlite.Open(ctx, path, sqlite.Options{NoCreate: true})
		if err != nil {
			t.Fatalf("round %d: reopen after the kill: %v", round, err)
		}
		if err := db.IntegrityCheck(ctx); err != nil {
			t.Errorf("round %d: %v", round, err)
		}
		for _, id := range acked {
			if _, err := db.Article(ctx, content.ArticleFilter{ID: &id}); err != nil {
				t.Errorf("round %d: acknowledged story %s is missing: %v", round, id, err)
			}
		}
		db.Close()
		t.Logf("round %d: killed after %d acknowledged saves, %d in all", round, len(ids), len(acked))
	}
	if len(acked) == 0 {
		t.Fatal("the helper acknowledged nothing")
	}
}

// runAndKill starts the helper on path, lets it save for about d after its
// first acknowledgement, kills it with SIGKILL and returns the ids it
// acknowledged (complete lines only).
func runAndKill(t *testing.T, path string, d time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), crashHelperEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := bufio.NewReader(out)
		for {
			s, err := r.ReadString('\n')
			if err != nil {
				return // EOF after the kill; a partial line was not acknowledged
			}
			lines <- s[:len(s)-1]
		}
	}()
	var ids []string
	timer := time.NewTimer(10 * time.Second) // bound: the first save must come
	defer timer.Stop()
	started := false
loop:
	for {
		select {
		case s := <-lines:
			if _, err := uuid.Parse(s); err == nil {
				ids = append(ids, s)
			}
			if !started {
				started = true
				timer.Reset(d)
			}
		case <-timer.C:
			break loop
		case <-done:
			break loop
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	// Collect what was printed before the kill.
	for {
		select {
		case s := <-lines:
			if _, err := uuid.Parse(s); err == nil {
				ids = append(ids, s)
			}
			continue
		case <-done:
		}
		break
	}
	io.Copy(io.Discard, out)
	cmd.Wait()
	if !started {
		t.Fatal("the helper process saved nothing")
	}
	return ids
}
