package content

import "fmt"

// Action is something a user does to a story.
type Action string

// The story actions of the admin API. The workflow actions are named like
// their endpoints.
const (
	ActView       Action = "view"       // read the story, its revisions and lock
	ActEdit       Action = "edit"       // save, restore a revision, hold the edit lock
	ActDelete     Action = "delete"     // soft-delete: move to the Trash
	ActRestore    Action = "restore"    // bring a story back from the Trash
	ActPurge      Action = "purge"      // remove a story from the Trash for good
	ActTakeOver   Action = "takeover"   // take someone else's edit lock
	ActPreview    Action = "preview"    // make, list and revoke preview links
	ActSubmit     Action = "submit"     // draft → in_review
	ActApprove    Action = "approve"    // in_review → published
	ActReject     Action = "reject"     // in_review → draft
	ActSchedule   Action = "schedule"   // draft, in_review, unpublished (or scheduled: a new time) → scheduled
	ActPublish    Action = "publish"    // draft, in_review, scheduled, unpublished → published
	ActUnschedule Action = "unschedule" // scheduled → draft
	ActWithdraw   Action = "withdraw"   // published → unpublished
	ActRepublish  Action = "republish"  // unpublished → published
	ActBackdate   Action = "backdate"   // publish as of a past time (StatusChange.PublishedAt)
	// The working copy of a live story (WorkingCopy). Saving into it is
	// ActEdit.
	ActUpdate        Action = "update"         // publish the working copy, now or at a time
	ActDiscard       Action = "discard"        // drop the working copy
	ActSubmitChanges Action = "submit_changes" // submit the working copy for review
)

// Permit decides whether a user with role may do act to a story in status
// that is (own) or is not theirs. It returns nil or a *Error of code
// EFORBIDDEN whose message says why not. The rules (DESIGN.md §3):
//
//   - everyone signed in may view every story;
//   - a preview link shows a story to anyone outside the newsroom who holds
//     it, so contributors and authors make, list and revoke the links of
//     their own stories only (whatever the status), editors and admins of
//     every story;
//   - a contributor edits only their own drafts and the working copy of
//     their own live (published or scheduled) stories, submits their own
//     stories and those changes for review, discards their own changes
//     (Discard.OnlyOwn), and never publishes, updates, schedules, reviews
//     or withdraws anything;
//   - an author also edits their own stories in any status (a published
//     one stays published) and runs every workflow step on them;
//   - editors and admins do everything on every story; only they delete
//     stories (to the Trash), restore and purge them, and take over
//     someone else's edit lock.
//
// Whether the step fits the story's status is not decided here: an illegal
// transition is a conflict, not a missing permission.
func Permit(role Role, act Action, own bool, status Status) error {
	if !role.Valid() {
		return forbid("your account has no known role")
	}
	if role.AtLeast(RoleEditor) {
		return nil
	}
	switch act {
	case ActView:
		return nil
	case ActDelete:
		return forbid("only editors can delete stories")
	case ActRestore:
		return forbid("only editors can restore stories from the Trash")
	case ActPurge:
		return forbid("only editors can purge stories from the Trash")
	case ActTakeOver:
		return forbid("only editors can take over someone else's edit lock")
	case ActBackdate:
		return forbid("only editors and admins can publish a story as of a past time")
	}
	if !own {
		return forbid(fmt.Sprintf("a %s can %s only their own stories", role, verb(act)))
	}
	if act == ActPreview {
		return nil
	}
	if role == RoleAuthor {
		return nil
	}
	// A contributor, on their own story.
	switch act {
	case ActSubmit, ActSubmitChanges, ActDiscard:
		return nil
	case ActUpdate:
		return forbid("a contributor's changes to a live story are submitted for review; an author or editor publishes them")
	case ActEdit:
		switch status {
		case StatusDraft, StatusPublished, StatusScheduled:
			// A live story's saves go to its working copy, which readers
			// never see (PlanSave).
			return nil
		default:
			return forbid(fmt.Sprintf("a contributor can edit only their own drafts; this story is %s", StatusLabel(status)))
		}
	case ActReject, ActApprove:
		return forbid("a contributor cannot review stories")
	default:
		return forbid(fmt.Sprintf("a contributor cannot %s stories; an author or editor must", verb(act)))
	}
}

func verb(act Action) string {
	switch act {
	case ActView:
		return "view"
	case ActEdit:
		return "edit"
	case ActTakeOver:
		return "take over the edit lock of"
	case ActPreview:
		return "share preview links of"
	case ActUpdate:
		return "update"
	case ActDiscard:
		return "discard the changes of"
	case ActSubmitChanges:
		return "submit changes to"
	default:
		return string(act)
	}
}

func forbid(msg string) error { return Errorf(EFORBIDDEN, "%s", msg) }

// OwnedBy reports whether the story is the user's with id userID: they
// created it or are one of its authors. No story is nobody's ("").
func (a *Article) OwnedBy(userID string) bool {
	if userID == "" {
		return false
	}
	if a.CreatedBy == userID {
		return true
	}
	for _, id := range a.AuthorIDs {
		if id == userID {
			return true
		}
	}
	return false
}
