package admin

import (
	"context"

	"dateline/auth"
	"dateline/content"
)

// backdating says whether the editor offers "publish as of" to u on a
// (editors and admins, a story never published that u may publish now),
// and, for a story that was published as of a past time, the name of who
// set it, from the revision that logs it.
func (ui *UI) backdating(ctx context.Context, u auth.User, a *content.Article, isNew bool) (offer bool, asOfBy string) {
	if isNew { // shown once the first autosave has created the story
		return u.Role.AtLeast(auth.RoleEditor), ""
	}
	if a.PublishedAt == nil {
		return u.Role.AtLeast(auth.RoleEditor) && a.Status != content.StatusPublished, ""
	}
	revs, err := ui.Store.Revisions(ctx, a.ID)
	if err != nil {
		return false, ""
	}
	for _, r := range revs {
		if r.PublishedAsOf == nil {
			continue
		}
		name := "someone"
		if users, err := ui.Store.Users(ctx); err == nil {
			for _, us := range users {
				if us.ID == r.PublishedAsOfBy {
					name = us.Name
				}
			}
		}
		return false, name
	}
	return false, ""
}
