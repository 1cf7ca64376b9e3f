package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// hookProblem is an RFC 9457 problem details body with a stable code and,
// for validation errors, the fields at fault.
type hookProblem struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail,omitempty"`
	Code   string               `json:"code"`
	Errors []content.FieldError `json:"errors,omitempty"`
}

// hookStatusOf maps a domain error code to an HTTP status: the one place
// the webhook and schedule handlers decide statuses for errors.
func hookStatusOf(code string) int {
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
	default:
		return http.StatusInternalServerError
	}
}

// hookWriteProblem writes err as problem JSON and aborts the request.
// Unexpected errors are logged once and answered without internals.
func hookWriteProblem(c *gin.Context, log *slog.Logger, err error) {
	code := content.ErrorCode(err)
	status := hookStatusOf(code)
	if status == http.StatusInternalServerError {
		if log == nil {
			log = slog.Default()
		}
		log.ErrorContext(c.Request.Context(), "admin request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "1")
	}
	c.Header("Cache-Control", "no-store")
	b, _ := json.Marshal(hookProblem{
		Type:   "https://dateline.dev/problems/" + code,
		Title:  http.StatusText(status),
		Status: status,
		Detail: content.ErrorMessage(err),
		Code:   code,
		Errors: content.ErrorFields(err),
	})
	c.Data(status, "application/problem+json", b)
	c.Abort()
}

// hookRequire lets a request through only when an authenticated user of at
// least role is on it: 401 without a user, 403 with too low a role. It
// does not authenticate; the authentication middleware runs before it.
func hookRequire(role auth.Role, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, ok := auth.UserFrom(c)
		if !ok {
			hookWriteProblem(c, log, content.Errorf(content.EUNAUTHORIZED, "log in first"))
			return
		}
		if !u.Role.AtLeast(role) {
			hookWriteProblem(c, log, content.Errorf(content.EFORBIDDEN, "only an %s or above may do this", role))
			return
		}
		c.Next()
	}
}

// hookDecode reads one JSON object from the request body into v: at most
// 64 KiB, no unknown fields, no trailing data; every fault is a validation
// error naming the field.
func hookDecode(c *gin.Context, v any) error {
	body := http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	bad := func(field, format string, args ...any) error {
		var p content.Problems
		p.Add(field, format, args...)
		return p.Err()
	}
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var maxErr *http.MaxBytesError
		switch {
		case errors.As(err, &typeErr):
			return bad(typeErr.Field, "must be a JSON %s", typeErr.Type.Kind())
		case errors.As(err, &maxErr):
			return bad("body", "must be at most %d bytes", maxErr.Limit)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return bad(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "is not a field of this request")
		case errors.Is(err, io.EOF):
			return bad("body", "must be a JSON object")
		default:
			return bad("body", "is not valid JSON: %v", err)
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return bad("body", "must hold one JSON object and nothing after it")
	}
	return nil
}

// hookLimit parses an optional limit query parameter.
func hookLimit(c *gin.Context, def, maxLimit int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || n < 1 || n > maxLimit || fmt.Sprint(n) != v {
		var p content.Problems
		p.Add("limit", "must be a whole number between 1 and %d", maxLimit)
		return 0, p.Err()
	}
	return n, nil
}
