package postgres_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/postgres"
)

func TestAuthorsAndCorrectionsListWhatReadersSee(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, migrated(t), fixed(start))
	u, err := db.CreateUser(ctx, auth.User{Name: "Ana Reis", Email: "ana@harbour.example", Role: auth.RoleAuthor})
	if err != nil {
		t.Fatal(err)
	}
	e := readyEdit("Ferry resumes")
	e.AuthorIDs = []string{u.ID}
	a, err := db.CreateArticle(ctx, e, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if authors, err := db.Authors(ctx, content.AuthorFilter{}); err != nil || len(authors) != 0 {
		t.Fatalf("authors of drafts only: %+v, %v", authors, err)
	}
	if a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	e.Headline = "Ferry resumes on Monday"
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	wc, err := db.WorkingCopy(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishWorkingCopy(ctx, a.ID, content.Update{Version: wc.Version, Correction: "The day was wrong."}); err != nil {
		t.Fatal(err)
	}
	if emails, err := db.AuthorEmails(ctx); err != nil || len(emails) != 1 || emails[u.ID] != u.Email {
		t.Errorf("author emails %v, %v", emails, err)
	}
	au, err := db.Author(ctx, content.AuthorFilter{Slug: &u.Slug})
	if err != nil || au.ID != u.ID || au.Count != 1 {
		t.Errorf("author %+v, %v; want %s with 1 story", au, err, u.Name)
	}
	cs, err := db.Corrections(ctx, content.CorrectionFilter{})
	if err != nil || len(cs) != 1 || cs[0].Text != "The day was wrong." || cs[0].Headline != "Ferry resumes on Monday" {
		t.Fatalf("corrections %+v, %v", cs, err)
	}
	if _, err := db.Corrections(ctx, content.CorrectionFilter{After: &content.Cursor{Time: start, ID: "not-a-number"}}); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("a foreign cursor: %v, want %s", err, content.EINVALID)
	}
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: published, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if cs, _ := db.Corrections(ctx, content.CorrectionFilter{}); len(cs) != 0 {
		t.Errorf("a withdrawn story's corrections are listed: %+v", cs)
	}
	if _, err := db.Author(ctx, content.AuthorFilter{Slug: &u.Slug}); content.ErrorCode(err) != content.ENOTFOUND {
		t.Errorf("an author without a published story: %v, want %s", err, content.ENOTFOUND)
	}
}

func TestAWorkingCopyIsSubmittedOnceAndItsScheduledUpdateCancelled(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, migrated(t), fixed(start))
	a, err := db.CreateArticle(ctx, readyEdit("Polls close"), "")
	if err != nil {
		t.Fatal(err)
	}
	if a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: readyEdit("Polls close at eight")}); err != nil {
		t.Fatal(err)
	}
	wc, err := db.WorkingCopy(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.SubmitWorkingCopy(ctx, a.ID, wc.Version, "contributor-1")
	if err != nil || got.SubmittedBy != "contributor-1" || got.SubmittedAt == nil {
		t.Fatalf("submit: %+v, %v", got, err)
	}
	if _, err := db.SubmitWorkingCopy(ctx, a.ID, wc.Version, "contributor-1"); content.ErrorCode(err) != content.ECONFLICT {
		t.Errorf("a second submission: %v, want %s", err, content.ECONFLICT)
	}

	held, err := db.HoldRevision(ctx, a.ID, start.Add(time.Hour))
	if err != nil || held != wc.Version {
		t.Fatalf("HoldRevision = %d, %v; want the working copy's %d", held, err, wc.Version)
	}
	b, err := db.RevisionState(ctx, a.ID, held)
	var state content.Edit
	if err != nil || json.Unmarshal(b, &state) != nil || state.Headline != "Polls close at eight" {
		t.Fatalf("revision state %s, %v", b, err)
	}

	due := start.Add(time.Hour)
	if _, err := db.PublishWorkingCopy(ctx, a.ID, content.Update{Version: wc.Version, PublishAt: &due}); err != nil {
		t.Fatal(err)
	}
	if items, err := db.ScheduleItems(ctx, content.ScheduleFilter{}); err != nil || len(items) != 1 {
		t.Fatalf("schedule %+v, %v; want the update", items, err)
	}
	got, err = db.CancelScheduledUpdate(ctx, a.ID, wc.Version, "editor-1")
	if err != nil || got.PublishAt != nil || got.Edit.Headline != "Polls close at eight" {
		t.Fatalf("cancel: %+v, %v", got, err)
	}
	if items, _ := db.ScheduleItems(ctx, content.ScheduleFilter{}); len(items) != 0 {
		t.Errorf("a cancelled update is still scheduled: %+v", items)
	}
	if _, err := db.CancelScheduledUpdate(ctx, a.ID, wc.Version, "editor-1"); content.ErrorCode(err) != content.ECONFLICT {
		t.Errorf("cancelling nothing: %v, want %s", err, content.ECONFLICT)
	}
}

func TestAutosavesFoldIntoOneRevisionAndRetentionPrunesOldOnes(t *testing.T) {
	ctx := context.Background()
	var now atomic.Value
	now.Store(start)
	db, err := postgres.Open(ctx, migrated(t), postgres.Options{Now: func() time.Time { return now.Load().(time.Time) },
		Revisions: postgres.RevisionPolicy{AutosaveWindow: time.Hour, Keep: 2, KeepFor: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, auth.User{Name: "Ana Reis", Email: "ana@harbour.example", Role: auth.RoleEditor})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateArticle(ctx, readyEdit("Draft one"), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"Draft two", "Draft three", "Draft four"} {
		if a, err = db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: readyEdit(h), Autosave: true, By: u.ID}); err != nil {
			t.Fatal(err)
		}
	}
	revs, err := db.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].Version != a.Version || revs[0].Edit.Headline != "Draft four" || !revs[0].Autosave || revs[1].Version != 1 {
		t.Fatalf("revisions %+v; want the first save and one autosave run at version %d", revs, a.Version)
	}
	for i, h := range []string{"Manual five", "Manual six", "Manual seven"} {
		now.Store(start.Add(time.Duration(i+1) * time.Hour)) // older than KeepFor, each of them
		if a, err = db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Edit: readyEdit(h), By: u.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if revs, _ = db.Revisions(ctx, a.ID); len(revs) != 2 || revs[0].Edit.Headline != "Manual seven" {
		var got []string
		for _, r := range revs {
			got = append(got, r.Edit.Headline)
		}
		t.Errorf("revisions after manual saves with Keep 2: %v", got)
	}
}
