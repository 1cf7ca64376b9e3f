package admin

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// mediaApplyResult is what POST /media/:id/apply did to one story.
type mediaApplyResult struct {
	ArticleID string         `json:"article_id"`
	Headline  string         `json:"headline"`
	Status    content.Status `json:"status"`
	// Result is "saved" (a new version; for a published or scheduled
	// story in its working copy, which readers see after Update),
	// "unchanged" (its photos say so already) or "skipped" (Reason says
	// why: no permission, someone else's edit lock, a conflict).
	Result      string `json:"result"`
	WorkingCopy bool   `json:"working_copy,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// handleMediaApply serves POST /media/:id/apply, body {"caption": bool,
// "credit": bool}: copy the library's caption and/or credit of the image
// into the photos of every story that uses it. Each story is saved
// through the normal save path as its editor would save it (a new
// version and revision, a live story's working copy rather than what
// readers see), by the user, so each story's permission, edit lock and
// validation apply; stories that refuse are skipped and reported, the
// others saved. The uploader and editors may ask (as for PATCH).
func (api *API) handleMediaApply(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		api.problem(c, err)
		return
	}
	var which content.MediaText
	if err := decodeJSON(c, &which); err != nil {
		api.problem(c, err)
		return
	}
	if !which.Caption && !which.Credit {
		api.problem(c, invalid("caption", "choose what to copy into the stories: caption, credit or both"))
		return
	}
	ctx := c.Request.Context()
	m, err := api.Media.MediaItem(ctx, id)
	if err != nil {
		api.problem(c, err)
		return
	}
	u := user(c)
	if m.UploadedBy != u.ID && !u.Role.AtLeast(auth.RoleEditor) {
		api.problem(c, forbid("only the uploader and editors can copy an image's caption and credit into stories"))
		return
	}
	uses, err := api.Media.MediaUses(ctx, id)
	if err != nil {
		api.problem(c, err)
		return
	}
	out := []mediaApplyResult{}
	saved := 0
	for _, use := range uses {
		r := mediaApplyResult{ArticleID: use.ArticleID, Headline: use.Headline, Status: use.Status}
		r.Result, r.WorkingCopy, r.Reason = api.applyMediaText(c, use.ArticleID, m, which)
		if r.Result == "saved" {
			saved++
		}
		out = append(out, r)
	}
	api.Log.InfoContext(ctx, "media text copied into stories", "media", id, "stories", saved, "by", u.ID)
	c.JSON(http.StatusOK, gin.H{"saved": saved, "stories": out})
}

// applyMediaText saves story id with m's texts in its photos; it returns
// the result, whether the save went to a working copy, and the reason of
// a skip. Only unexpected errors are logged.
func (api *API) applyMediaText(c *gin.Context, id string, m content.Media, which content.MediaText) (result string, working bool, reason string) {
	ctx := c.Request.Context()
	u := user(c)
	a, err := api.Articles.Article(ctx, content.ArticleFilter{ID: &id})
	if err != nil {
		return "skipped", false, content.ErrorMessage(err)
	}
	if err := content.Permit(u.Role, content.ActEdit, a.OwnedBy(u.ID), a.Status); err != nil {
		return "skipped", false, "you may not edit this story"
	}
	wc, err := api.workingCopy(ctx, a)
	if err != nil {
		api.Log.ErrorContext(ctx, "read working copy", "article", id, "err", err)
		return "skipped", false, "the story could not be read"
	}
	cur := a
	if wc != nil {
		cur = overlay(a, wc)
	}
	e, changed := content.WithMediaText(cur.Edit, m, which)
	if !changed {
		return "unchanged", false, ""
	}
	_, err = api.Articles.UpdateArticle(ctx, a.ID, content.Save{Version: cur.Version, Edit: e, By: u.ID, Statuses: []content.Status{a.Status}})
	var locked *content.LockedError
	switch {
	case errors.As(err, &locked):
		return "skipped", false, "someone else is editing it"
	case err != nil && content.ErrorCode(err) == content.EINTERNAL:
		api.Log.ErrorContext(ctx, "save story with media text", "article", id, "err", err)
		return "skipped", false, "the story could not be saved"
	case err != nil:
		return "skipped", false, content.ErrorMessage(err)
	}
	live := a.Status == content.StatusPublished || a.Status == content.StatusScheduled
	return "saved", live, ""
}
