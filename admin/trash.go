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

// trashLimit is how many deleted stories the Trash lists.
const trashLimit = 200

// list returns the Trash, most recently deleted first, with the time each
// story is purged automatically.
func (h *Trash) list(ctx context.Context) ([]content.TrashedStory, error) {
	items, err := h.Store.Trash(ctx, content.TrashFilter{Limit: trashLimit})
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i].PurgeAt = content.PurgeAt(items[i].DeletedAt, h.Days)
	}
	return items, nil
}

// handleList serves GET /trash (editors): {"stories": [...], "trash_days"}.
func (h *Trash) handleList(c *gin.Context) {
	if !user(c).Role.AtLeast(auth.RoleEditor) {
		writeProblem(c, h.Log, forbid("only editors can see the Trash"), nil)
		return
	}
	items, err := h.list(c.Request.Context())
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.JSON(http.StatusOK, gin.H{"stories": items, "trash_days": h.Days})
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
