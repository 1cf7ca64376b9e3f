package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/auth/authgin"
	"dateline/content"
)

// errorData is what the error page shows.
type errorData struct {
	Status  int
	Heading string
	Message string
}

// errorPage renders the admin layout's error page for err with its
// status: 404 for a missing story or page, 403 for a forbidden one, 500
// (logged) for anything unexpected. It never shows an empty story list.
func (ui *UI) errorPage(c *gin.Context, err error) {
	status := statusOf(content.ErrorCode(err))
	d := errorData{Status: status, Message: content.ErrorMessage(err)}
	switch status {
	case http.StatusNotFound:
		d.Heading = "Not found"
		d.Message = "This story does not exist, or it was deleted. Deleted stories are in the Trash until they are purged."
	case http.StatusForbidden:
		d.Heading = "Not allowed"
		if d.Message == "" {
			d.Message = "Your role does not allow this page."
		}
	case http.StatusBadRequest, http.StatusConflict:
		d.Heading = "This cannot be shown"
	case http.StatusServiceUnavailable:
		d.Heading = "Not available right now"
	default:
		ui.Log.ErrorContext(c.Request.Context(), "admin page failed", "path", c.Request.URL.Path, "err", err)
		status, d.Status = http.StatusInternalServerError, http.StatusInternalServerError
		d.Heading = "Something went wrong"
		d.Message = "Something went wrong on the server. Your saved work is safe; please reload the page."
	}
	ui.renderStatus(c, status, "error", d.Heading, "", d)
}

// NotFoundPage answers a request for an admin page that does not exist
// with the 404 page in the admin layout; the server's NoRoute handler
// calls it for paths under /admin. With a session the page has the
// navigation; without one it links to the login page.
func (h *Handler) NotFoundPage(c *gin.Context) {
	ui := h.ui
	if ck, err := c.Request.Cookie(authgin.AccessCookie); err == nil && ck.Value != "" {
		if u, err := ui.Sessions.UserForToken(c.Request.Context(), ck.Value); err == nil {
			authgin.WithUser(c, u)
		}
	}
	ui.renderStatus(c, http.StatusNotFound, "error", "Page not found", "", errorData{Status: http.StatusNotFound,
		Heading: "Page not found", Message: "There is no admin page at this address. It may have moved, or the link may be mistyped."})
}
