package admin

import (
	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
)

// apiKeyRow is one key on the API keys page.
type apiKeyRow struct {
	auth.APIKey
	State      string // active, expired or revoked
	StateLabel string
}

// handleAPIKeys shows the user's API keys (an admin's page shows every
// key, with its owner) and the form that creates one. Creating and
// revoking go through the JSON API, which checks the permissions.
func (ui *UI) handleAPIKeys(c *gin.Context) {
	u, _ := authgin.UserFrom(c)
	f := auth.APIKeyFilter{}
	if u.Role != auth.RoleAdmin {
		f.UserID = &u.ID
	}
	ks, err := ui.Store.APIKeys(c.Request.Context(), f)
	if err != nil {
		ui.fail(c, err)
		return
	}
	now := ui.Now()
	rows := make([]apiKeyRow, len(ks))
	for i, k := range ks {
		st := k.State(now)
		label := map[string]string{auth.APIKeyActive: "Active", auth.APIKeyExpired: "Expired", auth.APIKeyRevoked: "Revoked"}[st]
		rows[i] = apiKeyRow{APIKey: k, State: st, StateLabel: label}
	}
	ui.render(c, "apikeys", "API keys", "apikeys", rows)
}
