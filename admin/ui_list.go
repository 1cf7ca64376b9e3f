package admin

import (
	"context"

	"dateline/auth"
	"dateline/content"
)

// decorate adds to the story list's rows what the list shows beside each
// story: the "View live" link of a published story, whether user u may
// send a story in review back (with a reason), and the reason a draft was
// sent back from review (its newest review note, read for the whole page
// in one query). A failure to read the notes is logged and the list is
// shown without them.
func (ui *UI) decorate(ctx context.Context, u auth.User, rows []listRow) {
	var drafts []string
	for i := range rows {
		a := rows[i].A
		switch a.Status {
		case content.StatusInReview:
			rows[i].SendBack = content.Permit(u.Role, content.ActReject, a.OwnedBy(u.ID), a.Status) == nil
		case content.StatusPublished:
			if ui.LiveURL != nil {
				rows[i].Live = ui.LiveURL(a.Slug)
			}
		case content.StatusDraft:
			drafts = append(drafts, a.ID)
		}
	}
	if ui.Notes == nil || len(drafts) == 0 {
		return
	}
	notes, err := ui.Notes.LatestReviewNotes(ctx, drafts)
	if err != nil {
		ui.Log.ErrorContext(ctx, "read review notes for the story list", "err", err)
		return
	}
	for i := range rows {
		if n, ok := notes[rows[i].A.ID]; ok {
			rows[i].Note = &n
		}
	}
}
