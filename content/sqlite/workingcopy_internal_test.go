package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"dateline/content"
)

func openWorking(t *testing.T) (*DB, *time.Time) {
	t.Helper()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "d.db"), Options{
		Now: func() time.Time { return now }, Render: headlineRenderer{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, &now
}

// headlineRenderer is a stand-in for the public shape renderer: the public
// JSON of a story is its headline and body.
type headlineRenderer struct{}

func (headlineRenderer) Render(a *content.Article, _ map[string]string) (content.PublicJSON, error) {
	b := []byte(`{"headline":"` + a.Headline + `","body":"` + a.Text + `"}`)
	return content.PublicJSON{Summary: b, Full: b, Keys: a.ID}, nil
}

func (headlineRenderer) Key() string { return "headline" }

func liveStory(t *testing.T, db *DB, headline string) *content.Article {
	t.Helper()
	ctx := context.Background()
	a, err := db.CreateArticle(ctx, content.Edit{Headline: headline, Body: "The quay stays shut.", Tags: []string{"Harbour"},
		Dateline: content.Dateline{Place: "PORT ELLIS"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// readersView is everything of story id that readers' reads are made from.
type readersView struct {
	publicJSON, headline, body, updated string
	version                             int
	tags, searchHits, events            int
}

func viewOf(t *testing.T, db *DB, id, word string) readersView {
	t.Helper()
	var v readersView
	r := db.r
	if err := r.QueryRow("SELECT public_json FROM article_public WHERE article_id = ?", id).Scan(&v.publicJSON); err != nil {
		t.Fatal(err)
	}
	if err := r.QueryRow("SELECT headline, body_html, updated_at, version FROM articles WHERE id = ?", id).
		Scan(&v.headline, &v.body, &v.updated, &v.version); err != nil {
		t.Fatal(err)
	}
	if err := r.QueryRow("SELECT COUNT(*) FROM tags").Scan(&v.tags); err != nil {
		t.Fatal(err)
	}
	if err := r.QueryRow("SELECT COUNT(*) FROM events").Scan(&v.events); err != nil {
		t.Fatal(err)
	}
	as, err := db.Articles(context.Background(), content.ArticleFilter{Query: word, Statuses: []content.Status{content.StatusPublished}})
	if err != nil {
		t.Fatal(err)
	}
	v.searchHits = len(as)
	return v
}

func TestAWorkingCopySaveLeavesEverythingReadersSeeAlone(t *testing.T) {
	db, now := openWorking(t)
	ctx := context.Background()
	a := liveStory(t, db, "Quay closes")
	before := viewOf(t, db, a.ID, "lighthouse")
	gen := db.Generation()

	*now = now.Add(time.Minute)
	e := a.Edit
	e.Headline, e.Body, e.Tags = "Quay closes for a week", "The lighthouse keeper said so.", []string{"Harbour", "Lighthouses"}
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e, Autosave: true, By: ""}); err != nil {
		t.Fatal(err)
	}
	if after := viewOf(t, db, a.ID, "lighthouse"); after != before || db.Generation() != gen {
		t.Errorf("readers' view changed with a save of the working copy:\n%+v\n%+v\ngeneration %d → %d", before, after, gen, db.Generation())
	}
	rev, err := db.Revision(ctx, a.ID, a.Version+1)
	if err != nil || rev.Edit.Headline != "Quay closes for a week" {
		t.Errorf("the working copy's revision: %+v, %v", rev.Edit.Headline, err)
	}

	*now = now.Add(time.Minute)
	if _, err := db.PublishWorkingCopy(ctx, a.ID, content.Update{Version: a.Version + 1}); err != nil {
		t.Fatal(err)
	}
	after := viewOf(t, db, a.ID, "lighthouse")
	if after.publicJSON == before.publicJSON || after.headline != "Quay closes for a week" || after.version != a.Version+1 ||
		after.updated != timeText(*now) || after.tags != before.tags+1 || after.searchHits != 1 || after.events != before.events+1 {
		t.Errorf("after Update: %+v (before %+v)", after, before)
	}
	var sealed bool
	if err := db.r.QueryRow("SELECT sealed FROM revisions WHERE article_id = ? AND version = ?", a.ID, a.Version+1).Scan(&sealed); err != nil || !sealed {
		t.Errorf("the published working copy's revision sealed = %v, %v", sealed, err)
	}
}

func TestAFailedWorkingCopySaveLeavesNoCopyAndNoRevision(t *testing.T) {
	db, _ := openWorking(t)
	ctx := context.Background()
	a := liveStory(t, db, "Quay closes")
	e := a.Edit
	e.AuthorIDs = []string{"0192a4f0-0000-7000-8000-000000000000"} // no such user
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e}); content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("err %v, want invalid", err)
	}
	var copies, revs int
	db.r.QueryRow("SELECT COUNT(*) FROM working_copies").Scan(&copies)
	db.r.QueryRow("SELECT COUNT(*) FROM revisions WHERE article_id = ?", a.ID).Scan(&revs)
	if copies != 0 || revs != 1 {
		t.Errorf("%d working copies and %d revisions after a refused save, want 0 and 1", copies, revs)
	}
}

func TestLeavingTheLiveStatusesFoldsTheWorkingCopyIntoTheStory(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to content.Status
	}{
		{"a withdrawal makes the working copy the story's own state", content.StatusPublished, content.StatusUnpublished},
		{"unscheduling makes the working copy the story's own state", content.StatusScheduled, content.StatusDraft},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, now := openWorking(t)
			ctx := context.Background()
			a := liveStory(t, db, "Quay closes")
			if tc.from == content.StatusScheduled {
				var err error
				a, err = db.CreateArticle(ctx, content.Edit{Headline: "Quay closes", Body: "Soon."}, "")
				if err != nil {
					t.Fatal(err)
				}
				at := now.Add(time.Hour)
				if a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &at}); err != nil {
					t.Fatal(err)
				}
			}
			e := a.Edit
			e.Headline = "Quay closes, pending"
			if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e}); err != nil {
				t.Fatal(err)
			}
			b, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{tc.from}, To: tc.to})
			if err != nil {
				t.Fatal(err)
			}
			if b.Headline != "Quay closes, pending" || b.Version != a.Version+1 {
				t.Errorf("story after the step: %q at version %d, want the working copy's state at %d", b.Headline, b.Version, a.Version+1)
			}
			if _, err := db.WorkingCopy(ctx, a.ID); content.ErrorCode(err) != content.ENOTFOUND {
				t.Errorf("working copy after the step: %v", err)
			}
			// The story saves as any withdrawn story now.
			if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: b.Version, Edit: b.Edit}); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestMigration0020CarriesEveryStoryOver(t *testing.T) {
	db, _ := openWorking(t)
	ctx := context.Background()
	a := liveStory(t, db, "Quay closes")
	for _, q := range []string{"DROP TABLE working_copies", "DELETE FROM schema_migrations WHERE version = 20"} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := db.Article(ctx, content.ArticleFilter{ID: &a.ID})
	if err != nil || b.Headline != a.Headline || b.Version != a.Version || b.Status != content.StatusPublished {
		t.Fatalf("story after the migration: %+v, %v", b, err)
	}
	e := b.Edit
	e.Headline = "Quay closes again"
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: b.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	if wc, err := db.WorkingCopy(ctx, a.ID); err != nil || wc.Base != a.Version {
		t.Errorf("working copy after the migration: %+v, %v", wc, err)
	}
}
