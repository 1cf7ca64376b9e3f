package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

// Trash is what the Trash page, its admin endpoints and the automatic purge
// use of a store, the review notes of stories sent back, and the retry of
// a failed webhook delivery on the webhooks page.
type Trash interface {
	RetryDelivery(ctx context.Context, hookID, id string) (*content.Delivery, error)
	Trash(ctx context.Context, f content.TrashFilter) ([]content.TrashedStory, error)
	RestoreArticle(ctx context.Context, id string) (*content.Article, error)
	PurgeArticle(ctx context.Context, id string) error
	PurgeTrash(ctx context.Context, before time.Time) (int, error)
	ReviewNotes(ctx context.Context, id string) ([]content.ReviewNote, error)
	LatestReviewNotes(ctx context.Context, ids []string) (map[string]content.ReviewNote, error)
}

func trashContracts() []contract {
	return []contract{
		{"a deleted published story leaves every public read with one article.unpublished and is in the Trash", deleteToTrash},
		{"a restored published story comes back withdrawn, in no public read, without an event", restoreFromTrash},
		{"a restored live story's unpublished changes become its text", restoreFoldsWorkingCopy},
		{"a purged story is gone for good, and only deleted stories are purged", purgeFromTrash},
		{"the automatic purge takes the stories deleted before its time only", purgeTrashBefore},
		{"the Trash pages by deletion time and id, most recent first, each story once", trashPages},
		{"a story sent back keeps its reason as a review note", reviewNotes},
		{"a failed delivery retried is claimed again with its id; others are refused", retryDelivery},
	}
}

func (e *env) trashed(id string) (content.TrashedStory, bool) {
	e.t.Helper()
	items, err := e.s.Trash(e.ctx(), content.TrashFilter{ID: &id})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(items) == 0 {
		return content.TrashedStory{}, false
	}
	return items[0], true
}

func deleteToTrash(t *testing.T, e *env) {
	ed := e.user("Edna Editor", auth.RoleEditor)
	a := e.published("Pier closes for repairs")
	before := len(e.events())
	e.at(e.now.Add(time.Minute))
	if err := e.s.DeleteArticle(e.ctx(), a.ID, ed.ID); err != nil {
		t.Fatal(err)
	}
	if e.public(a.Slug) != nil {
		t.Error("the deleted story is still public")
	}
	_, err := e.s.Article(e.ctx(), content.ArticleFilter{ID: &a.ID})
	wantCode(t, err, content.ENOTFOUND)
	evs := e.events()[before:]
	if len(evs) != 1 || evs[0].Type != content.EventUnpublished || evs[0].ArticleID != a.ID {
		t.Errorf("events of the deletion: %+v, want one article.unpublished", evs)
	}
	got, ok := e.trashed(a.ID)
	if !ok || got.Headline != a.Headline || got.Status != content.StatusPublished || got.DeletedBy != ed.ID ||
		got.DeletedName != "Edna Editor" || !got.DeletedAt.Equal(e.now) {
		t.Errorf("the Trash lists %+v (found %v), want the story deleted by Edna at %v", got, ok, e.now)
	}
	err = e.s.DeleteArticle(e.ctx(), a.ID, ed.ID)
	wantCode(t, err, content.ENOTFOUND)
}

func restoreFromTrash(t *testing.T, e *env) {
	a := e.published("Lifeboat launched")
	d := e.draft(ready("Lifeboat draft"))
	for _, x := range []*content.Article{a, d} {
		if err := e.s.DeleteArticle(e.ctx(), x.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	before := len(e.events())
	back, err := e.s.RestoreArticle(e.ctx(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back.Status != content.StatusUnpublished || back.PublishedAt == nil || !back.PublishedAt.Equal(*a.PublishedAt) {
		t.Errorf("restored as %s, published_at %v; want withdrawn, keeping %v", back.Status, back.PublishedAt, a.PublishedAt)
	}
	if e.public(a.Slug) != nil {
		t.Error("a restored story is public before anyone republishes it")
	}
	if evs := e.events()[before:]; len(evs) != 0 {
		t.Errorf("the restore wrote events %+v", evs)
	}
	if _, ok := e.trashed(a.ID); ok {
		t.Error("the restored story is still in the Trash")
	}
	draft, err := e.s.RestoreArticle(e.ctx(), d.ID)
	if err != nil || draft.Status != content.StatusDraft {
		t.Errorf("a restored draft: %+v, %v", draft, err)
	}
	_, err = e.s.RestoreArticle(e.ctx(), a.ID)
	wantCode(t, err, content.ENOTFOUND)
	e.change(back, content.StatusChange{To: content.StatusPublished})
	if e.public(a.Slug) == nil {
		t.Error("the restored story cannot be republished")
	}
}

func restoreFoldsWorkingCopy(t *testing.T, e *env) {
	a := e.published("Harbour fees")
	wc := e.pending(a, ready("Harbour fees rise"))
	if err := e.s.DeleteArticle(e.ctx(), a.ID, ""); err != nil {
		t.Fatal(err)
	}
	back, err := e.s.RestoreArticle(e.ctx(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back.Headline != "Harbour fees rise" || back.Version != wc.Version || back.Status != content.StatusUnpublished {
		t.Errorf("restored %q at version %d (%s), want the working copy's text at %d, withdrawn", back.Headline, back.Version, back.Status, wc.Version)
	}
	_, err = e.s.WorkingCopy(e.ctx(), a.ID)
	wantCode(t, err, content.ENOTFOUND)
}

func purgeFromTrash(t *testing.T, e *env) {
	a := e.published("Old regatta")
	live := e.draft(ready("Live draft"))
	if err := e.s.DeleteArticle(e.ctx(), a.ID, ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.s.PurgeArticle(e.ctx(), live.ID), content.ENOTFOUND)
	if err := e.s.PurgeArticle(e.ctx(), a.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.trashed(a.ID); ok {
		t.Error("the purged story is still in the Trash")
	}
	_, err := e.s.RestoreArticle(e.ctx(), a.ID)
	wantCode(t, err, content.ENOTFOUND)
	if revs, err := e.s.Revisions(e.ctx(), a.ID); err == nil && len(revs) != 0 {
		t.Errorf("the purged story kept %d revisions", len(revs))
	}
	wantCode(t, e.s.PurgeArticle(e.ctx(), a.ID), content.ENOTFOUND)
	if _, err := e.s.Article(e.ctx(), content.ArticleFilter{ID: &live.ID}); err != nil {
		t.Errorf("the live draft: %v", err)
	}
	// The slug is free again.
	again := e.published("Old regatta")
	if again.Slug != a.Slug {
		t.Errorf("a new story with the purged one's headline has slug %q, want %q", again.Slug, a.Slug)
	}
}

func purgeTrashBefore(t *testing.T, e *env) {
	old := e.draft(ready("Deleted long ago"))
	recent := e.draft(ready("Deleted yesterday"))
	if err := e.s.DeleteArticle(e.ctx(), old.ID, ""); err != nil {
		t.Fatal(err)
	}
	e.at(e.now.Add(29 * 24 * time.Hour))
	if err := e.s.DeleteArticle(e.ctx(), recent.ID, ""); err != nil {
		t.Fatal(err)
	}
	e.at(e.now.Add(2 * 24 * time.Hour))
	before, _ := content.PurgeBefore(e.now, 30)
	n, err := e.s.PurgeTrash(e.ctx(), before)
	if err != nil || n != 1 {
		t.Fatalf("PurgeTrash = %d, %v; want 1", n, err)
	}
	if _, ok := e.trashed(old.ID); ok {
		t.Error("the story deleted 31 days ago is still in the Trash")
	}
	if _, ok := e.trashed(recent.ID); !ok {
		t.Error("the story deleted 2 days ago was purged")
	}
	if n, err := e.s.PurgeTrash(e.ctx(), before); err != nil || n != 0 {
		t.Errorf("a second purge = %d, %v; want 0", n, err)
	}
}

func trashPages(t *testing.T, e *env) {
	// Seven stories, deleted two by two in the same second (ties broken by
	// id), then one alone.
	var want []string
	for i := range 7 {
		a := e.draft(ready(fmt.Sprintf("Deleted story %d", i)))
		if i%2 == 0 {
			e.at(e.now.Add(time.Minute))
		}
		if err := e.s.DeleteArticle(e.ctx(), a.ID, ""); err != nil {
			t.Fatal(err)
		}
		want = append(want, a.ID)
	}
	all, err := e.s.Trash(e.ctx(), content.TrashFilter{Limit: 100})
	if err != nil || len(all) != 7 {
		t.Fatalf("the whole Trash: %d stories, %v", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.DeletedAt.Before(b.DeletedAt) || (a.DeletedAt.Equal(b.DeletedAt) && a.ID < b.ID) {
			t.Fatalf("out of order at %d: %s %v before %s %v", i, a.ID, a.DeletedAt, b.ID, b.DeletedAt)
		}
	}
	var paged []string
	var after *content.Cursor
	for page := 0; ; page++ {
		items, err := e.s.Trash(e.ctx(), content.TrashFilter{After: after, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			paged = append(paged, it.ID)
		}
		if len(items) < 3 {
			break
		}
		if page > 3 {
			t.Fatal("the pages do not end")
		}
		last := items[len(items)-1]
		after = &content.Cursor{Time: last.DeletedAt, ID: last.ID}
	}
	var whole []string
	for _, it := range all {
		whole = append(whole, it.ID)
	}
	if !slices.Equal(paged, whole) {
		t.Errorf("pages of three give %v, the whole Trash %v", paged, whole)
	}
	slices.Sort(want)
	slices.Sort(whole)
	if !slices.Equal(want, whole) {
		t.Errorf("the Trash holds %v, want the seven deleted %v", whole, want)
	}
}

func reviewNotes(t *testing.T, e *env) {
	ed := e.user("Rita Reviewer", auth.RoleEditor)
	a := e.change(e.draft(ready("Council vote")), content.StatusChange{To: content.StatusInReview})
	other := e.draft(ready("No notes here"))
	e.change(a, content.StatusChange{To: content.StatusDraft, By: ed.ID, Reason: "Name the second councillor."})
	notes, err := e.s.ReviewNotes(e.ctx(), a.ID)
	if err != nil || len(notes) != 1 || notes[0].Text != "Name the second councillor." || notes[0].By != ed.ID ||
		notes[0].ByName != "Rita Reviewer" || notes[0].Action != content.ActReject {
		t.Fatalf("review notes %+v, %v", notes, err)
	}
	a, _ = e.s.Article(e.ctx(), content.ArticleFilter{ID: &a.ID})
	a = e.change(a, content.StatusChange{To: content.StatusInReview})
	e.at(e.now.Add(time.Minute))
	e.change(a, content.StatusChange{To: content.StatusDraft, By: ed.ID, Reason: "Still missing."})
	latest, err := e.s.LatestReviewNotes(e.ctx(), []string{a.ID, other.ID})
	if err != nil || len(latest) != 1 || latest[a.ID].Text != "Still missing." {
		t.Errorf("latest notes %+v, %v; want only %s's newest", latest, err, a.ID)
	}
}

func retryDelivery(t *testing.T, e *env) {
	h := e.hook("https://hooks.example.org/retry")
	e.published("Ferry back on time")
	ds := e.fanOut(h)
	if len(ds) != 1 {
		t.Fatalf("deliveries %+v", ds)
	}
	d := ds[0]
	_, err := e.s.RetryDelivery(e.ctx(), h.ID, d.ID)
	wantCode(t, err, content.ECONFLICT) // still pending
	claimed, err := e.s.ClaimDeliveries(e.ctx(), e.now, time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %+v %v", claimed, err)
	}
	if err := e.s.FinishDelivery(e.ctx(), d.ID, content.Attempt{At: e.now, StatusCode: 502, Err: "HTTP 502"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.RetryDelivery(e.ctx(), h.ID, "msg_00000000000000000000000000000000")
	wantCode(t, err, content.ENOTFOUND)
	other := e.hook("https://hooks.example.org/other")
	_, err = e.s.RetryDelivery(e.ctx(), other.ID, d.ID)
	wantCode(t, err, content.ENOTFOUND)
	e.at(e.now.Add(time.Hour))
	got, err := e.s.RetryDelivery(e.ctx(), h.ID, d.ID)
	if err != nil || got.Status != content.DeliveryPending || got.Attempts != 1 || got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(e.now) {
		t.Fatalf("retried %+v, %v; want pending now, keeping its attempt", got, err)
	}
	again, err := e.s.ClaimDeliveries(e.ctx(), e.now, time.Minute, 10)
	if err != nil || len(again) != 1 || again[0].ID != d.ID || again[0].Attempts != 2 {
		t.Fatalf("claim after the retry: %+v %v", again, err)
	}
	if err := e.s.FinishDelivery(e.ctx(), d.ID, content.Attempt{At: e.now, StatusCode: 200, Delivered: true}); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.RetryDelivery(e.ctx(), h.ID, d.ID)
	wantCode(t, err, content.ECONFLICT) // delivered
}
