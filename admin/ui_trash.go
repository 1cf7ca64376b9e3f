package admin

import (
	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// handleTrash shows the Trash page (editors and admins; others get the
// 403 page). Restoring and purging go through the JSON API.
func (p *Pages) handleTrash(c *gin.Context) {
	if !user(c).Role.AtLeast(auth.RoleEditor) {
		p.ui.fail(c, content.Errorf(content.EFORBIDDEN, "Only editors and admins can see the Trash."))
		return
	}
	cursor := c.Query("cursor")
	page, err := p.trash.list(c.Request.Context(), cursor)
	if err != nil {
		p.ui.fail(c, err)
		return
	}
	p.ui.render(c, "trash", "Trash", "trash", map[string]any{"Stories": page.Stories, "Days": p.trash.Days,
		"Next": page.Next, "Paged": cursor != ""})
}
