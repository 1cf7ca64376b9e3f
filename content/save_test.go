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
	withdrawn := Stored{Status: StatusUnpublished, Version: 3, Slug: "ferry-quay", Published: true}
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
		{"a published story's save is seen, writes an update and is sealed", live, Save{Version: 3, Edit: ready, By: "u1"}, "", "", func(t *testing.T, p SavePlan) {
			if !p.Visible || p.Event != EventUpdated {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a stale version is a conflict", live, Save{Version: 2, Edit: ready}, ECONFLICT, "saved version 3 while you were editing version 2", nil},
		{"a story that left the allowed statuses is a conflict", live, Save{Version: 3, Edit: ready, Statuses: []Status{StatusDraft}}, ECONFLICT, "became published", nil},
		{"someone else's live lock blocks the save", with(draft, lock), Save{Version: 3, Edit: ready, By: "u1"}, "locked", "", nil},
		{"one's own lock does not", with(draft, mine), Save{Version: 3, Edit: ready, By: "u1"}, "", "", nil},
		{"the system saves through a lock", with(draft, lock), Save{Version: 3, Edit: ready}, "", "", nil},
		{"a published story must stay credited", live, Save{Version: 3, Edit: uncredited}, EINVALID, "photos[0].credit", nil},
		{"a draft may lack a credit", draft, Save{Version: 3, Edit: uncredited}, "", "", nil},
		{"a correction needs a story once published", draft, Save{Version: 3, Edit: ready, Correction: "Fixed a name."}, EINVALID, "correction", nil},
		{"a withdrawn story may carry a correction", withdrawn, Save{Version: 3, Edit: ready, Correction: "Fixed a name."}, "", "", func(t *testing.T, p SavePlan) {
			if p.Correction != "Fixed a name." || p.Visible {
				t.Errorf("plan %+v", p)
			}
		}},
		{"a new slug of a published story keeps the old one", live, Save{Version: 3, Edit: renamed}, "", "", func(t *testing.T, p SavePlan) {
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
