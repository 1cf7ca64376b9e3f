package content

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPlanUpdate(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Minute)
	ready := Edit{Slug: "ferry-quay", Headline: "Ferry quay to be widened", Body: "The council *voted*.",
		Photos: []Photo{{URL: "https://images.example.org/q.jpg", Credit: "© Ana Reis", Alt: "The quay"}}}
	renamed := ready
	renamed.Slug = "quay-widened"
	uncredited := ready
	uncredited.Photos = []Photo{{URL: "https://images.example.org/q.jpg", Alt: "The quay"}}
	live := Stored{Status: StatusPublished, Version: 3, Slug: "ferry-quay", Published: true, Pending: 5}
	scheduled := Stored{Status: StatusScheduled, Version: 3, Slug: "ferry-quay", Pending: 5}
	draft := Stored{Status: StatusDraft, Version: 3, Slug: "ferry-quay"}
	locked := live
	locked.Lock = &EditLock{ArticleID: "a1", UserID: "u2"}
	wc := func(e Edit) *WorkingCopy {
		return &WorkingCopy{ArticleID: "a1", Edit: e, Version: 5, Base: 3, SavedBy: "u1"}
	}
	due := wc(ready)
	due.PublishAt, due.UpdateCorrection, due.UpdateBy = &earlier, "An earlier version misspelt the quay.", "u3"
	notYet := wc(ready)
	notYet.PublishAt = &later

	cases := []struct {
		name string
		st   Stored
		wc   *WorkingCopy
		u    Update
		code string // "" means planned; "locked" a *LockedError
		why  string
		want func(t *testing.T, p UpdatePlan)
	}{
		{"an update of a published story is seen and writes one article.updated event", live, wc(ready), Update{Version: 5, By: "u1"}, "", "", func(t *testing.T, p UpdatePlan) {
			if !p.Visible || p.Event != EventUpdated || p.Version != 5 || p.Schedule || p.SlugChanged || !p.UpdatedAt.Equal(now) {
				t.Errorf("plan %+v", p)
			}
			if !strings.Contains(p.Rendered.HTML, "<em>voted</em>") {
				t.Errorf("the working copy's body is not rendered: %q", p.Rendered.HTML)
			}
		}},
		{"an update carries the correction entered for it", live, wc(ready), Update{Version: 5, Correction: "An earlier version misspelt the quay."}, "", "", func(t *testing.T, p UpdatePlan) {
			if p.Correction != "An earlier version misspelt the quay." {
				t.Errorf("plan %+v", p)
			}
		}},
		{"an update of a scheduled story changes what it will publish, unseen", scheduled, wc(ready), Update{Version: 5}, "", "", func(t *testing.T, p UpdatePlan) {
			if p.Visible || p.Event != "" {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a new slug moves on update and keeps the old one as a redirect", live, wc(renamed), Update{Version: 5}, "", "", func(t *testing.T, p UpdatePlan) {
			if !p.SlugChanged || !p.KeepOldSlug || p.Edit.Slug != "quay-widened" {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a new slug of a scheduled story never published keeps no redirect", scheduled, wc(renamed), Update{Version: 5}, "", "", func(t *testing.T, p UpdatePlan) {
			if !p.SlugChanged || p.KeepOldSlug {
				t.Errorf("plan %+v", p)
			}
		}},
		{"an update for later is only scheduled, with its correction", live, wc(ready), Update{Version: 5, PublishAt: &later, Correction: "Fixed."}, "", "", func(t *testing.T, p UpdatePlan) {
			if !p.Schedule || p.PublishAt == nil || !p.PublishAt.Equal(later) || p.Correction != "Fixed." || p.Visible || p.Event != "" {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a due scheduled update publishes with the correction and user it was scheduled with", live, due, Update{Due: true}, "", "", func(t *testing.T, p UpdatePlan) {
			if p.Schedule || !p.Visible || p.Event != EventUpdated || p.Correction != "An earlier version misspelt the quay." || p.By != "u3" || !p.UpdatedAt.Equal(now) {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a scheduled update whose time has not come is not due", live, notYet, Update{Due: true}, ECONFLICT, "not due", nil},
		{"a working copy with no scheduled update is not due", live, wc(ready), Update{Due: true}, ECONFLICT, "not due", nil},
		{"a due update ignores the lock and the version", func() Stored { s := locked; return s }(), due, Update{Due: true}, "", "", nil},
		{"a stale working copy version is a conflict", live, wc(ready), Update{Version: 4}, ECONFLICT, "saved version 5 while you were editing version 4", nil},
		{"nothing to update is a conflict", live, nil, Update{Version: 5}, ECONFLICT, "no unpublished changes", nil},
		{"a draft has no working copy to update", draft, wc(ready), Update{Version: 5}, ECONFLICT, "only a published or scheduled story", nil},
		{"someone else's lock blocks the update", locked, wc(ready), Update{Version: 5, By: "u1"}, "locked", "", nil},
		{"the lock holder updates", locked, wc(ready), Update{Version: 5, By: "u2"}, "", "", nil},
		{"a working copy that lost a credit cannot go live", live, wc(uncredited), Update{Version: 5}, EINVALID, "photos[0].credit", nil},
		{"a story never published takes no correction", scheduled, wc(ready), Update{Version: 5, Correction: "Fixed."}, EINVALID, "correction", nil},
		{"an update for the past is refused", live, wc(ready), Update{Version: 5, PublishAt: &earlier}, EINVALID, "publish_at", nil},
		{"a scheduled story's update cannot be scheduled", scheduled, wc(ready), Update{Version: 5, PublishAt: &later}, EINVALID, "go out with it", nil},
		{"a correction with control characters is refused", live, wc(ready), Update{Version: 5, Correction: "bad\u202e"}, EINVALID, "correction", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := PlanUpdate(tc.st, tc.wc, tc.u, now)
			var lock *LockedError
			switch {
			case tc.code == "locked":
				if !errors.As(err, &lock) {
					t.Fatalf("err %v, want a lock", err)
				}
				return
			case ErrorCode(err) != tc.code:
				t.Fatalf("code %q (%v), want %q", ErrorCode(err), err, tc.code)
			case err != nil:
				if !strings.Contains(err.Error(), tc.why) {
					t.Errorf("%q does not say %q", err, tc.why)
				}
				return
			}
			if tc.want != nil {
				tc.want(t, plan)
			}
		})
	}
}

func TestPlanDiscard(t *testing.T) {
	live := Stored{Status: StatusPublished, Version: 3, Slug: "ferry-quay", Published: true, Pending: 5}
	locked := live
	locked.Lock = &EditLock{ArticleID: "a1", UserID: "u2"}
	wc := &WorkingCopy{ArticleID: "a1", Version: 5, Base: 3, SavedBy: "u1"}
	cases := []struct {
		name string
		st   Stored
		wc   *WorkingCopy
		d    Discard
		code string
		why  string
	}{
		{"a discard moves the story's version past the dropped copy", live, wc, Discard{Version: 5, By: "u1"}, "", ""},
		{"a contributor discards the changes they saved", live, wc, Discard{Version: 5, By: "u1", OnlyOwn: true}, "", ""},
		{"a contributor cannot discard someone else's changes", live, wc, Discard{Version: 5, By: "u9", OnlyOwn: true}, EFORBIDDEN, "someone else saved"},
		{"a stale version is a conflict", live, wc, Discard{Version: 3}, ECONFLICT, "while you were editing version 3"},
		{"nothing to discard is a conflict", live, nil, Discard{Version: 5}, ECONFLICT, "no unpublished changes"},
		{"someone else's lock blocks the discard", locked, wc, Discard{Version: 5, By: "u1"}, "locked", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := PlanDiscard(tc.st, tc.wc, tc.d)
			var lock *LockedError
			switch {
			case tc.code == "locked":
				if !errors.As(err, &lock) {
					t.Fatalf("err %v, want a lock", err)
				}
				return
			case ErrorCode(err) != tc.code:
				t.Fatalf("code %q (%v), want %q", ErrorCode(err), err, tc.code)
			case err != nil:
				if !strings.Contains(err.Error(), tc.why) {
					t.Errorf("%q does not say %q", err, tc.why)
				}
				return
			}
			if plan.Dropped != 5 {
				t.Errorf("plan %+v", plan)
			}
		})
	}
}

func TestCheckSubmitChanges(t *testing.T) {
	wc := &WorkingCopy{Version: 5}
	submitted := &WorkingCopy{Version: 5, SubmittedBy: "u1"}
	cases := []struct {
		name    string
		wc      *WorkingCopy
		version int
		code    string
	}{
		{"changes at the version seen are submitted", wc, 5, ""},
		{"no changes cannot be submitted", nil, 5, ECONFLICT},
		{"stale changes cannot be submitted", wc, 4, ECONFLICT},
		{"changes submitted already are not submitted twice", submitted, 5, ECONFLICT},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckSubmitChanges(tc.wc, nil, tc.version, "u1"); ErrorCode(err) != tc.code {
				t.Fatalf("err %v, want %q", err, tc.code)
			}
		})
	}
}

func TestPlanChangeFoldsTheWorkingCopy(t *testing.T) {
	ready := Edit{Headline: "Ferry quay", Photos: []Photo{{URL: "https://images.example.org/q.jpg", Credit: "c", Alt: "a"}}}
	future := time.Now().Add(time.Hour)
	cases := []struct {
		name string
		st   Stored
		ch   StatusChange
		fold bool
	}{
		{"a withdrawal folds the working copy into the story", Stored{Status: StatusPublished, Version: 3, Published: true, Pending: 5},
			StatusChange{From: []Status{StatusPublished}, To: StatusUnpublished}, true},
		{"unscheduling folds the working copy into the story", Stored{Status: StatusScheduled, Version: 3, Pending: 5},
			StatusChange{From: []Status{StatusScheduled}, To: StatusDraft}, true},
		{"a scheduled publication keeps the working copy pending", Stored{Status: StatusScheduled, Version: 3, Pending: 5},
			StatusChange{From: []Status{StatusScheduled}, To: StatusPublished, Due: true}, false},
		{"a new time for a scheduled story keeps the working copy pending", Stored{Status: StatusScheduled, Version: 3, Pending: 5},
			StatusChange{From: []Status{StatusScheduled}, To: StatusScheduled, PublishAt: &future}, false},
		{"a withdrawal of a story without working copy folds nothing", Stored{Status: StatusPublished, Version: 3, Published: true},
			StatusChange{From: []Status{StatusPublished}, To: StatusUnpublished}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PlanChange(tc.st, ready, tc.ch)
			if err != nil {
				t.Fatal(err)
			}
			if p.FoldPending != tc.fold {
				t.Errorf("FoldPending = %v, want %v", p.FoldPending, tc.fold)
			}
		})
	}
}

func TestCheckCancelUpdate(t *testing.T) {
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	scheduled := &WorkingCopy{Version: 5, PublishAt: &at}
	cases := []struct {
		name    string
		wc      *WorkingCopy
		version int
		code    string
	}{
		{"a scheduled update at the version seen is cancelled", scheduled, 5, ""},
		{"no changes have no update to cancel", nil, 5, ECONFLICT},
		{"a stale version cannot cancel", scheduled, 4, ECONFLICT},
		{"changes with no scheduled update have nothing to cancel", &WorkingCopy{Version: 5}, 5, ECONFLICT},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckCancelUpdate(tc.wc, nil, tc.version, "u1"); ErrorCode(err) != tc.code {
				t.Fatalf("err %v, want %q", err, tc.code)
			}
		})
	}
}

func TestSubmittingOrCancellingChangesIsRefusedWhileSomeoneElseHoldsTheLock(t *testing.T) {
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	wc := &WorkingCopy{Version: 5, PublishAt: &at}
	ana := &EditLock{UserID: "u-ana", UserName: "Ana Reis"}
	var locked *LockedError
	if err := CheckSubmitChanges(wc, ana, 5, "u-bo"); !errors.As(err, &locked) || !strings.Contains(err.Error(), "Ana Reis is editing") {
		t.Errorf("a submission by someone not holding the lock: %v, want a *LockedError naming Ana Reis", err)
	}
	if err := CheckCancelUpdate(wc, ana, 5, "u-bo"); !errors.As(err, &locked) {
		t.Errorf("a cancellation by someone not holding the lock: %v, want a *LockedError", err)
	}
	if err := CheckSubmitChanges(wc, ana, 5, "u-ana"); err != nil {
		t.Errorf("the holder's submission: %v", err)
	}
	if err := CheckCancelUpdate(wc, ana, 5, "u-ana"); err != nil {
		t.Errorf("the holder's cancellation: %v", err)
	}
}
