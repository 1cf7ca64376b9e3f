package storetest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/content"
)

func contracts() []contract {
	return []contract{
		{"a save names its version: a stale one is a conflict and changes nothing", staleSave},
		{"every save writes a revision with the full state", revisionPerSave},
		{"a draft, a story in review and a scheduled story are in no public read", unpublishedIsPrivate},
		{"publishing sets published_at once; republishing keeps it", publishedAtOnce},
		{"a published story's save goes to its working copy, which readers never see", publishedSave},
		{"Update publishes the working copy with one article.updated and its correction", updateWorkingCopy},
		{"Discard drops the working copy and readers see nothing of it", discardWorkingCopy},
		{"a due scheduled update claimed by many at once is published once", updateClaimOnce},
		{"a new slug of a published story leaves the old one as a redirect", slugRedirect},
		{"a story is not published or scheduled while a photo lacks its credit", creditRequired},
		{"a due story claimed by many at once is published once", claimOnce},
		{"a claim before the story is due is a conflict", claimNotDue},
		{"withdrawal and deletion take a story out of every public read", withdrawAndDelete},
		{"events come in write order with growing ids", eventsInOrder},
		{"the generation moves with writes readers see and only with them", generationFollowsVisibility},
		{"search finds published stories only", searchPublishedOnly},
		{"tag counts count published stories only", tagCounts},
		{"the schedule lists what is due, in time order", scheduleItems},
	}
}

func staleSave(t *testing.T, e *env) {
	a := e.draft(ready("Ferry quay to be widened"))
	b, err := e.save(a, ready("Ferry quay widened"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Version != a.Version+1 {
		t.Fatalf("version %d after a save of %d", b.Version, a.Version)
	}
	_, err = e.save(a, ready("An older edit"))
	wantCode(t, err, content.ECONFLICT)
	got, err := e.s.Article(e.ctx(), content.ArticleFilter{ID: &a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got.Headline != "Ferry quay widened" || got.Version != b.Version {
		t.Errorf("after a stale save: %q at %d, want %q at %d", got.Headline, got.Version, "Ferry quay widened", b.Version)
	}
}

func revisionPerSave(t *testing.T, e *env) {
	a := e.draft(ready("First headline"))
	for i, h := range []string{"Second headline", "Third headline"} {
		var err error
		if a, err = e.save(a, ready(h)); err != nil {
			t.Fatalf("save %d: %v", i, err)
		}
	}
	revs, err := e.s.Revisions(e.ctx(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]string{}
	for _, r := range revs {
		seen[r.Version] = r.Edit.Headline
	}
	for v, h := range map[int]string{1: "First headline", 2: "Second headline", 3: "Third headline"} {
		if seen[v] != h {
			t.Errorf("revision %d holds %q, want %q (revisions: %v)", v, seen[v], h, seen)
		}
	}
}

func unpublishedIsPrivate(t *testing.T, e *env) {
	draft := e.draft(ready("Draft about the harbour"))
	review := e.change(e.draft(ready("Review about the harbour")), content.StatusChange{To: content.StatusInReview})
	later := e.now.Add(time.Hour)
	sched := e.change(e.draft(ready("Scheduled about the harbour")), content.StatusChange{To: content.StatusScheduled, PublishAt: &later})
	for _, a := range []*content.Article{draft, review, sched} {
		if e.public(a.Slug) != nil {
			t.Errorf("%s story %q is public", a.Status, a.Slug)
		}
	}
	list, err := e.s.Articles(e.ctx(), content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Tags: []string{"harbour"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 {
		t.Errorf("the public list by tag shows %d stories", len(list))
	}
}

func publishedAtOnce(t *testing.T, e *env) {
	a := e.published("Tram line opens")
	if a.PublishedAt == nil {
		t.Fatal("no published_at after publishing")
	}
	first := *a.PublishedAt
	e.at(e.now.Add(time.Hour))
	a = e.change(a, content.StatusChange{To: content.StatusUnpublished})
	a = e.change(a, content.StatusChange{To: content.StatusPublished})
	if a.PublishedAt == nil || !a.PublishedAt.Equal(first) {
		t.Errorf("published_at %v after republishing, want %v", a.PublishedAt, first)
	}
}

func publishedSave(t *testing.T, e *env) {
	a := e.published("Bridge closes")
	before := len(e.events())
	e.at(e.now.Add(time.Minute))
	b, err := e.save(a, ready("Bridge closes for a week"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Status != content.StatusPublished || b.Version != a.Version || !b.UpdatedAt.Equal(a.UpdatedAt) {
		t.Errorf("the story itself changed: status %s, version %d → %d, updated_at %v → %v", b.Status, a.Version, b.Version, a.UpdatedAt, b.UpdatedAt)
	}
	if got := e.public(a.Slug).Headline; got != "Bridge closes" {
		t.Errorf("public headline %q, want the live one", got)
	}
	if evs := e.events()[before:]; len(evs) != 0 {
		t.Errorf("events after a save of the working copy: %+v", evs)
	}
	wc, err := e.s.WorkingCopy(e.ctx(), a.ID)
	if err != nil || wc.Version != a.Version+1 || wc.Base != a.Version || wc.Edit.Headline != "Bridge closes for a week" {
		t.Fatalf("working copy %+v, %v", wc, err)
	}
	_, err = e.save(a, ready("Bridge closes for a month"))
	wantCode(t, err, content.ECONFLICT) // the working copy is at a newer version
}

func updateWorkingCopy(t *testing.T, e *env) {
	a := e.published("Ferry resumes")
	wc := e.pending(a, ready("Ferry resumes on Monday"))
	wc = e.pending(a, ready("Ferry resumes on Tuesday"))
	before := len(e.events())
	_, err := e.s.PublishWorkingCopy(e.ctx(), a.ID, content.Update{Version: wc.Version - 1})
	wantCode(t, err, content.ECONFLICT)
	e.at(e.now.Add(time.Hour))
	b, err := e.s.PublishWorkingCopy(e.ctx(), a.ID, content.Update{Version: wc.Version, Correction: "An earlier version gave the wrong day."})
	if err != nil {
		t.Fatal(err)
	}
	pub := e.public(a.Slug)
	if pub == nil || pub.Headline != "Ferry resumes on Tuesday" || b.Version != wc.Version || !b.UpdatedAt.Equal(e.now) {
		t.Fatalf("after Update: public %+v, version %d (want %d), updated_at %v (want %v)", pub, b.Version, wc.Version, b.UpdatedAt, e.now)
	}
	if len(pub.Corrections) != 1 || pub.Corrections[0].Text != "An earlier version gave the wrong day." {
		t.Errorf("corrections %+v", pub.Corrections)
	}
	evs := e.events()[before:]
	if len(evs) != 1 || evs[0].Type != content.EventUpdated || evs[0].ArticleID != a.ID {
		t.Errorf("events after Update: %+v", evs)
	}
	_, err = e.s.WorkingCopy(e.ctx(), a.ID)
	wantCode(t, err, content.ENOTFOUND)
	_, err = e.s.PublishWorkingCopy(e.ctx(), a.ID, content.Update{Version: wc.Version})
	wantCode(t, err, content.ECONFLICT) // nothing left to update
}

func discardWorkingCopy(t *testing.T, e *env) {
	a := e.published("Market opens")
	g := e.s.Generation()
	before := len(e.events())
	wc := e.pending(a, ready("Market opens late"))
	b, err := e.s.DiscardWorkingCopy(e.ctx(), a.ID, content.Discard{Version: wc.Version})
	if err != nil {
		t.Fatal(err)
	}
	if b.Version != a.Version || b.Headline != "Market opens" || e.public(a.Slug).Headline != "Market opens" {
		t.Errorf("after Discard: version %d (want %d, the live one), headline %q", b.Version, a.Version, b.Headline)
	}
	if evs := e.events()[before:]; len(evs) != 0 || e.s.Generation() != g {
		t.Errorf("a save and discard of the working copy wrote %+v and moved the generation %d → %d", evs, g, e.s.Generation())
	}
	_, err = e.save(&content.Article{ID: a.ID, Version: wc.Version}, ready("Market opens late again"))
	wantCode(t, err, content.ECONFLICT) // a tab still editing the dropped copy
	// A new working copy is numbered past the dropped one, whose
	// revisions stay in the history.
	if _, err := e.save(b, ready("Market opens at noon")); err != nil {
		t.Fatal(err)
	}
	next, err := e.s.WorkingCopy(e.ctx(), a.ID)
	if err != nil || next.Version <= wc.Version {
		t.Fatalf("the next working copy: version %d, %v; want past %d", next.Version, err, wc.Version)
	}
}

func updateClaimOnce(t *testing.T, e *env) {
	a := e.published("Polls close")
	wc := e.pending(a, ready("Polls close at eight"))
	due := e.now.Add(time.Minute)
	if _, err := e.s.PublishWorkingCopy(e.ctx(), a.ID, content.Update{Version: wc.Version, PublishAt: &due}); err != nil {
		t.Fatal(err)
	}
	if e.public(a.Slug).Headline != "Polls close" {
		t.Fatal("scheduling the update published it")
	}
	items, err := e.s.ScheduleItems(e.ctx(), content.ScheduleFilter{})
	if err != nil || len(items) != 1 || items[0].Action != content.ActionUpdate || !items[0].At.Equal(due) {
		t.Fatalf("schedule %+v, %v", items, err)
	}
	_, err = e.s.PublishWorkingCopy(e.ctx(), a.ID, content.Update{Due: true, At: due.Add(-time.Second)})
	wantCode(t, err, content.ECONFLICT)
	before := len(e.events())
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 8 {
		wg.Go(func() {
			_, err := e.s.PublishWorkingCopy(e.ctx(), a.ID, content.Update{Due: true, At: due.Add(time.Second)})
			mu.Lock()
			defer mu.Unlock()
			switch content.ErrorCode(err) {
			case "":
				won++
			case content.ECONFLICT, content.EUNAVAILABLE:
			default:
				t.Errorf("claim: %v", err)
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d claims updated the story; want exactly one", won)
	}
	if evs := e.events()[before:]; len(evs) != 1 || evs[0].Type != content.EventUpdated {
		t.Errorf("events after the claims: %+v", evs)
	}
	if e.public(a.Slug).Headline != "Polls close at eight" {
		t.Error("the scheduled update did not publish the working copy")
	}
}

func slugRedirect(t *testing.T, e *env) {
	a := e.published("Old name of the story")
	edit := ready("Old name of the story")
	edit.Slug = "new-name-of-the-story"
	wc := e.pending(a, edit)
	if to, err := e.s.RedirectSlug(e.ctx(), a.Slug); err == nil {
		t.Errorf("a slug saved in the working copy already redirects to %q", to)
	}
	if _, err := e.s.PublishWorkingCopy(e.ctx(), a.ID, content.Update{Version: wc.Version}); err != nil {
		t.Fatal(err)
	}
	to, err := e.s.RedirectSlug(e.ctx(), a.Slug)
	if err != nil || to != "new-name-of-the-story" {
		t.Errorf("redirect of %s = %q, %v", a.Slug, to, err)
	}
	if e.public("new-name-of-the-story") == nil {
		t.Error("the story is not public under its new slug")
	}
}

func creditRequired(t *testing.T, e *env) {
	edit := ready("Uncredited photo")
	edit.Photos[0].Credit = ""
	a := e.draft(edit)
	_, err := e.s.ChangeStatus(e.ctx(), a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
	wantCode(t, err, content.EINVALID)
	later := e.now.Add(time.Hour)
	_, err = e.s.ChangeStatus(e.ctx(), a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &later})
	wantCode(t, err, content.EINVALID)
	if e.public(a.Slug) != nil {
		t.Error("the uncredited story is public")
	}
}

func claimOnce(t *testing.T, e *env) {
	due := e.now.Add(time.Minute)
	a := e.change(e.draft(ready("Due at nine")), content.StatusChange{To: content.StatusScheduled, PublishAt: &due})
	before := len(e.events())
	at := due.Add(time.Second)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, lost := 0, 0
	for range 8 {
		wg.Go(func() {
			_, err := e.s.ChangeStatus(e.ctx(), a.ID, content.StatusChange{From: []content.Status{content.StatusScheduled},
				To: content.StatusPublished, Due: true, At: at})
			mu.Lock()
			defer mu.Unlock()
			switch content.ErrorCode(err) {
			case "":
				won++
			case content.ECONFLICT, content.EUNAVAILABLE:
				lost++
			default:
				t.Errorf("claim: %v", err)
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d claims published the story, %d lost; want exactly one", won, lost)
	}
	evs := e.events()[before:]
	if len(evs) != 1 || evs[0].Type != content.EventPublished {
		t.Errorf("events after the claims: %+v", evs)
	}
}

func claimNotDue(t *testing.T, e *env) {
	due := e.now.Add(time.Hour)
	a := e.change(e.draft(ready("Due at ten")), content.StatusChange{To: content.StatusScheduled, PublishAt: &due})
	_, err := e.s.ChangeStatus(e.ctx(), a.ID, content.StatusChange{From: []content.Status{content.StatusScheduled},
		To: content.StatusPublished, Due: true, At: due.Add(-time.Second)})
	wantCode(t, err, content.ECONFLICT)
	if e.public(a.Slug) != nil {
		t.Error("a story published before its time")
	}
}

func withdrawAndDelete(t *testing.T, e *env) {
	w := e.published("Withdrawn story")
	d := e.published("Deleted story")
	e.change(w, content.StatusChange{To: content.StatusUnpublished})
	if err := e.s.DeleteArticle(e.ctx(), d.ID, ""); err != nil {
		t.Fatal(err)
	}
	for _, a := range []*content.Article{w, d} {
		if e.public(a.Slug) != nil {
			t.Errorf("%q is still public", a.Slug)
		}
	}
	list, err := e.s.Articles(e.ctx(), content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 {
		t.Errorf("the public list shows %d stories", len(list))
	}
	if n, err := e.s.PublishedCount(e.ctx()); err != nil || n != 0 {
		t.Errorf("the sitemap counts %d stories (%v)", n, err)
	}
	if stamps, err := e.s.PublishedStamps(e.ctx(), 0, 100); err != nil || len(stamps) != 0 {
		t.Errorf("the sitemap lists %d stories (%v)", len(stamps), err)
	}
	found := map[string]bool{}
	for _, ev := range e.events() {
		if ev.Type == content.EventUnpublished {
			found[ev.ArticleID] = true
		}
	}
	if !found[w.ID] || !found[d.ID] {
		t.Errorf("unpublished events for withdrawn %v and deleted %v, want both", found[w.ID], found[d.ID])
	}
}

func eventsInOrder(t *testing.T, e *env) {
	a := e.published("First story")
	b := e.published("Second story")
	e.change(a, content.StatusChange{To: content.StatusUnpublished})
	evs := e.events()
	var kinds []string
	for i, ev := range evs {
		if i > 0 && ev.ID <= evs[i-1].ID {
			t.Errorf("event %d has id %d after %d", i, ev.ID, evs[i-1].ID)
		}
		kinds = append(kinds, ev.Type+":"+ev.ArticleID)
	}
	want := []string{content.EventPublished + ":" + a.ID, content.EventPublished + ":" + b.ID, content.EventUnpublished + ":" + a.ID}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Errorf("events %v, want %v", kinds, want)
	}
	after, err := e.s.Events(e.ctx(), content.EventFilter{AfterID: evs[0].ID})
	if err != nil || len(after) != 2 || after[0].ID != evs[1].ID {
		t.Errorf("events after the first: %+v, %v", after, err)
	}
}

func generationFollowsVisibility(t *testing.T, e *env) {
	g0 := e.s.Generation()
	a := e.draft(ready("A quiet draft"))
	if _, err := e.save(a, ready("A quiet draft, edited")); err != nil {
		t.Fatal(err)
	}
	if g := e.s.Generation(); g != g0 {
		t.Errorf("a draft and its save moved the generation %d → %d", g0, g)
	}
	p := e.published("A loud story")
	g1 := e.s.Generation()
	if g1 <= g0 {
		t.Fatalf("publishing left the generation at %d", g1)
	}
	wc := e.pending(p, ready("A loud story, edited"))
	if g := e.s.Generation(); g != g1 {
		t.Errorf("a save of a published story's working copy moved the generation %d → %d", g1, g)
	}
	if _, err := e.s.PublishWorkingCopy(e.ctx(), p.ID, content.Update{Version: wc.Version}); err != nil {
		t.Fatal(err)
	}
	if e.s.Generation() <= g1 {
		t.Errorf("an Update left the generation at %d", g1)
	}
}

func searchPublishedOnly(t *testing.T, e *env) {
	e.published("Lighthouse keeper retires")
	e.draft(ready("Lighthouse draft"))
	hits, err := e.s.Articles(e.ctx(), content.ArticleFilter{Query: "lighthouse", Statuses: []content.Status{content.StatusPublished}})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Headline != "Lighthouse keeper retires" {
		var got []string
		for _, h := range hits {
			got = append(got, h.Headline)
		}
		t.Errorf("search found %q, want the published story only", got)
	}
}

func tagCounts(t *testing.T, e *env) {
	e.published("Harbour story one")
	e.published("Harbour story two")
	e.draft(ready("Harbour draft"))
	tags, err := e.s.Tags(e.ctx(), content.TagFilter{Published: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != 1 || tags[0].Slug != "harbour" || tags[0].Count != 2 {
		t.Errorf("published tags %+v, want harbour with 2", tags)
	}
}

func scheduleItems(t *testing.T, e *env) {
	t1, t2 := e.now.Add(2*time.Hour), e.now.Add(time.Hour)
	a := e.change(e.draft(ready("Later story")), content.StatusChange{To: content.StatusScheduled, PublishAt: &t1})
	b := e.change(e.draft(ready("Sooner story")), content.StatusChange{To: content.StatusScheduled, PublishAt: &t2})
	items, err := e.s.ScheduleItems(e.ctx(), content.ScheduleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].ArticleID != b.ID || items[1].ArticleID != a.ID {
		t.Fatalf("schedule %+v, want the sooner story first", items)
	}
	due := t2
	items, err = e.s.ScheduleItems(e.ctx(), content.ScheduleFilter{DueBy: &due})
	if err != nil || len(items) != 1 || items[0].ArticleID != b.ID {
		t.Errorf("due by %v: %+v, %v", due, items, err)
	}
}
