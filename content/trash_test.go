package content

import (
	"strings"
	"testing"
	"time"
)

func TestPlanRestore(t *testing.T) {
	cases := []struct {
		name string
		st   Stored
		to   Status
		fold bool
	}{
		{"a deleted draft comes back a draft", Stored{Status: StatusDraft}, StatusDraft, false},
		{"a deleted story in review stays in review", Stored{Status: StatusInReview}, StatusInReview, false},
		{"a deleted published story comes back withdrawn, never live", Stored{Status: StatusPublished, Published: true}, StatusUnpublished, false},
		{"a deleted published story's unpublished changes become its text", Stored{Status: StatusPublished, Published: true, Pending: 4}, StatusUnpublished, true},
		{"a deleted scheduled story never published comes back a draft", Stored{Status: StatusScheduled}, StatusDraft, false},
		{"a deleted scheduled story published before comes back withdrawn", Stored{Status: StatusScheduled, Published: true}, StatusUnpublished, false},
		{"a deleted withdrawn story stays withdrawn", Stored{Status: StatusUnpublished, Published: true}, StatusUnpublished, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := PlanRestore(tc.st)
			if p.From != tc.st.Status || p.To != tc.to || p.FoldPending != tc.fold {
				t.Errorf("PlanRestore = %+v, want %s → %s, fold %v", p, tc.st.Status, tc.to, tc.fold)
			}
		})
	}
}

func TestPurgeTimes(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	t.Run("thirty days keep a story deleted a month ago until today", func(t *testing.T) {
		before, ok := PurgeBefore(now, 30)
		if !ok || !before.Equal(time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC)) {
			t.Errorf("PurgeBefore = %v, %v", before, ok)
		}
		if at := PurgeAt(before, 30); !at.Equal(now) {
			t.Errorf("PurgeAt = %v, want %v", at, now)
		}
	})
	t.Run("zero days purge nothing automatically", func(t *testing.T) {
		if _, ok := PurgeBefore(now, 0); ok {
			t.Error("PurgeBefore with 0 days purges")
		}
		if at := PurgeAt(now, 0); !at.IsZero() {
			t.Errorf("PurgeAt with 0 days = %v", at)
		}
	})
	for _, days := range []int{-1, MaxTrashDays + 1} {
		if err := CheckTrashDays(days); err == nil || !strings.Contains(err.Error(), "trash_days") {
			t.Errorf("CheckTrashDays(%d) = %v, want an error naming trash_days", days, err)
		}
	}
	for _, days := range []int{0, 1, DefaultTrashDays, MaxTrashDays} {
		if err := CheckTrashDays(days); err != nil {
			t.Errorf("CheckTrashDays(%d) = %v", days, err)
		}
	}
}

func TestPlanTagRemoval(t *testing.T) {
	cases := []struct {
		name, slug, into string
		field            string // "" means accepted
	}{
		{"a plain delete removes the tag from its stories", "elections", "", ""},
		{"a delete may move the stories to another tag", "elections", "politics", ""},
		{"the stories cannot move to the tag being deleted", "elections", "elections", "reassign_to"},
		{"the tag to move to must be a slug", "elections", "Not a slug!", "reassign_to"},
		{"the tag must be a slug", "Bad Slug", "", "slug"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := PlanTagRemoval(tc.slug, tc.into)
			if tc.field == "" {
				if err != nil || r.Slug != tc.slug || r.ReassignTo != tc.into {
					t.Errorf("PlanTagRemoval = %+v, %v", r, err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 || ErrorFields(err)[0].Field != tc.field {
				t.Errorf("PlanTagRemoval error %v, want one naming %s", err, tc.field)
			}
		})
	}
}

func TestOnlyEditorsRestoreAndPurge(t *testing.T) {
	for _, act := range []Action{ActRestore, ActPurge} {
		for _, r := range []Role{RoleContributor, RoleAuthor} {
			if err := Permit(r, act, true, StatusDraft); ErrorCode(err) != EFORBIDDEN || !strings.Contains(ErrorMessage(err), "only editors") {
				t.Errorf("a %s may %s their own story: %v", r, act, err)
			}
		}
		for _, r := range []Role{RoleEditor, RoleAdmin} {
			if err := Permit(r, act, false, StatusPublished); err != nil {
				t.Errorf("an %s may not %s a story: %v", r, act, err)
			}
		}
	}
}

func TestSendingBackTakesAReason(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	byAction := map[Action]Transition{}
	for _, tr := range Transitions() {
		byAction[tr.Action] = tr
	}
	inReview := &Article{Status: StatusInReview, Version: 3}
	cases := []struct {
		name   string
		act    Action
		reason string
		want   string // the stored reason; "!" means refused naming reason
	}{
		{"a story sent back keeps the editor's reason, trimmed", ActReject, "  Check the second quote.\nThen resubmit. ", "Check the second quote.\nThen resubmit."},
		{"a story sent back without a reason has none", ActReject, "   ", ""},
		{"approving takes no reason", ActApprove, "Looks good", "!"},
		{"a reason is at most 1000 characters", ActReject, strings.Repeat("a", MaxReasonLength+1), "!"},
		{"a reason holds no control characters", ActReject, "bad\x07bell", "!"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := byAction[tc.act].Plan(inReview, Step{Reason: tc.reason}, "editor-1", now)
			if tc.want == "!" {
				if ErrorCode(err) != EINVALID || ErrorFields(err)[0].Field != "reason" {
					t.Errorf("Plan error %v, want one naming reason", err)
				}
				return
			}
			if err != nil || ch.Reason != tc.want {
				t.Errorf("Plan = reason %q, %v; want %q", ch.Reason, err, tc.want)
			}
		})
	}
}

func TestLiveURL(t *testing.T) {
	cases := []struct{ name, pattern, base, slug, want string }{
		{"the newsroom's own story page", "https://www.example.org/news/{slug}", "https://cms.example.org", "pier-closes", "https://www.example.org/news/pier-closes"},
		{"the delivery API without a story page", "", "https://cms.example.org/", "pier-closes", "https://cms.example.org/api/v1/articles/pier-closes"},
		{"a slug is escaped as a path segment", "", "http://localhost:8080", "a b", "http://localhost:8080/api/v1/articles/a%20b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := LiveURL(tc.pattern, tc.base, tc.slug); got != tc.want {
				t.Errorf("LiveURL = %q, want %q", got, tc.want)
			}
		})
	}
}
