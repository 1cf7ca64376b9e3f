package content

import (
	"strings"
	"testing"
)

func TestPermit(t *testing.T) {
	const (
		own   = true
		other = false
	)
	cases := []struct {
		name   string
		role   Role
		act    Action
		own    bool
		status Status
		why    string // "" means allowed; else a part of the reason
	}{
		{"a contributor edits their own draft", RoleContributor, ActEdit, own, StatusDraft, ""},
		{"a contributor cannot edit their own story in review", RoleContributor, ActEdit, own, StatusInReview, "only their own drafts"},
		{"a contributor edits the working copy of their own published story", RoleContributor, ActEdit, own, StatusPublished, ""},
		{"a contributor edits the working copy of their own scheduled story", RoleContributor, ActEdit, own, StatusScheduled, ""},
		{"a contributor cannot edit their own withdrawn story", RoleContributor, ActEdit, own, StatusUnpublished, "only their own drafts"},
		{"a contributor cannot edit someone else's published story", RoleContributor, ActEdit, other, StatusPublished, "only their own stories"},
		{"a contributor never updates a live story", RoleContributor, ActUpdate, own, StatusPublished, "submitted for review"},
		{"a contributor submits changes to their own live story", RoleContributor, ActSubmitChanges, own, StatusPublished, ""},
		{"a contributor may discard changes to their own story", RoleContributor, ActDiscard, own, StatusPublished, ""},
		{"a contributor cannot discard changes to someone else's story", RoleContributor, ActDiscard, other, StatusPublished, "discard the changes of only their own stories"},
		{"an author updates their own live story", RoleAuthor, ActUpdate, own, StatusPublished, ""},
		{"an author cannot update someone else's story", RoleAuthor, ActUpdate, other, StatusPublished, "update only their own stories"},
		{"an author cannot discard changes to someone else's story", RoleAuthor, ActDiscard, other, StatusPublished, "only their own stories"},
		{"an editor updates anyone's story", RoleEditor, ActUpdate, other, StatusPublished, ""},
		{"an editor discards anyone's changes", RoleEditor, ActDiscard, other, StatusScheduled, ""},
		{"a contributor cannot edit someone else's draft", RoleContributor, ActEdit, other, StatusDraft, "only their own stories"},
		{"a contributor submits their own draft", RoleContributor, ActSubmit, own, StatusDraft, ""},
		{"a contributor never publishes", RoleContributor, ActPublish, own, StatusDraft, "cannot publish"},
		{"a contributor cannot approve", RoleContributor, ActApprove, own, StatusInReview, "cannot review"},
		{"a contributor views any story", RoleContributor, ActView, other, StatusScheduled, ""},
		{"an author publishes their own story", RoleAuthor, ActPublish, own, StatusInReview, ""},
		{"an author edits their own published story", RoleAuthor, ActEdit, own, StatusPublished, ""},
		{"an author cannot withdraw someone else's story", RoleAuthor, ActWithdraw, other, StatusPublished, "only their own stories"},
		{"an author cannot delete their own story", RoleAuthor, ActDelete, own, StatusDraft, "only editors"},
		{"an author cannot take over a lock", RoleAuthor, ActTakeOver, own, StatusDraft, "only editors"},
		{"an editor withdraws anyone's story", RoleEditor, ActWithdraw, other, StatusPublished, ""},
		{"an editor deletes anyone's story", RoleEditor, ActDelete, other, StatusPublished, ""},
		{"an admin takes over any lock", RoleAdmin, ActTakeOver, other, StatusDraft, ""},
		{"a contributor shares a preview of their own draft", RoleContributor, ActPreview, own, StatusDraft, ""},
		{"a contributor shares a preview of their own story in review", RoleContributor, ActPreview, own, StatusInReview, ""},
		{"a contributor cannot share a preview of another reporter's draft", RoleContributor, ActPreview, other, StatusDraft, "share preview links of only their own stories"},
		{"an author cannot share a preview of someone else's scheduled story", RoleAuthor, ActPreview, other, StatusScheduled, "only their own stories"},
		{"an author shares a preview of their own published story", RoleAuthor, ActPreview, own, StatusPublished, ""},
		{"an editor shares a preview of anyone's draft", RoleEditor, ActPreview, other, StatusDraft, ""},
		{"an unknown role may do nothing", Role("intern"), ActView, own, StatusDraft, "no known role"},
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
			if ErrorCode(err) != EFORBIDDEN {
				t.Fatalf("err = %v, want forbidden", err)
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Errorf("reason %q does not say %q", err.Error(), tc.why)
			}
		})
	}
}
