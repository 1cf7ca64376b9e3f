package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// Problem is an RFC 9457 problem details body with a stable code, the
// fields at fault for validation errors, and for conflicts what the client
// needs to recover: the story's current state or the lock that blocks it.
type Problem struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail,omitempty"`
	Code   string               `json:"code"`
	Errors []content.FieldError `json:"errors,omitempty"`
	// Current is the story as it is now, on a version conflict.
	Current *articleJSON `json:"current,omitempty"`
	// Lock says who is editing, when a live edit lock blocks the request.
	Lock *content.EditLock `json:"lock,omitempty"`
	// SavedBy says who saved the newer version, on a version conflict.
	SavedBy *savedBy `json:"saved_by,omitempty"`
}

// savedBy is who saved the version a save ran into: a user id and name
// (empty when unknown), and whether it was the requester themselves, in
// another tab or window.
type savedBy struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	You  bool   `json:"you"`
}

// Codes this package adds to content's for request bodies.
const (
	codeTooLarge    = "too_large"              // body over its limit: 413
	codeUnsupported = "unsupported_media_type" // upload of a refused type: 415
	codeCancelled   = "cancelled"              // the client left before the answer: 499
)

// statusClientClosed is the status logged for a request whose client went
// away before it was answered (nginx's 499); nobody receives it.
const statusClientClosed = 499

// statusOf maps a domain error code to an HTTP status: the one place this
// package decides statuses for errors. A live edit lock held by someone else
// is a 409 Conflict (not 423), like a stale version: both mean "reload and
// try again", and both carry what the client needs in the body.
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
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge
	case codeUnsupported:
		return http.StatusUnsupportedMediaType
	case codeCancelled:
		return statusClientClosed
	default:
		return http.StatusInternalServerError
	}
}

// problem writes err as problem JSON and aborts the request. Unexpected
// errors are logged once and answered without internals.
func (api *API) problem(c *gin.Context, err error) {
	api.problemWith(c, err, nil)
}

// problemWith is problem with the story's current state attached, for
// version conflicts.
func (api *API) problemWith(c *gin.Context, err error, current *articleJSON) {
	writeProblem(c, api.Log, err, current)
}

// writeProblem writes err as problem JSON and aborts the request: the one
// place this package turns errors into statuses. Authentication errors of
// package auth become 401 and 403, an oversized body 413; unexpected errors
// are logged once and answered without internals. current, if not nil, is
// the story's state to send with a version conflict.
func writeProblem(c *gin.Context, log *slog.Logger, err error, current *articleJSON) {
	code := content.ErrorCode(err)
	detail := content.ErrorMessage(err)
	var tooBig *http.MaxBytesError
	var badToken *auth.TokenError
	switch {
	case errors.As(err, &badToken):
		code, detail = content.EUNAUTHORIZED, auth.InvalidTokenMessage
	case errors.As(err, &tooBig):
		code, detail = codeTooLarge, fmt.Sprintf("the request body is larger than %d bytes", tooBig.Limit)
	case code == content.EINTERNAL && errors.Is(err, auth.ErrUnauthenticated):
		code, detail = content.EUNAUTHORIZED, err.Error()
	case code == content.EINTERNAL && errors.Is(err, auth.ErrForbidden):
		code, detail = content.EFORBIDDEN, err.Error()
	case code == content.EINTERNAL && errors.Is(err, auth.ErrHashingBusy):
		code, detail = content.EUNAVAILABLE, "too many password checks at once; try again in a moment"
	case code == content.EINTERNAL && content.DiskFull(err):
		code, detail = content.EUNAVAILABLE, content.MsgDiskFull
	case c.Request.Context().Err() != nil && (code == content.EUNAVAILABLE || errors.Is(err, context.Canceled)):
		// The client has gone: nobody waits for the answer, and the
		// request log calls the request cancelled, not failed.
		code, detail = codeCancelled, "the client closed the request"
	}
	status := statusOf(code)
	switch status {
	case http.StatusInternalServerError:
		if log == nil {
			log = slog.Default()
		}
		log.ErrorContext(c.Request.Context(), "admin request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	case http.StatusServiceUnavailable:
		c.Header("Retry-After", "1")
		if content.DiskFull(err) {
			if log == nil {
				log = slog.Default()
			}
			log.ErrorContext(c.Request.Context(), "disk full", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		}
	case http.StatusUnauthorized:
		c.Header("WWW-Authenticate", `Bearer realm="dateline"`)
	}
	p := Problem{
		Type:    "https://dateline.dev/problems/" + code,
		Title:   statusTitle(status),
		Status:  status,
		Detail:  detail,
		Code:    code,
		Errors:  content.ErrorFields(err),
		Current: current,
	}
	var locked *content.LockedError
	if errors.As(err, &locked) {
		p.Lock = &locked.Lock
		p.Current = nil
	}
	var stale *content.StaleVersion
	if errors.As(err, &stale) {
		p.SavedBy = &savedBy{ID: stale.SavedBy, Name: stale.SavedByName, You: stale.ByYou()}
	}
	b, merr := json.Marshal(p)
	if merr != nil {
		log.ErrorContext(c.Request.Context(), "encode problem", "err", merr)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "application/problem+json", b)
	c.Abort()
}

// statusTitle is the problem title for status.
func statusTitle(status int) string {
	if status == statusClientClosed {
		return "Client Closed Request"
	}
	return http.StatusText(status)
}

// forbid is a 403 that says why.
func forbid(msg string) error { return content.Errorf(content.EFORBIDDEN, "%s", msg) }
