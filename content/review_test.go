package content

import (
	"strings"
	"testing"
	"time"
)

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
