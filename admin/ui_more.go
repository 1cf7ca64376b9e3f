package admin

// Pages serves the admin pages beyond stories, tags and media: webhooks,
// settings and the Trash, and the error pages of the admin layout.
type Pages struct {
	ui       *UI
	trash    *Trash
	hooks    WebhookStore
	settings []Setting
}

// morePages are the templates of the pages in Pages (webhooks, settings,
// the Trash) and the error page; NewUI parses them with the others.
func morePages() []string { return []string{"webhooks", "settings", "trash", "error"} }
