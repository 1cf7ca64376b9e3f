package admin

import (
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
)

func TestPermit(t *testing.T) {
	const (
		own   = true
		other = false
	)
	cases := []struct {
		name   string
		role   auth.Role
		act    Action
		own    bool
		status content.Status
		why    string // "" means allowed; else a part of the reason
	}{
		{"a contributor edits their own draft", auth.RoleContributor, ActEdit, own, content.StatusDraft, ""},
		{"a contributor cannot edit their own story in review", auth.RoleContributor, ActEdit, own, content.StatusInReview, "only their own drafts"},
		{"a contributor never edits a published story", auth.RoleContributor, ActEdit, own, content.StatusPublished, "never edits a published story"},
		{"a contributor cannot edit someone else's draft", auth.RoleContributor, ActEdit, other, content.StatusDraft, "only their own stories"},
		{"a contributor submits their own draft", auth.RoleContributor, ActSubmit, own, content.StatusDraft, ""},
		{"a contributor never publishes", auth.RoleContributor, ActPublish, own, content.StatusDraft, "cannot publish"},
		{"a contributor cannot approve", auth.RoleContributor, ActApprove, own, content.StatusInReview, "cannot review"},
		{"a contributor views any story", auth.RoleContributor, ActView, other, content.StatusScheduled, ""},
		{"an author publishes their own story", auth.RoleAuthor, ActPublish, own, content.StatusInReview, ""},
		{"an author edits their own published story", auth.RoleAuthor, ActEdit, own, content.StatusPublished, ""},
		{"an author cannot withdraw someone else's story", auth.RoleAuthor, ActWithdraw, other, content.StatusPublished, "only their own stories"},
		{"an author cannot delete their own story", auth.RoleAuthor, ActDelete, own, content.StatusDraft, "only editors"},
		{"an author cannot take over a lock", auth.RoleAuthor, ActTakeOver, own, content.StatusDraft, "only editors"},
		{"an editor withdraws anyone's story", auth.RoleEditor, ActWithdraw, other, content.StatusPublished, ""},
		{"an editor deletes anyone's story", auth.RoleEditor, ActDelete, other, content.StatusPublished, ""},
		{"an admin takes over any lock", auth.RoleAdmin, ActTakeOver, other, content.StatusDraft, ""},
		{"a contributor shares a preview of their own draft", auth.RoleContributor, ActPreview, own, content.StatusDraft, ""},
		{"a contributor shares a preview of their own story in review", auth.RoleContributor, ActPreview, own, content.StatusInReview, ""},
		{"a contributor cannot share a preview of another reporter's draft", auth.RoleContributor, ActPreview, other, content.StatusDraft, "share preview links of only their own stories"},
		{"an author cannot share a preview of someone else's scheduled story", auth.RoleAuthor, ActPreview, other, content.StatusScheduled, "only their own stories"},
		{"an author shares a preview of their own published story", auth.RoleAuthor, ActPreview, own, content.StatusPublished, ""},
		{"an editor shares a preview of anyone's draft", auth.RoleEditor, ActPreview, other, content.StatusDraft, ""},
		{"an unknown role may do nothing", auth.Role("intern"), ActView, own, content.StatusDraft, "no known role"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Permit(tc.role, tc.act, tc.own, tc.status)
			if tc.why == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if content.ErrorCode(err) != content.EFORBIDDEN {
				t.Fatalf("err = %v, want forbidden", err)
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Errorf("reason %q does not say %q", err.Error(), tc.why)
			}
		})
	}
}
