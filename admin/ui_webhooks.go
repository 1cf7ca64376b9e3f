package admin

import (
	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// handleWebhooks shows the webhooks page (admins): the form that creates a
// webhook, and each webhook with its recent deliveries, which the page's
// script (static/js/pages.js) loads, tests, retries, turns off and deletes
// through the JSON API.
func (p *Pages) handleWebhooks(c *gin.Context) {
	if !user(c).Role.AtLeast(auth.RoleAdmin) {
		p.ui.fail(c, content.Errorf(content.EFORBIDDEN, "Only admins can manage webhooks."))
		return
	}
	hooks, err := p.hooks.Webhooks(c.Request.Context())
	if err != nil {
		p.ui.fail(c, err)
		return
	}
	p.ui.render(c, "webhooks", "Webhooks", "webhooks", map[string]any{"Hooks": hooks, "Events": content.EventTypes})
}
