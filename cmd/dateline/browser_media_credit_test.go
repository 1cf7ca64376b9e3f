package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
)

// TestBrowserACreditEditedInTheLibraryIsOfferedToTheStoriesUsingIt edits
// a photo's credit in the media library, accepts the offer to update the
// stories that use it, and checks each story: a draft is saved with the
// new credit; a published story gets it in its working copy, while
// readers keep the old credit until Update; a story locked by someone
// else is skipped and named.
func TestBrowserACreditEditedInTheLibraryIsOfferedToTheStoriesUsingIt(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	ctx := context.Background()
	ed := addUser(t, a, "edda@example.org", auth.RoleEditor)
	other := addUser(t, a, "otto@example.org", auth.RoleEditor)
	m := libraryPhoto(t, a, "pier.png", "The old pier", "© Old Credit")
	photo := []content.Photo{{MediaID: m.ID, URL: m.URL, Caption: "The old pier at dawn", Credit: "© Old Credit", Alt: "A pier"}}
	mk := func(headline string) *content.Article {
		art, err := a.db.CreateArticle(ctx, content.Edit{Headline: headline, Body: "Text.", Photos: photo}, ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		return art
	}
	draft := mk("The pier reopens")
	live := mk("Pier repairs finished")
	if _, err := a.db.ChangeStatus(ctx, live.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	locked := mk("Pier tolls debated")
	if _, err := a.db.AcquireLock(ctx, locked.ID, other.ID, false); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, base)
	b.login("edda@example.org")
	form := `form.media-item[data-id="` + m.ID + `"]`
	b.open("/admin/media", form)
	if b.visible(form + " .media-apply") {
		t.Fatal("the offer shows before anything changed")
	}
	b.setField(form+" [name=credit]", "© Edda Vik/Gazette")
	b.click(form + " button[type=submit]")
	b.waitText(form+" .field-error", "Saved.")
	b.wait("the offer", `!document.querySelector('`+form+` .media-apply-offer').hidden`)
	if got := b.text(form + " .media-apply"); !strings.Contains(got, "credit") || !strings.Contains(got, "3 stories") {
		t.Errorf("the offer's button says %q", got)
	}
	b.click(form + " .media-apply")
	b.waitText(form+" .field-error", "stories updated")
	result := b.text(form + " .field-error")
	for _, want := range []string{"2 stories updated", "1 of them is live", "Pier tolls debated", "someone else is editing it"} {
		if !strings.Contains(result, want) {
			t.Errorf("the result %q does not say %q", result, want)
		}
	}

	credit := func(art *content.Article) string {
		t.Helper()
		got, err := a.db.Article(ctx, content.ArticleFilter{ID: &art.ID})
		if err != nil {
			t.Fatal(err)
		}
		return got.Photos[0].Credit
	}
	if got := credit(draft); got != "© Edda Vik/Gazette" {
		t.Errorf("the draft's credit: %q", got)
	}
	if got := credit(locked); got != "© Old Credit" {
		t.Errorf("the locked story's credit: %q", got)
	}
	if got := credit(live); got != "© Old Credit" {
		t.Errorf("the live story itself changed: %q", got)
	}
	wc, err := a.db.WorkingCopy(ctx, live.ID)
	if err != nil || wc.Edit.Photos[0].Credit != "© Edda Vik/Gazette" || wc.Edit.Photos[0].Caption != "The old pier at dawn" {
		t.Errorf("the live story's working copy: %+v %v", wc.Edit.Photos, err)
	}
	var pub publicArticle
	if code := getJSON(t, base+"/api/v1/articles/"+live.Slug, &pub); code != http.StatusOK || pub.Photos[0].Credit != "© Old Credit" {
		t.Errorf("readers see %d %+v, want the old credit until Update", code, pub.Photos)
	}
	revs, err := a.db.Revisions(ctx, draft.ID)
	if err != nil || len(revs) < 2 || revs[0].SavedBy != ed.ID {
		t.Errorf("the draft's revisions %+v %v: want a new one by the editor", revs, err)
	}
}
