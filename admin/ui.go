package admin

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
	"dateline/static"
)

//go:embed templates/*.html
var templateFiles embed.FS

// UIStore is what the admin app's pages read. Every write goes through the
// JSON API from the browser, so pages and scripts share one set of rules.
type UIStore interface {
	Articles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, error)
	Article(ctx context.Context, f content.ArticleFilter) (*content.Article, error)
	WorkingCopy(ctx context.Context, id string) (content.WorkingCopy, error)
	WithWorkingCopies(ctx context.Context, ids []string) (map[string]bool, error)
	Revisions(ctx context.Context, id string) ([]content.Revision, error)
	Tags(ctx context.Context, f content.TagFilter) ([]content.Tag, error)
	Lock(ctx context.Context, articleID string) (content.EditLock, error)
	MediaItems(ctx context.Context, f content.MediaFilter) ([]content.Media, error)
	MediaItem(ctx context.Context, id string) (content.Media, error)
	MediaUses(ctx context.Context, id string) ([]content.MediaUse, error)
	MediaUsesOf(ctx context.Context, ids []string) (map[string][]content.MediaUse, error)
	ExternalPhotos(ctx context.Context, query string, limit int) ([]content.ExternalPhoto, error)
	Users(ctx context.Context) ([]auth.User, error)
	APIKeys(ctx context.Context, f auth.APIKeyFilter) ([]auth.APIKey, error)
}

// Sessions turns the access cookie into a user.
type Sessions interface {
	UserForToken(ctx context.Context, raw string) (auth.User, error)
}

// ScheduleSource reports the scheduler's view for the schedule page.
type ScheduleSource interface {
	Health(ctx context.Context) (content.ScheduleHealth, error)
}

// UI serves the admin app's pages under /admin.
type UI struct {
	Store    UIStore
	Sessions Sessions
	Schedule ScheduleSource // may be nil
	Assets   *static.Assets
	SiteName string
	Zone     *time.Location
	Clock12  bool // times 12-hour ("6:46 PM"), else 24-hour ("18:46")
	Log      *slog.Logger
	// Notes and LiveURL add to the story list the reason a story was
	// sent back and where readers find a published one (ui_list.go);
	// NewHandler sets them.
	Notes   ReviewNoteStore
	LiveURL func(slug string) string
	// Now returns the current time; NewUI sets time.Now.
	Now   func() time.Time
	pages map[string]*template.Template
}

// NewUI parses the embedded templates once. They are compiled into the
// binary, so a parse error is a defect of the build, caught by every test
// that builds the router: it panics, like template.Must.
func NewUI(store UIStore, sessions Sessions, assets *static.Assets, siteName string, zone *time.Location, clock12 bool, log *slog.Logger) *UI {
	ui := &UI{Store: store, Sessions: sessions, Assets: assets, SiteName: siteName, Zone: zone, Clock12: clock12, Log: log, Now: time.Now, pages: map[string]*template.Template{}}
	funcs := template.FuncMap{
		"asset":  assets.URL,
		"local":  ui.local,
		"utc":    func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"status": statusText,
		"join":   strings.Join,
	}
	for _, name := range slices.Concat([]string{"login", "setup", "list", "editor", "revisions", "tags", "media", "media_item", "schedule", "users", "apikeys"}, morePages()) {
		ui.pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html"))
	}
	return ui
}

// requireSession puts the cookie's user on the request or redirects to the
// login page, which renews an expired session from the refresh cookie.
func (ui *UI) requireSession(c *gin.Context) {
	ck, err := c.Request.Cookie(authgin.AccessCookie)
	if err == nil && ck.Value != "" {
		if u, err := ui.Sessions.UserForToken(c.Request.Context(), ck.Value); err == nil {
			authgin.WithUser(c, u)
			c.Next()
			return
		}
	}
	c.Redirect(http.StatusSeeOther, "/admin/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
	c.Abort()
}

// page is what every template gets.
type page struct {
	Title   string
	Site    string
	Nav     string
	User    auth.User
	Zone    string
	Clock   string // "h23" or "h12": the hour cycle scripts show times in
	Data    any
	Flash   string
	CanEdit bool // editor or above
	IsAdmin bool
}

func (ui *UI) render(c *gin.Context, name, title, nav string, data any) {
	ui.renderStatus(c, http.StatusOK, name, title, nav, data)
}

// renderStatus is render answering with status.
func (ui *UI) renderStatus(c *gin.Context, status int, name, title, nav string, data any) {
	u, _ := authgin.UserFrom(c)
	clock := "h23"
	if ui.Clock12 {
		clock = "h12"
	}
	p := page{Title: title, Site: ui.SiteName, Nav: nav, User: u, Zone: ui.Zone.String(), Clock: clock, Data: data,
		CanEdit: u.Role.AtLeast(auth.RoleEditor), IsAdmin: u.Role.AtLeast(auth.RoleAdmin)}
	var b strings.Builder
	if err := ui.pages[name].ExecuteTemplate(&b, "layout", p); err != nil {
		ui.Log.ErrorContext(c.Request.Context(), "render admin page", "page", name, "err", err)
		c.String(http.StatusInternalServerError, "The page could not be shown. Please reload.")
		return
	}
	c.Header("Cache-Control", "no-store")
	writeHTML(c, status, []byte(b.String()), compressPage(c, name))
}

// fail shows the error page (ui_errors.go) in words an editor
// understands, with the status err maps to.
func (ui *UI) fail(c *gin.Context, err error) { ui.errorPage(c, err) }

// newsroomTime shows t in zone on the newsroom's clock: "2 Jan 2006 15:04",
// or with clock12 "2 Jan 2006 3:04 PM". Every time the app shows, on its
// pages and in its API's *_local fields, is written so.
func newsroomTime(t time.Time, zone *time.Location, clock12 bool) string {
	if clock12 {
		return t.In(zone).Format("2 Jan 2006 3:04 PM")
	}
	return t.In(zone).Format("2 Jan 2006 15:04")
}

// local shows an instant (a time.Time or *time.Time; zero or nil: "") in
// the newsroom's zone and clock: "2 Jan 2006 15:04" or "2 Jan 2006 3:04 PM".
func (ui *UI) local(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return newsroomTime(v, ui.Zone, ui.Clock12)
	case *time.Time:
		if v == nil {
			return ""
		}
		return newsroomTime(*v, ui.Zone, ui.Clock12)
	}
	return ""
}

// statusText is a status as the admin app shows it, in words.
func statusText(s content.Status) string {
	switch s {
	case content.StatusDraft:
		return "Draft"
	case content.StatusInReview:
		return "In review"
	case content.StatusScheduled:
		return "Scheduled"
	case content.StatusPublished:
		return "Published"
	case content.StatusUnpublished:
		return "Withdrawn"
	}
	return string(s)
}
