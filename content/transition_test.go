package content

import (
	"strings"
	"testing"
	"time"
)

func TestTransitionPlan(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Hour)
	much := now.Add(2 * time.Hour)
	inZone := later.In(time.FixedZone("+03", 3*3600))
	five, four := 5, 4
	step := map[Action]Transition{}
	for _, tr := range Transitions() {
		step[tr.Action] = tr
	}
	cases := []struct {
		name   string
		act    Action
		status Status
		s      Step
		code   string // "" means planned
		why    string // a part of the message or the field at fault
	}{
		{"a draft is submitted", ActSubmit, StatusDraft, Step{}, "", ""},
		{"a story in review cannot be submitted again", ActSubmit, StatusInReview, Step{}, ECONFLICT, "only a draft"},
		{"a draft is scheduled for a future time", ActSchedule, StatusDraft, Step{PublishAt: &later}, "", ""},
		{"a scheduled story moves to a new time", ActSchedule, StatusScheduled, Step{PublishAt: &much}, "", ""},
		{"scheduling needs a time", ActSchedule, StatusDraft, Step{}, EINVALID, "publish_at"},
		{"scheduling needs a future time", ActSchedule, StatusDraft, Step{PublishAt: &earlier}, EINVALID, "publish_at"},
		{"a published story cannot be scheduled", ActSchedule, StatusPublished, Step{PublishAt: &later}, ECONFLICT, "withdraw it first"},
		{"a withdrawal time comes after publication", ActSchedule, StatusDraft, Step{PublishAt: &much, UnpublishAt: &later}, EINVALID, "unpublish_at"},
		{"publishing now takes no publish time", ActPublish, StatusDraft, Step{PublishAt: &later}, EINVALID, "publish_at"},
		{"publishing may set a future withdrawal", ActPublish, StatusInReview, Step{UnpublishAt: &later}, "", ""},
		{"a withdrawal in the past is refused", ActPublish, StatusDraft, Step{UnpublishAt: &earlier}, EINVALID, "unpublish_at"},
		{"withdrawing takes no times", ActWithdraw, StatusPublished, Step{UnpublishAt: &later}, EINVALID, "unpublish_at"},
		{"a draft cannot be withdrawn", ActWithdraw, StatusDraft, Step{}, ECONFLICT, "only a published story"},
		{"a withdrawn story is republished", ActRepublish, StatusUnpublished, Step{}, "", ""},
		{"the version seen must be the story's", ActPublish, StatusDraft, Step{Version: &four}, ECONFLICT, "you saw version 4, the current version is 5"},
		{"the version seen may be given", ActPublish, StatusDraft, Step{Version: &five}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := step[tc.act]
			a := &Article{ID: "a1", Status: tc.status, Version: 5}
			ch, err := tr.Plan(a, tc.s, "u1", now)
			if got := ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			if err != nil {
				msg := err.Error()
				for _, f := range ErrorFields(err) {
					msg += " " + f.Field
				}
				if !strings.Contains(msg, tc.why) {
					t.Errorf("%q does not say %q", msg, tc.why)
				}
				return
			}
			if ch.To != tr.To || !ch.Allows(tc.status) || ch.By != "u1" {
				t.Errorf("change %+v does not lead from %s to %s by u1", ch, tc.status, tr.To)
			}
		})
	}
	t.Run("times are planned in UTC", func(t *testing.T) {
		ch, err := step[ActSchedule].Plan(&Article{Status: StatusDraft}, Step{PublishAt: &inZone}, "", now)
		if err != nil || ch.PublishAt.Location() != time.UTC || !ch.PublishAt.Equal(later) {
			t.Fatalf("publish_at %v (%v)", ch.PublishAt, err)
		}
	})
}
