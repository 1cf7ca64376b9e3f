package storecopy_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dateline/content"
	"dateline/content/postgres"
	"dateline/content/postgres/pgtest"
	"dateline/content/shape"
	"dateline/content/sqlite"
	"dateline/content/sqlite/sqlitetest"
	"dateline/content/storecopy"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var shapes = shape.New(shape.Options{BaseURL: "https://news.example.org"})

// source returns a migrated SQLite file with a published story, a draft
// and a withdrawn story, and the store on it.
func source(t *testing.T) (string, *sqlite.DB) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{Render: shapes})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for i, h := range []string{"Harbour reopens", "Draft about the ferry", "Withdrawn notice"} {
		a, err := db.CreateArticle(ctx, content.Edit{Headline: h, Body: "Text of " + h + ".", Tags: []string{"Harbour"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			continue
		}
		if a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return path, db
}

// target opens a fresh PostgreSQL database with the source's renderer.
func target(t *testing.T) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.Open(t), postgres.Options{Render: shapes})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func snapshot(t *testing.T, path string) *sqlite.Snapshot {
	t.Helper()
	s, err := sqlite.OpenSnapshot(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Every table of both schemas is copied or left out on purpose (a new
// migration's table or column fails the copy until it is placed), and an
// empty newsroom copies as such.
func TestEveryTableAndColumnIsCopiedOrLeftOutOnPurpose(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	rep, err := storecopy.Copy(ctx, snapshot(t, path), target(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tables) != len(storecopy.Tables()) || !rep.OK() {
		t.Errorf("report %+v", rep)
	}
	for _, tr := range rep.Tables {
		if tr.Source != 0 && tr.Name != "outbox_cursors" {
			t.Errorf("an empty newsroom has %d rows in %s", tr.Source, tr.Name)
		}
	}
}

// A target that holds a newsroom is refused with one line naming what it
// holds, and left as it was; the source is never written.
func TestCopyRefusesATargetThatIsNotEmpty(t *testing.T) {
	ctx := context.Background()
	path, _ := source(t)
	dst := target(t)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storecopy.Copy(ctx, snapshot(t, path), dst); err != nil {
		t.Fatal(err)
	}
	last, err := dst.LastEventID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = storecopy.Copy(ctx, snapshot(t, path), dst)
	if !errors.Is(err, storecopy.ErrNotEmpty) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "articles (3)") {
		t.Fatalf("the second copy: %v, want ErrNotEmpty naming articles (3) in one line", err)
	}
	if again, err := dst.LastEventID(ctx); err != nil || again != last {
		t.Errorf("the refused copy changed the outbox: %d, was %d (%v)", again, last, err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Error("copying changed the SQLite file")
	}
}

// The next event on PostgreSQL follows the last id SQLite ever handed
// out, also when that event is gone (SQLite's AUTOINCREMENT never reuses
// ids; migration 0018 may have set the sequence past the last row).
func TestTheNextEventIDFollowsTheLastOneSQLiteHandedOut(t *testing.T) {
	ctx := context.Background()
	path, src := source(t)
	last, err := src.LastEventID(ctx)
	if err != nil || last == 0 {
		t.Fatalf("last event %d (%v)", last, err)
	}
	sqlitetest.RaiseEventSequence(t, path, 40)
	dst := target(t)
	rep, err := storecopy.Copy(ctx, snapshot(t, path), dst)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Events.Last != last || rep.Events.Next != last+41 {
		t.Errorf("events %+v, want the last %d and the next %d", rep.Events, last, last+41)
	}
	a, err := dst.CreateArticle(ctx, content.Edit{Headline: "First story on PostgreSQL"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dst.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	if id, err := dst.LastEventID(ctx); err != nil || id != last+41 {
		t.Errorf("the first event on PostgreSQL has id %d, want %d (%v)", id, last+41, err)
	}
}

// A story whose public JSON PostgreSQL renders differently from what
// SQLite stored fails the check: the copy is rolled back and the report
// names the story.
func TestADifferenceInThePublicJSONRollsTheCopyBack(t *testing.T) {
	ctx := context.Background()
	path, src := source(t)
	as, err := src.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 10})
	if err != nil || len(as) != 1 {
		t.Fatalf("published: %d (%v)", len(as), err)
	}
	sqlitetest.ReplacePublicJSON(t, path, as[0].ID, []byte(`{"headline":"tampered"}`))
	dst := target(t)
	rep, err := storecopy.Copy(ctx, snapshot(t, path), dst)
	if !errors.Is(err, storecopy.ErrDiffers) {
		t.Fatalf("copy: %v, want ErrDiffers", err)
	}
	if len(rep.Public.Differ) != 1 || rep.Public.Differ[0] != as[0].ID {
		t.Errorf("public report %+v, want %s differing", rep.Public, as[0].ID)
	}
	if id, err := dst.LastEventID(ctx); err != nil || id != 0 {
		t.Errorf("the target holds events up to %d after a failed copy (%v)", id, err)
	}
}

// A source of an older schema is refused before anything is read, with
// what to do.
func TestAnOlderSourceIsRefusedWithWhatToDo(t *testing.T) {
	ctx := context.Background()
	path, _ := source(t)
	sqlitetest.ForgetLastMigration(t, path)
	_, err := sqlite.OpenSnapshot(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "dateline migrate") {
		t.Fatalf("open an older source: %v", err)
	}
	if _, err := sqlite.OpenSnapshot(ctx, filepath.Join(t.TempDir(), "missing.db")); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("open a missing source: %v", err)
	}
}
