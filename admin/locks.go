package admin

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// lockJSON answers the lock endpoints; Lock is null when nobody is editing.
type lockJSON struct {
	Lock *content.EditLock `json:"lock"`
}

// handleLockGet serves GET /articles/:id/lock: who is editing, if anyone.
func (api *API) handleLockGet(c *gin.Context) {
	a, ok := api.story(c, content.ActView)
	if !ok {
		return
	}
	l, err := api.Locks.Lock(c.Request.Context(), a.ID)
	switch {
	case errors.Is(err, content.ErrNotFound):
		c.JSON(http.StatusOK, lockJSON{})
	case err != nil:
		api.problem(c, err)
	default:
		c.JSON(http.StatusOK, lockJSON{Lock: &l})
	}
}

// handleLockAcquire serves POST /articles/:id/lock: the user starts (or
// keeps) editing. Someone else's live lock is a 409 naming them.
func (api *API) handleLockAcquire(c *gin.Context) { api.acquire(c, false) }

// handleLockTakeOver serves POST /articles/:id/lock/takeover (editors):
// the lock passes to the user whoever holds it.
func (api *API) handleLockTakeOver(c *gin.Context) { api.acquire(c, true) }

func (api *API) acquire(c *gin.Context, takeOver bool) {
	act := content.ActEdit
	if takeOver {
		act = content.ActTakeOver
	}
	a, ok := api.story(c, act)
	if !ok {
		return
	}
	l, err := api.Locks.AcquireLock(c.Request.Context(), a.ID, user(c).ID, takeOver)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, lockJSON{Lock: &l})
}

// handleLockHeartbeat serves POST /articles/:id/lock/heartbeat: keeps the
// user's lock alive. A lock that expired or was taken over is a 409.
func (api *API) handleLockHeartbeat(c *gin.Context) {
	a, ok := api.story(c, content.ActEdit)
	if !ok {
		return
	}
	l, err := api.Locks.HeartbeatLock(c.Request.Context(), a.ID, user(c).ID)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, lockJSON{Lock: &l})
}

// handleLockRelease serves DELETE /articles/:id/lock: the user stops
// editing. Editors may also release someone else's lock.
func (api *API) handleLockRelease(c *gin.Context) {
	a, ok := api.story(c, content.ActView)
	if !ok {
		return
	}
	u := user(c)
	if err := api.Locks.ReleaseLock(c.Request.Context(), a.ID, u.ID, u.Role.AtLeast(auth.RoleEditor)); err != nil {
		api.problem(c, err)
		return
	}
	noContent(c)
}
