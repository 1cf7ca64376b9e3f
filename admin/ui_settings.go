package admin

import (
	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// Setting is one line of the Settings page: a config key, its value as the
// server runs with it, and where that value came from.
type Setting struct {
	Key    string // the config.yaml key, e.g. "site_name"
	Label  string // what it is, in words
	Value  string // "" shows as "not set"
	Source string // e.g. "config file config.yaml", "environment DATELINE_SITE_NAME", "default"
	Env    string // the environment variable that overrides it
	Hint   string // what it does, in a sentence
	// Change, when set, says how the value is changed instead of "Key in
	// config.yaml, or Env" (a value derived from another setting).
	Change string
}

// handleSettings shows the newsroom's settings and where each comes from
// (admins). The page is read-only: settings are read at start, and the
// page says how to change them.
func (p *Pages) handleSettings(c *gin.Context) {
	if !user(c).Role.AtLeast(auth.RoleAdmin) {
		p.ui.fail(c, content.Errorf(content.EFORBIDDEN, "Only admins can see the settings."))
		return
	}
	p.ui.render(c, "settings", "Settings", "settings", p.settings)
}
