package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

// holdWriteLock takes the write lock of the database at path on a
// connection of its own (BEGIN IMMEDIATE, as another process would) and
// returns the function that releases it.
func holdWriteLock(tb testing.TB, path string) (release func()) {
	tb.Helper()
	ctx := context.Background()
	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		tb.Fatal(err)
	}
	conn, err := other.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		tb.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(ctx, "ROLLBACK")
			conn.Close()
			other.Close()
		})
	}
	tb.Cleanup(release)
	return release
}

func openWithBusyTimeout(tb testing.TB, busy time.Duration) (*sqlite.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "dateline.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{BusyTimeout: busy})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, path
}

// TestEveryWriteWaitsAtMostTheBusyTimeoutInTotal queues many writes of
// each kind (a story's transaction, a refresh token of a login, a media
// row written straight to the writer) behind another connection's write
// lock. Each must fail as unavailable after about one busy timeout, not
// after the timeouts of every write queued before it.
func TestEveryWriteWaitsAtMostTheBusyTimeoutInTotal(t *testing.T) {
	const busy = 250 * time.Millisecond
	db, path := openWithBusyTimeout(t, busy)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, auth.User{Email: "writer@example.org", Name: "Writer", Role: auth.RoleAuthor})
	if err != nil {
		t.Fatal(err)
	}
	holdWriteLock(t, path)

	writes := map[string]func(i int) error{
		"a story save": func(i int) error {
			_, err := db.CreateArticle(ctx, story(fmt.Sprintf("Blocked %d", i)), "")
			return err
		},
		"a login's refresh token": func(i int) error {
			_, err := db.CreateRefreshToken(ctx, u.ID, fmt.Sprintf("%064d", i), time.Now().Add(time.Hour))
			return err
		},
		"a media row": func(i int) error {
			_, err := db.CreateMedia(ctx, content.Media{ID: fmt.Sprintf("0190a0a0-0000-7000-8000-%012d", i),
				FileName: fmt.Sprintf("m%d.png", i), ContentType: "image/png", Width: 1, Height: 1, Size: 1, UploadedBy: u.ID})
			return err
		},
	}
	const each = 6 // 18 writes: queued one after another they would take 18 × busy
	type result struct {
		kind string
		err  error
		took time.Duration
	}
	results := make(chan result, each*len(writes))
	var wg sync.WaitGroup
	for kind, write := range writes {
		for i := range each {
			wg.Go(func() {
				start := time.Now()
				err := write(i)
				results <- result{kind, err, time.Since(start)}
			})
		}
	}
	wg.Wait()
	close(results)
	limit := busy + 750*time.Millisecond
	for r := range results {
		if content.ErrorCode(r.err) != content.EUNAVAILABLE {
			t.Errorf("%s under a held lock: %v (code %q), want unavailable", r.kind, r.err, content.ErrorCode(r.err))
		}
		if r.took > limit {
			t.Errorf("%s waited %s, more than the busy timeout %s (limit %s)", r.kind, r.took, busy, limit)
		}
	}
}

func TestAWriteWhoseCallerLeavesWhileQueuedIsCancelled(t *testing.T) {
	db, path := openWithBusyTimeout(t, 2*time.Second)
	holdWriteLock(t, path)
	// The first write holds the writer connection, waiting for the lock;
	// the second queues behind it and its caller gives up. The head of the
	// queue is cancelled as well, while it waits for the lock.
	headCtx, cancelHead := context.WithCancel(context.Background())
	head := make(chan error, 1)
	go func() { _, err := db.CreateArticle(headCtx, story("Head of the queue"), ""); head <- err }()
	time.Sleep(50 * time.Millisecond)
	time.AfterFunc(100*time.Millisecond, cancelHead)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := db.CreateArticle(ctx, story("Given up"), "")
	if took := time.Since(start); took > time.Second {
		t.Errorf("the cancelled write returned after %s, not when its caller left", took)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled write: %v, want the context's error", err)
	}
	if content.ErrorCode(err) == content.EUNAVAILABLE {
		t.Errorf("a cancelled write reports the database busy: %v", err)
	}
	select {
	case err := <-head:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the head of the queue, cancelled while waiting for the lock: %v", err)
		}
	case <-time.After(time.Second):
		t.Error("the head of the queue went on waiting for the lock after its caller left")
	}
}

func TestALockShorterThanTheBusyTimeoutIsWaitedOut(t *testing.T) {
	const busy = 600 * time.Millisecond
	db, path := openWithBusyTimeout(t, busy)
	ctx := context.Background()
	release := holdWriteLock(t, path)
	var wg sync.WaitGroup
	for i := range 4 { // a queue that runs out of time first
		wg.Go(func() { db.CreateArticle(ctx, story(fmt.Sprintf("Queued %d", i)), "") })
	}
	wg.Wait()
	release()

	release = holdWriteLock(t, path)
	time.AfterFunc(busy/3, release)
	if _, err := db.CreateArticle(ctx, story("After a short lock"), ""); err != nil {
		t.Fatalf("a write behind a lock shorter than the busy timeout: %v", err)
	}
	release = holdWriteLock(t, path)
	time.AfterFunc(busy/3, release)
	if _, err := db.CreateMedia(ctx, content.Media{ID: "0190a0a0-0000-7000-8000-000000000001", FileName: "a.png",
		ContentType: "image/png", Width: 1, Height: 1, Size: 1}); err != nil {
		t.Fatalf("a single statement behind a lock shorter than the busy timeout: %v", err)
	}
}

// BenchmarkAnUncontendedWrite measures one small write transaction (a
// login's refresh token) with nobody else writing: the cost of the write
// budget's bookkeeping on the fast path.
func BenchmarkAnUncontendedWrite(b *testing.B) {
	db, _ := openWithBusyTimeout(b, 5*time.Second)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, auth.User{Email: "bench@example.org", Name: "Bench", Role: auth.RoleAuthor})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := db.CreateRefreshToken(ctx, u.ID, fmt.Sprintf("%064d", i), time.Now().Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}
