package delivery

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// Problem is an RFC 9457 problem details body with a stable code and, for
// validation errors, the fields at fault.
type Problem struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail,omitempty"`
	Code   string               `json:"code"`
	Errors []content.FieldError `json:"errors,omitempty"`
}

// codeCancelled is the code of a request whose client went away before it
// was answered; it is logged with statusClientClosed (nginx's 499), which
// nobody receives.
const (
	codeCancelled      = "cancelled"
	statusClientClosed = 499
)

// statusOf maps a domain error code to an HTTP status: the one place this
// package decides statuses for errors.
func statusOf(code string) int {
	switch code {
	case content.ENOTFOUND:
		return http.StatusNotFound
	case content.EINVALID:
		return http.StatusBadRequest
	case content.ECONFLICT:
		return http.StatusConflict
	case content.EFORBIDDEN:
		return http.StatusForbidden
	case content.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case content.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case content.ETOOMANY:
		return http.StatusTooManyRequests
	case codeCancelled:
		return statusClientClosed
	default:
		return http.StatusInternalServerError
	}
}

// problem writes err as problem JSON and aborts the request. Unexpected
// errors are logged once and answered without internals.
func (api *API) problem(c *gin.Context, err error) {
	code, detail := content.ErrorCode(err), content.ErrorMessage(err)
	switch {
	case code == content.EINTERNAL && content.DiskFull(err):
		code, detail = content.EUNAVAILABLE, content.MsgDiskFull
	case c.Request.Context().Err() != nil && (code == content.EUNAVAILABLE || errors.Is(err, context.Canceled)):
		// The client has gone: nobody waits for the answer, and the
		// request log calls the request cancelled, not failed.
		code, detail = codeCancelled, "the client closed the request"
	}
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		api.Log.ErrorContext(c.Request.Context(), "delivery request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "1")
		if content.DiskFull(err) {
			api.Log.ErrorContext(c.Request.Context(), "disk full", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		}
	}
	p := Problem{
		Type:   "https://dateline.dev/problems/" + code,
		Title:  statusTitle(status),
		Status: status,
		Detail: detail,
		Code:   code,
		Errors: content.ErrorFields(err),
	}
	c.Header("Cache-Control", "no-store")
	c.Render(status, problemRender{p})
	c.Abort()
}

// problemRender writes a Problem with the application/problem+json type.
type problemRender struct{ p Problem }

func (r problemRender) Render(w http.ResponseWriter) error {
	r.WriteContentType(w)
	return encodeJSON(w, r.p)
}

func (r problemRender) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/problem+json")
}

// statusTitle is the problem title for status.
func statusTitle(status int) string {
	if status == statusClientClosed {
		return "Client Closed Request"
	}
	return http.StatusText(status)
}
