package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

func addUser(tb testing.TB, db *sqlite.DB, id, name string) {
	tb.Helper()
	err := db.ExecForTest(context.Background(), `INSERT INTO users (id, email, name, slug, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'editor', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')`, id, id+"@example.org", name, id)
	if err != nil {
		tb.Fatal(err)
	}
}

func TestDeletedStoriesVanishFromEveryRead(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	keep := mustPublish(t, db, mustCreate(t, db, story("Kept story", "politics")).ID)
	gone := mustCreate(t, db, story("Gone story", "politics"))
	gone = mustPublish(t, db, gone.ID)
	e := story("Gone story renamed", "politics")
	e.Slug = "gone-story-renamed"
	if _, err := db.UpdateArticle(ctx, gone.ID, content.Save{Version: gone.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteArticle(ctx, gone.ID, "someone"); err != nil {
		t.Fatal(err)
	}

	t.Run("lists, lookups and tag walks skip it", func(t *testing.T) {
		for name, f := range map[string]content.ArticleFilter{
			"every status":     {},
			"published":        {Statuses: published},
			"published by tag": {Statuses: published, Tags: []string{"politics"}},
			"by id":            {ID: &gone.ID},
		} {
			as, err := db.Articles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range as {
				if a.ID == gone.ID {
					t.Errorf("%s: the deleted story is listed", name)
				}
			}
		}
		if _, err := db.Article(ctx, content.ArticleFilter{ID: &gone.ID}); !errors.Is(err, content.ErrNotFound) {
			t.Errorf("article by id: %v, want not found", err)
		}
		if _, err := db.RedirectSlug(ctx, "gone-story"); !errors.Is(err, content.ErrNotFound) {
			t.Errorf("old slug still redirects: %v", err)
		}
		tags, err := db.Tags(ctx, content.TagFilter{Published: true})
		if err != nil || len(tags) != 1 || tags[0].Count != 1 {
			t.Errorf("published tags = %+v (%v), want politics counting 1", tags, err)
		}
	})
	t.Run("the deleted filter finds it", func(t *testing.T) {
		as, err := db.Articles(ctx, content.ArticleFilter{Deleted: true})
		if err != nil || len(as) != 1 || as[0].ID != gone.ID {
			t.Errorf("deleted = %d (%v)", len(as), err)
		}
	})
	t.Run("writes refuse it and revisions stay", func(t *testing.T) {
		_, err := db.ChangeStatus(ctx, gone.ID, content.StatusChange{From: content.Statuses, To: content.StatusUnpublished})
		if !errors.Is(err, content.ErrNotFound) {
			t.Errorf("status change: %v, want not found", err)
		}
		if err := db.DeleteArticle(ctx, gone.ID, ""); !errors.Is(err, content.ErrNotFound) {
			t.Errorf("second delete: %v, want not found", err)
		}
		revs, err := db.Revisions(ctx, gone.ID)
		if err != nil || len(revs) != 2 {
			t.Errorf("revisions = %d (%v), want 2", len(revs), err)
		}
	})
	t.Run("deleting a published story writes an unpublished event", func(t *testing.T) {
		raw, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var last, payload string
		err = raw.QueryRow("SELECT type, payload FROM events WHERE article_id = ? ORDER BY id DESC LIMIT 1", gone.ID).Scan(&last, &payload)
		if err != nil || last != content.EventUnpublished || !strings.Contains(payload, `"deleted":true`) {
			t.Errorf("last event = %s %s (%v), want article.unpublished for the deletion", last, payload, err)
		}
		var kept int
		if err := raw.QueryRow("SELECT COUNT(*) FROM events WHERE article_id = ? AND type = ?", keep.ID, content.EventUnpublished).Scan(&kept); err != nil || kept != 0 {
			t.Errorf("the kept story got %d unpublished events (%v)", kept, err)
		}
	})
}

func TestSavesRespectLiveEditLocks(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	addUser(t, db, "u-ann", "Ann Lee")
	addUser(t, db, "u-bob", "Bob Roe")
	a := mustCreate(t, db, story("Locked"))
	l, err := db.AcquireLock(ctx, a.ID, "u-ann", false)
	if err != nil || l.UserName != "Ann Lee" || !l.ExpiresAt.Equal(now.Add(content.LockTTL)) {
		t.Fatalf("lock = %+v, %v", l, err)
	}
	_, err = db.UpdateArticle(ctx, a.ID, content.Save{Version: 1, Edit: story("By Bob"), By: "u-bob"})
	var locked *content.LockedError
	if !errors.As(err, &locked) || content.ErrorCode(err) != content.ECONFLICT || locked.Lock.UserID != "u-ann" {
		t.Fatalf("save by another user: %v, want a lock conflict naming Ann", err)
	}
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: 1, Edit: story("By Ann"), By: "u-ann"}); err != nil {
		t.Fatalf("save by the holder: %v", err)
	}
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: 2, Edit: story("By the system")}); err != nil {
		t.Fatalf("save by the system: %v", err)
	}
	*now = now.Add(content.LockTTL + time.Second)
	if _, err := db.Lock(ctx, a.ID); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("expired lock: %v, want not found", err)
	}
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: 3, Edit: story("By Bob"), By: "u-bob"}); err != nil {
		t.Errorf("save after expiry: %v", err)
	}
}

func TestSaveCanRequireTheStatusItWasCheckedAgainst(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	a := mustCreate(t, db, story("Draft in flight"))
	mustPublish(t, db, a.ID)
	_, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: 1, Edit: story("Late draft edit"), Statuses: []content.Status{content.StatusDraft}})
	if content.ErrorCode(err) != content.ECONFLICT || !strings.Contains(err.Error(), "became published") {
		t.Fatalf("err = %v, want a conflict saying the story was published", err)
	}
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: 1, Edit: story("Edit"), Statuses: []content.Status{content.StatusPublished}}); err != nil {
		t.Errorf("save in the expected status: %v", err)
	}
}
