package content

import (
	"errors"
	"strings"
	"testing"
)

func TestPlanSave(t *testing.T) {
	ready := Edit{Headline: "Ferry quay to be widened", Body: "The council voted.",
		Photos: []Photo{{URL: "https://images.example.org/q.jpg", Credit: "© Ana Reis", Alt: "The quay"}}}
	uncredited := ready
	uncredited.Photos = []Photo{{URL: "https://images.example.org/q.jpg", Alt: "The quay"}}
	renamed := ready
	renamed.Slug = "quay-widened"
	lock := &EditLock{ArticleID: "a1", UserID: "u2", UserName: "Olga"}
	mine := &EditLock{ArticleID: "a1", UserID: "u1"}
	draft := Stored{Status: StatusDraft, Version: 3, Slug: "ferry-quay"}
	live := Stored{Status: StatusPublished, Version: 3, Slug: "ferry-quay", Published: true}
	scheduled := Stored{Status: StatusScheduled, Version: 3, Slug: "ferry-quay"}
	pending := Stored{Status: StatusPublished, Version: 3, Slug: "ferry-quay", Published: true, Pending: 5}
	withdrawn := Stored{Status: StatusUnpublished, Version: 3, Slug: "ferry-quay", Published: true}
	discarded := Stored{Status: StatusPublished, Version: 3, Slug: "ferry-quay", Published: true, Latest: 7}
	with := func(st Stored, l *EditLock) Stored { st.Lock = l; return st }

	cases := []struct {
		name string
		st   Stored
		s    Save
		code string // "" means planned
		why  string
		want func(t *testing.T, p SavePlan)
	}{
		{"a draft's save is unseen and writes no event", draft, Save{Version: 3, Edit: ready, By: "u1"}, "", "", func(t *testing.T, p SavePlan) {
			if p.Visible || p.Event != "" || p.Version != 4 || p.Edit.Slug != "ferry-quay" || p.SlugChanged {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a published story's save goes to its working copy, unseen and without an event", live, Save{Version: 3, Edit: ready, By: "u1"}, "", "", func(t *testing.T, p SavePlan) {
			if !p.Pending || p.Visible || p.Event != "" || p.Version != 4 || p.SlugChanged || p.Edit.Slug != "ferry-quay" {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a save after a discarded working copy gets a version past the copy's", discarded, Save{Version: 3, Edit: ready}, "", "", func(t *testing.T, p SavePlan) {
			if !p.Pending || p.Version != 8 {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a save naming the discarded copy's version is a conflict", discarded, Save{Version: 7, Edit: ready}, ECONFLICT, "saved version 3 while you were editing version 7", nil},
		{"a scheduled story's save goes to its working copy", scheduled, Save{Version: 3, Edit: ready}, "", "", func(t *testing.T, p SavePlan) {
			if !p.Pending || p.Visible || p.Event != "" {
				t.Errorf("plan %+v", p)
			}
		}},
		{"an autosave of a live story goes to its working copy", live, Save{Version: 3, Edit: ready, Autosave: true}, "", "", func(t *testing.T, p SavePlan) {
			if !p.Pending || !p.Autosave || p.Visible {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a save of a story with a working copy names the working copy's version", pending, Save{Version: 5, Edit: ready}, "", "", func(t *testing.T, p SavePlan) {
			if !p.Pending || p.Version != 6 {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a save naming the live version of a story with a working copy is a conflict", pending, Save{Version: 3, Edit: ready}, ECONFLICT, "saved version 5 while you were editing version 3", nil},
		{"a working copy may lack a credit until Update", live, Save{Version: 3, Edit: uncredited}, "", "", func(t *testing.T, p SavePlan) {
			if !p.Pending {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a correction is not attached by a save of the working copy", live, Save{Version: 3, Edit: ready, Correction: "Fixed a name.", Autosave: true}, EINVALID, "correction", nil},
		{"a new slug in the working copy moves nothing yet", live, Save{Version: 3, Edit: renamed}, "", "", func(t *testing.T, p SavePlan) {
			if !p.Pending || p.SlugChanged || p.KeepOldSlug || p.Edit.Slug != "quay-widened" {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a save that is the Update of a published story is seen, writes an update and is sealed", live, Save{Version: 3, Edit: ready, By: "u1", Update: true}, "", "", func(t *testing.T, p SavePlan) {
			if p.Pending || !p.Visible || p.Event != EventUpdated || p.DropPending {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a save that is the Update replaces and drops the working copy", pending, Save{Version: 5, Edit: ready, Update: true, Correction: "Fixed a name."}, "", "", func(t *testing.T, p SavePlan) {
			if p.Pending || !p.DropPending || p.Version != 6 || p.Correction != "Fixed a name." || p.Event != EventUpdated {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a stale version is a conflict", live, Save{Version: 2, Edit: ready}, ECONFLICT, "saved version 3 while you were editing version 2", nil},
		{"a story that left the allowed statuses is a conflict", live, Save{Version: 3, Edit: ready, Statuses: []Status{StatusDraft}}, ECONFLICT, "became published", nil},
		{"someone else's live lock blocks the save", with(draft, lock), Save{Version: 3, Edit: ready, By: "u1"}, "locked", "", nil},
		{"one's own lock does not", with(draft, mine), Save{Version: 3, Edit: ready, By: "u1"}, "", "", nil},
		{"the system saves through a lock", with(draft, lock), Save{Version: 3, Edit: ready}, "", "", nil},
		{"a published story's Update must stay credited", live, Save{Version: 3, Edit: uncredited, Update: true}, EINVALID, "photos[0].credit", nil},
		{"a draft may lack a credit", draft, Save{Version: 3, Edit: uncredited}, "", "", nil},
		{"a correction needs a story once published", draft, Save{Version: 3, Edit: ready, Correction: "Fixed a name."}, EINVALID, "correction", nil},
		{"a withdrawn story may carry a correction", withdrawn, Save{Version: 3, Edit: ready, Correction: "Fixed a name."}, "", "", func(t *testing.T, p SavePlan) {
			if p.Correction != "Fixed a name." || p.Visible {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a new slug of a published story keeps the old one", live, Save{Version: 3, Edit: renamed, Update: true}, "", "", func(t *testing.T, p SavePlan) {
			if !p.SlugChanged || !p.KeepOldSlug || p.Edit.Slug != "quay-widened" {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a new slug of a never published story keeps none", draft, Save{Version: 3, Edit: renamed}, "", "", func(t *testing.T, p SavePlan) {
			if !p.SlugChanged || p.KeepOldSlug {
				t.Errorf("plan %+v", p)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prepared, err := PrepareSave(tc.s, "UTC")
			if err != nil {
				t.Fatal(err)
			}
			plan, err := PlanSave(tc.st, prepared)
			var locked *LockedError
			switch {
			case tc.code == "locked":
				if !errors.As(err, &locked) || locked.Lock.UserID != "u2" {
					t.Fatalf("err %v, want the lock of u2", err)
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
	t.Run("an edit that is not valid on its own is refused before any story is read", func(t *testing.T) {
		if _, err := PrepareSave(Save{Edit: Edit{Body: "no headline"}}, "UTC"); ErrorCode(err) != EINVALID {
			t.Fatalf("err %v", err)
		}
	})
}
