package content

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPlanChange(t *testing.T) {
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	later, latest := at.Add(time.Hour), at.Add(2*time.Hour)
	ready := Edit{Headline: "Quay", Photos: []Photo{{URL: "https://images.example.org/q.jpg", Credit: "© Ana Reis", Alt: "The quay"}}}
	uncredited := Edit{Headline: "Quay", Photos: []Photo{{URL: "https://images.example.org/q.jpg", Alt: "The quay"}}}
	from := func(s ...Status) []Status { return s }
	anaLock := EditLock{UserID: "u-ana", UserName: "Ana Reis"}
	cases := []struct {
		name string
		st   Stored
		edit Edit
		ch   StatusChange
		code string
		want ChangePlan // compared where the case is planned
	}{
		{"a first publication is visible and says so", Stored{Status: StatusDraft}, ready,
			StatusChange{From: from(StatusDraft), To: StatusPublished}, "",
			ChangePlan{From: StatusDraft, To: StatusPublished, Visible: true, Event: EventPublished, First: true}},
		{"a republication is not the first", Stored{Status: StatusUnpublished, Published: true}, ready,
			StatusChange{From: from(StatusUnpublished), To: StatusPublished}, "",
			ChangePlan{From: StatusUnpublished, To: StatusPublished, Visible: true, Event: EventPublished}},
		{"a withdrawal is visible, clears the withdrawal time and ends preview links", Stored{Status: StatusPublished, Published: true, UnpublishAt: &later}, ready,
			StatusChange{From: from(StatusPublished), To: StatusUnpublished}, "",
			ChangePlan{From: StatusPublished, To: StatusUnpublished, Visible: true, Event: EventUnpublished, RevokePreviews: true}},
		{"scheduling sets both times and is not visible", Stored{Status: StatusInReview}, ready,
			StatusChange{From: from(StatusInReview), To: StatusScheduled, PublishAt: &later, UnpublishAt: &latest}, "",
			ChangePlan{From: StatusInReview, To: StatusScheduled, PublishAt: &later, UnpublishAt: &latest}},
		{"a new withdrawal time of a live story is not visible and writes no event", Stored{Status: StatusPublished, Published: true}, ready,
			StatusChange{From: from(StatusPublished), To: StatusPublished, UnpublishAt: &later}, "",
			ChangePlan{From: StatusPublished, To: StatusPublished, UnpublishAt: &later}},
		{"the scheduler's claim is due-only", Stored{Status: StatusScheduled, PublishAt: &later}, ready,
			StatusChange{From: from(StatusScheduled), To: StatusPublished, Due: true, At: later}, "",
			ChangePlan{From: StatusScheduled, To: StatusPublished, Due: true, PublishAt: &later, Visible: true, Event: EventPublished, First: true}},
		{"unscheduling clears the times", Stored{Status: StatusScheduled, PublishAt: &later}, ready,
			StatusChange{From: from(StatusScheduled), To: StatusDraft}, "",
			ChangePlan{From: StatusScheduled, To: StatusDraft}},
		{"a status the change does not start from is a conflict", Stored{Status: StatusPublished}, ready,
			StatusChange{From: from(StatusDraft), To: StatusInReview}, ECONFLICT, ChangePlan{}},
		{"an uncredited photo stops publishing", Stored{Status: StatusDraft}, uncredited,
			StatusChange{From: from(StatusDraft), To: StatusPublished}, EINVALID, ChangePlan{}},
		{"an uncredited photo stops scheduling", Stored{Status: StatusDraft}, uncredited,
			StatusChange{From: from(StatusDraft), To: StatusScheduled, PublishAt: &later}, EINVALID, ChangePlan{}},
		{"an uncredited photo does not stop a withdrawal", Stored{Status: StatusPublished, Published: true}, uncredited,
			StatusChange{From: from(StatusPublished), To: StatusUnpublished}, "",
			ChangePlan{From: StatusPublished, To: StatusUnpublished, Visible: true, Event: EventUnpublished, RevokePreviews: true}},
		{"scheduling without a time is invalid", Stored{Status: StatusDraft}, ready,
			StatusChange{From: from(StatusDraft), To: StatusScheduled}, EINVALID, ChangePlan{}},
		{"a user's step is refused while someone else holds the edit lock", Stored{Status: StatusDraft, Lock: &anaLock}, ready,
			StatusChange{From: from(StatusDraft), To: StatusInReview, By: "u-bo"}, ECONFLICT, ChangePlan{}},
		{"the holder of the edit lock takes the step", Stored{Status: StatusDraft, Lock: &anaLock}, ready,
			StatusChange{From: from(StatusDraft), To: StatusInReview, By: "u-ana"}, "",
			ChangePlan{From: StatusDraft, To: StatusInReview}},
		{"the scheduler is not held up by an edit lock", Stored{Status: StatusScheduled, PublishAt: &later, Lock: &anaLock}, ready,
			StatusChange{From: from(StatusScheduled), To: StatusPublished, Due: true, At: later}, "",
			ChangePlan{From: StatusScheduled, To: StatusPublished, Due: true, PublishAt: &later, Visible: true, Event: EventPublished, First: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PlanChange(tc.st, tc.edit, tc.ch)
			if ErrorCode(err) != tc.code {
				t.Fatalf("code %q (%v), want %q", ErrorCode(err), err, tc.code)
			}
			var locked *LockedError
			if tc.st.Lock != nil && tc.ch.By != "" && tc.ch.By != tc.st.Lock.UserID && (!errors.As(err, &locked) || !strings.Contains(err.Error(), "Ana Reis is editing")) {
				t.Errorf("error %v, want a *LockedError naming Ana Reis", err)
			}
			if err != nil {
				return
			}
			if got, want := planString(p), planString(tc.want); got != want {
				t.Errorf("plan\n got %s\nwant %s", got, want)
			}
		})
	}
}

func planString(p ChangePlan) string {
	tm := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.Format(time.RFC3339)
	}
	return strings.Join([]string{string(p.From), string(p.To), tm(p.PublishAt), tm(p.UnpublishAt), p.Event,
		map[bool]string{true: "due", false: "now"}[p.Due], map[bool]string{true: "visible", false: "unseen"}[p.Visible],
		map[bool]string{true: "first", false: ""}[p.First], map[bool]string{true: "revoke", false: ""}[p.RevokePreviews]}, " ")
}
