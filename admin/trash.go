package admin

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// TrashStore is what the Trash endpoints and page need from storage.
type TrashStore interface {
	Trash(ctx context.Context, f content.TrashFilter) ([]content.TrashedStory, error)
	RestoreArticle(ctx context.Context, id string) (*content.Article, error)
	PurgeArticle(ctx context.Context, id string) error
}

// Trash serves the Trash: the stories DELETE /articles/:id moved there,
// which editors and admins list, restore and purge. Days is how long a
// deleted story stays before the automatic purge (0: until purged by
// hand).
type Trash struct {
	Store TrashStore
	Days  int
	Log   *slog.Logger
}

// trashPage is how many deleted stories one page of the Trash lists.
const trashPage = 100

// trashList is one page of the Trash: its stories, most recently deleted
// first, and the cursor of the next page ("" after the last).
type trashList struct {
	Stories []content.TrashedStory
	Next    string
}

// list returns the page of the Trash after cursor ("": the first), with
// the time each story is purged automatically. A cursor that is not one
// this list gave is EINVALID.
func (h *Trash) list(ctx context.Context, cursor string) (trashList, error) {
	f := content.TrashFilter{Limit: trashPage + 1} // one more tells whether there is a next page
	if cursor != "" {
		cur, err := content.DecodeCursor(cursor)
		if err != nil || cur.ID == "" {
			var pr content.Problems
			pr.Add("cursor", "is not a cursor of the Trash; start again from its first page")
			return trashList{}, pr.Err()
		}
		f.After = &cur
	}
	items, err := h.Store.Trash(ctx, f)
	if err != nil {
		return trashList{}, err
	}
	var next string
	if len(items) > trashPage {
		items = items[:trashPage]
		last := items[trashPage-1]
		next = content.Cursor{Time: last.DeletedAt, ID: last.ID}.Encode()
	}
	for i := range items {
		items[i].PurgeAt = content.PurgeAt(items[i].DeletedAt, h.Days)
	}
	return trashList{Stories: items, Next: next}, nil
}

// handleList serves GET /trash?cursor= (editors): {"stories": [...],
// "trash_days", "next_cursor"}, a page of at most trashPage stories;
// next_cursor, "" on the last page, asks for the next.
func (h *Trash) handleList(c *gin.Context) {
	if !user(c).Role.AtLeast(auth.RoleEditor) {
		writeProblem(c, h.Log, forbid("only editors can see the Trash"), nil)
		return
	}
	page, err := h.list(c.Request.Context(), c.Query("cursor"))
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.JSON(http.StatusOK, gin.H{"stories": page.Stories, "trash_days": h.Days, "next_cursor": page.Next})
}

// handleRestore serves POST /trash/:id/restore (editors): the story comes
// back in the status content.PlanRestore gives (never live) and the
// answer is the story as GET /articles/:id shows it.
func (h *Trash) handleRestore(c *gin.Context) {
	id, ok := h.trashID(c, content.ActRestore)
	if !ok {
		return
	}
	a, err := h.Store.RestoreArticle(c.Request.Context(), id)
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.JSON(http.StatusOK, toJSON(a))
}

// handlePurge serves DELETE /trash/:id (editors): the story is gone for
// good → 204. Only a story in the Trash can be purged (else 404).
func (h *Trash) handlePurge(c *gin.Context) {
	id, ok := h.trashID(c, content.ActPurge)
	if !ok {
		return
	}
	if err := h.Store.PurgeArticle(c.Request.Context(), id); err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.Status(http.StatusNoContent)
}

// trashID checks that the user may do act and returns the :id parameter;
// on failure it has answered and returns false.
func (h *Trash) trashID(c *gin.Context, act content.Action) (string, bool) {
	u := user(c)
	if err := content.Permit(u.Role, act, false, content.StatusDraft); err != nil {
		writeProblem(c, h.Log, err, nil)
		return "", false
	}
	id, err := pathID(c, "id")
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return "", false
	}
	return id, true
}
