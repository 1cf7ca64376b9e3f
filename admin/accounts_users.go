package admin

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
)

// Who may manage whom: an admin manages everyone; an editor manages
// contributors and authors and grants at most the author role; nobody else
// manages anyone. Everyone may edit their own name and bio and change their
// own password. The store refuses any change that would leave no active
// admin.

// acctMayManage reports whether actor may change target's role, active
// flag or password.
func acctMayManage(actor, target auth.User) bool {
	switch actor.Role {
	case auth.RoleAdmin:
		return true
	case auth.RoleEditor:
		return !target.Role.AtLeast(auth.RoleEditor)
	}
	return false
}

// acctMayGrant reports whether actor may give someone role r.
func acctMayGrant(actor auth.User, r auth.Role) bool {
	switch actor.Role {
	case auth.RoleAdmin:
		return true
	case auth.RoleEditor:
		return !r.AtLeast(auth.RoleEditor)
	}
	return false
}

// acctManagesAnyone reports whether actor may manage any user but
// themselves: contributors and authors manage nobody.
func acctManagesAnyone(actor auth.User) bool { return actor.Role.AtLeast(auth.RoleEditor) }

func acctForbid(msg string) error { return content.Errorf(content.EFORBIDDEN, "%s", msg) }

// acctForbidOthers is the answer to a change of another user the actor may
// not manage; it is the same whether or not that user exists.
func acctForbidOthers() error {
	return acctForbid("you may not change this user: an editor manages contributors and authors only")
}

func (h *Accounts) handleUserList(c *gin.Context) {
	us, err := h.Store.Users(c.Request.Context())
	if err != nil {
		h.Problem(c, err)
		return
	}
	out := make([]acctUserJSON, len(us))
	for i, u := range us {
		out[i] = acctUser(u)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"users": out})
}

func (h *Accounts) handleUserCreate(c *gin.Context) {
	actor, _ := authgin.UserFrom(c)
	var req struct {
		Email    string    `json:"email"`
		Name     string    `json:"name"`
		Bio      string    `json:"bio"`
		Role     auth.Role `json:"role"`
		Password string    `json:"password"` // empty: one is generated and returned once
	}
	if err := decodeBody(c, &req, acctMaxBody, false); err != nil {
		h.Problem(c, err)
		return
	}
	if req.Role == "" {
		h.Problem(c, invalid("role", "is required: contributor, author, editor or admin"))
		return
	}
	if req.Role.Valid() && !acctMayGrant(actor, req.Role) {
		h.Problem(c, acctForbid("an editor may create contributors and authors only"))
		return
	}
	generated := req.Password == ""
	hash, err := h.passwordHash(c.Request.Context(), &req.Password)
	if err != nil {
		h.Problem(c, err)
		return
	}
	u, err := h.Store.CreateUser(c.Request.Context(), auth.User{Email: req.Email, Name: req.Name, Bio: req.Bio, Role: req.Role, PasswordHash: hash})
	if err != nil {
		h.Problem(c, err)
		return
	}
	h.Log.InfoContext(c.Request.Context(), "user created", "user", u.ID, "role", u.Role, "by", actor.ID)
	resp := gin.H{"user": acctUser(u)}
	if generated {
		resp["password"] = req.Password
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, resp)
}

func (h *Accounts) handleUserUpdate(c *gin.Context) {
	actor, _ := authgin.UserFrom(c)
	id, err := pathID(c, "id")
	if err != nil {
		h.Problem(c, err)
		return
	}
	var req struct {
		Name   *string    `json:"name"`
		Bio    *string    `json:"bio"`
		Role   *auth.Role `json:"role"`
		Active *bool      `json:"active"`
	}
	if err := decodeBody(c, &req, acctMaxBody, false); err != nil {
		h.Problem(c, err)
		return
	}
	if id != actor.ID && !acctManagesAnyone(actor) {
		// Answered before the user is looked up, so that probing ids
		// tells a contributor or author nothing about who exists.
		h.Problem(c, acctForbidOthers())
		return
	}
	upd := auth.UserUpdate{Name: req.Name, Bio: req.Bio, Role: req.Role, Active: req.Active}
	upd.Check = func(cur auth.User) error {
		profileOnly := req.Role == nil && req.Active == nil
		if cur.ID == actor.ID && profileOnly {
			return nil
		}
		if !acctMayManage(actor, cur) {
			if cur.ID == actor.ID {
				return acctForbid("you may change your own name and bio only")
			}
			return acctForbidOthers()
		}
		if req.Role != nil && req.Role.Valid() && !acctMayGrant(actor, *req.Role) {
			return acctForbid("an editor may grant the contributor and author roles only")
		}
		return nil
	}
	u, err := h.Store.UpdateUser(c.Request.Context(), id, upd)
	if err != nil {
		h.Problem(c, err)
		return
	}
	h.Log.InfoContext(c.Request.Context(), "user updated", "user", u.ID, "by", actor.ID)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"user": acctUser(u)})
}

// handleUserPassword sets a user's password: one's own with the current
// password, or, for a manager, anyone's they may manage. Without a new
// password one is generated and returned once. Every token of the user is
// revoked, so a user who changes their own password logs in again, and so
// are the user's API keys unless the request says keep_api_keys: true.
func (h *Accounts) handleUserPassword(c *gin.Context) {
	actor, _ := authgin.UserFrom(c)
	var req struct {
		Password        string `json:"password"`
		CurrentPassword string `json:"current_password"`
		KeepAPIKeys     bool   `json:"keep_api_keys"`
	}
	if err := decodeBody(c, &req, acctMaxBody, false); err != nil {
		h.Problem(c, err)
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		h.Problem(c, err)
		return
	}
	self := id == actor.ID
	if !self && !actor.Role.AtLeast(auth.RoleEditor) {
		h.Problem(c, acctForbid("you may change your own password only"))
		return
	}
	if self {
		if !h.throttle(c, actor.Email) {
			return
		}
		ok, err := h.Passwords.Verify(c.Request.Context(), actor.PasswordHash, req.CurrentPassword)
		if err != nil {
			h.Problem(c, err)
			return
		}
		if !ok {
			h.Problem(c, invalid("current_password", "is wrong"))
			return
		}
	}
	generated := req.Password == ""
	hash, err := h.passwordHash(c.Request.Context(), &req.Password)
	if err != nil {
		h.Problem(c, err)
		return
	}
	u, err := h.Store.UpdateUser(c.Request.Context(), id, auth.UserUpdate{PasswordHash: &hash, KeepAPIKeys: req.KeepAPIKeys, Check: func(cur auth.User) error {
		if cur.ID != actor.ID && !acctMayManage(actor, cur) {
			return acctForbid("you may not set this user's password")
		}
		return nil
	}})
	if err != nil {
		h.Problem(c, err)
		return
	}
	h.Log.InfoContext(c.Request.Context(), "password changed", "user", u.ID, "by", actor.ID, "api_keys_kept", req.KeepAPIKeys)
	resp := gin.H{"user": acctUser(u)}
	if generated {
		resp["password"] = req.Password
	}
	if self {
		clearCookies(c)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, resp)
}

// passwordHash hashes *pw, first filling it with a generated password when
// it is empty (the caller shows that password once).
func (h *Accounts) passwordHash(ctx context.Context, pw *string) (string, error) {
	if *pw == "" {
		generated, err := auth.GeneratePassword()
		if err != nil {
			return "", err
		}
		*pw = generated
	}
	return h.hashPassword(ctx, *pw)
}
