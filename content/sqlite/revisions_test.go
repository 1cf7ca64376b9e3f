package sqlite_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

// openWithPolicy is mustOpen with a revision policy.
func openWithPolicy(tb testing.TB, p sqlite.RevisionPolicy) (*sqlite.DB, *time.Time) {
	tb.Helper()
	return mustOpenWith(tb, sqlite.Options{Revisions: p})
}

// editing drives one story through saves and workflow steps, moving the
// clock a second before each step unless the step moves it itself.
type editing struct {
	tb  testing.TB
	db  *sqlite.DB
	now *time.Time
	a   *content.Article
	n   int // saves made, for distinct headlines
}

func (ed *editing) save(by string, autosave bool) {
	ed.tb.Helper()
	*ed.now = ed.now.Add(time.Second)
	ed.n++
	e := ed.a.Edit
	e.Headline = fmt.Sprintf("Take %d", ed.n)
	a, err := ed.db.UpdateArticle(context.Background(), ed.a.ID, content.Save{Version: ed.a.Version, Edit: e, By: by, Autosave: autosave})
	if err != nil {
		ed.tb.Fatalf("save %d: %v", ed.n, err)
	}
	ed.a = a
	if wc, err := ed.db.WorkingCopy(context.Background(), a.ID); err == nil { // a live story's save
		ed.a.Version, ed.a.Edit = wc.Version, wc.Edit
	}
}

func (ed *editing) change(to content.Status) {
	ed.tb.Helper()
	*ed.now = ed.now.Add(time.Second)
	a, err := ed.db.ChangeStatus(context.Background(), ed.a.ID, content.StatusChange{From: []content.Status{ed.a.Status}, To: to})
	if err != nil {
		ed.tb.Fatalf("%s: %v", to, err)
	}
	ed.a = a
}

func (ed *editing) hold(d time.Duration) {
	ed.tb.Helper()
	v, err := ed.db.HoldRevision(context.Background(), ed.a.ID, ed.now.Add(d))
	if err != nil || v != ed.a.Version {
		ed.tb.Fatalf("hold: version %d, %v; want %d", v, err, ed.a.Version)
	}
}

// revisions lists the story's revisions as "v4 auto" or "v2", newest first.
func (ed *editing) revisions() []string {
	ed.tb.Helper()
	revs, err := ed.db.Revisions(context.Background(), ed.a.ID)
	if err != nil {
		ed.tb.Fatal(err)
	}
	var out []string
	for _, r := range revs {
		s := fmt.Sprintf("v%d", r.Version)
		if r.Autosave {
			s += " auto"
		}
		out = append(out, s)
	}
	return out
}

func TestAutosavesShareARevisionUntilSomethingElseHappens(t *testing.T) {
	window := sqlite.RevisionPolicy{AutosaveWindow: 10 * time.Minute}
	auto := func(by string) func(*editing) { return func(ed *editing) { ed.save(by, true) } }
	manual := func(by string) func(*editing) { return func(ed *editing) { ed.save(by, false) } }
	wait := func(d time.Duration) func(*editing) { return func(ed *editing) { *ed.now = ed.now.Add(d) } }
	change := func(to content.Status) func(*editing) { return func(ed *editing) { ed.change(to) } }
	hold := func(d time.Duration) func(*editing) { return func(ed *editing) { ed.hold(d) } }
	tests := []struct {
		name   string
		policy sqlite.RevisionPolicy
		steps  []func(*editing)
		want   []string // newest first
	}{
		{"a run of autosaves by one user leaves one revision", window,
			[]func(*editing){auto("ann"), auto("ann"), auto("ann")}, []string{"v4 auto", "v1"}},
		{"a manual save after autosaves adds a revision", window,
			[]func(*editing){auto("ann"), auto("ann"), manual("ann")}, []string{"v4", "v3 auto", "v1"}},
		{"an autosave after a manual save starts a new revision", window,
			[]func(*editing){manual("ann"), auto("ann"), auto("ann")}, []string{"v4 auto", "v2", "v1"}},
		{"an autosave by another user starts a new revision", window,
			[]func(*editing){auto("ann"), auto("bob"), auto("bob")}, []string{"v4 auto", "v2 auto", "v1"}},
		{"an autosave after the window starts a new revision", window,
			[]func(*editing){auto("ann"), wait(6 * time.Minute), auto("ann"), wait(6 * time.Minute), auto("ann")},
			[]string{"v4 auto", "v3 auto", "v1"}},
		{"an autosave after a workflow step starts a new revision", window,
			[]func(*editing){auto("ann"), change(content.StatusInReview), auto("ann")}, []string{"v3 auto", "v2 auto", "v1"}},
		{"autosaves of a published story's working copy share a revision", window,
			[]func(*editing){change(content.StatusPublished), auto("ann"), auto("ann")}, []string{"v3 auto", "v1"}},
		{"an autosave after a preview link starts a new revision", window,
			[]func(*editing){auto("ann"), hold(time.Hour), auto("ann"), auto("ann")}, []string{"v4 auto", "v2 auto", "v1"}},
		{"an autosave after the preview link expired joins the run", window,
			[]func(*editing){auto("ann"), hold(time.Minute), wait(2 * time.Minute), auto("ann")}, []string{"v3 auto", "v1"}},
		{"with no window every autosave keeps its revision", sqlite.RevisionPolicy{},
			[]func(*editing){auto("ann"), auto("ann")}, []string{"v3 auto", "v2 auto", "v1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, now := openWithPolicy(t, tt.policy)
			ed := &editing{tb: t, db: db, now: now, a: mustCreate(t, db, story("Take 0"))}
			for _, step := range tt.steps {
				step(ed)
			}
			if got := ed.revisions(); !slices.Equal(got, tt.want) {
				t.Errorf("revisions %v, want %v", got, tt.want)
			}
			if ed.a.Version != ed.n+1 {
				t.Errorf("version %d after %d saves, want every save to move it on", ed.a.Version, ed.n)
			}
			rev, err := db.Revision(context.Background(), ed.a.ID, ed.a.Version)
			if err != nil || rev.Edit.Headline != ed.a.Headline {
				t.Errorf("current revision %+v, %v; want the last save's state %q", rev.Edit.Headline, err, ed.a.Headline)
			}
		})
	}
}

func TestACoalescedAutosaveStillNeedsTheCurrentVersion(t *testing.T) {
	db, now := openWithPolicy(t, sqlite.RevisionPolicy{AutosaveWindow: 10 * time.Minute})
	ctx := context.Background()
	ed := &editing{tb: t, db: db, now: now, a: mustCreate(t, db, story("Take 0"))}
	ed.save("ann", true)
	ed.save("ann", true) // replaces the revision of version 2
	_, err := db.UpdateArticle(ctx, ed.a.ID, content.Save{Version: 2, Edit: story("Stale"), By: "ann", Autosave: true})
	if content.ErrorCode(err) != content.ECONFLICT {
		t.Fatalf("autosave on version 2 of 3: %v, want a version conflict", err)
	}
	if got := ed.revisions(); !slices.Equal(got, []string{"v3 auto", "v1"}) {
		t.Errorf("revisions after the refused autosave %v", got)
	}
	if _, err := db.Revision(ctx, ed.a.ID, 2); content.ErrorCode(err) != content.ENOTFOUND {
		t.Errorf("replaced revision 2: %v, want not found", err)
	}
}

func TestRetentionPrunesOnlyWhatItMay(t *testing.T) {
	db, now := openWithPolicy(t, sqlite.RevisionPolicy{Keep: 3, KeepFor: time.Hour})
	t0 := *now
	at := func(d time.Duration) { *now = t0.Add(d - time.Second) }                 // save moves the clock a second
	ed := &editing{tb: t, db: db, now: now, a: mustCreate(t, db, story("Take 0"))} // v1 at t0
	at(time.Minute)
	ed.save("ann", false) // v2
	ed.change(content.StatusInReview)
	at(2 * time.Minute)
	ed.save("ann", false) // v3
	at(3 * time.Minute)
	ed.save("ann", false) // v4, held by a preview link for a day
	ed.hold(24 * time.Hour)
	for i := range 4 { // v5..v8 at t0+4m..t0+7m
		at(time.Duration(4+i) * time.Minute)
		ed.save("ann", false)
	}
	if got := ed.revisions(); len(got) != 8 {
		t.Fatalf("revisions younger than an hour were pruned: %v", got)
	}

	at(65 * time.Minute)
	ed.save("ann", false) // v9: the cut-off is t0+5m
	want := []string{"v9", "v8", "v7", "v6", "v4", "v2"}
	if got := ed.revisions(); !slices.Equal(got, want) {
		t.Errorf("after an hour: revisions %v, want %v (v6 is not older than an hour, v4 is held, v2 was a workflow step)", got, want)
	}

	at(48 * time.Hour)
	ed.save("ann", false) // v10: the hold has expired
	want = []string{"v10", "v9", "v8", "v2"}
	if got := ed.revisions(); !slices.Equal(got, want) {
		t.Errorf("after two days: revisions %v, want %v", got, want)
	}
	if _, err := db.Revision(context.Background(), ed.a.ID, 2); err != nil {
		t.Errorf("the workflow step's revision: %v", err)
	}
}

func TestWithoutAKeepLimitNoRevisionIsPruned(t *testing.T) {
	db, now := openWithPolicy(t, sqlite.RevisionPolicy{KeepFor: time.Hour})
	ed := &editing{tb: t, db: db, now: now, a: mustCreate(t, db, story("Take 0"))}
	for range 5 {
		*now = now.Add(24 * time.Hour)
		ed.save("ann", false)
	}
	if got := ed.revisions(); len(got) != 6 {
		t.Errorf("revisions %v, want all six", got)
	}
}

func TestStorageStatsCountRevisionBytes(t *testing.T) {
	db, now := openWithPolicy(t, sqlite.RevisionPolicy{})
	ed := &editing{tb: t, db: db, now: now, a: mustCreate(t, db, story("Take 0"))}
	ed.save("ann", false)
	s, err := db.StorageStats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var state int64
	for v := 1; v <= 2; v++ {
		b, err := db.RevisionState(context.Background(), ed.a.ID, v)
		if err != nil {
			t.Fatal(err)
		}
		state += int64(len(b))
	}
	// States are stored compressed: fewer bytes than they read back as.
	if s.Revisions != 2 || s.RevisionBytes <= 0 || s.RevisionBytes >= state || s.UsedBytes < state || s.FileBytes < s.UsedBytes {
		t.Errorf("stats %+v, want 2 revisions of fewer than %d bytes in a larger file", s, state)
	}
}
