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
