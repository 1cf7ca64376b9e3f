package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// acctMaxBody is the largest request body the account endpoints read.
const acctMaxBody = 1 << 20

// acctProblemJSON is an RFC 9457 problem details body, the shape of the
// delivery API's problems.
type acctProblemJSON struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail,omitempty"`
	Code   string               `json:"code"`
	Errors []content.FieldError `json:"errors,omitempty"`
}

// Problem writes err as problem JSON and aborts the request: the one place
// the account endpoints (and the authentication middleware) decide statuses
// for errors. Unexpected errors are logged once and answered without
// internals.
func (h *Accounts) Problem(c *gin.Context, err error) {
	code := content.ErrorCode(err)
	detail := content.ErrorMessage(err)
	var tooBig *http.MaxBytesError
	var status int
	switch {
	case errors.As(err, &tooBig):
		status, code, detail = http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the request body is larger than %d bytes", acctMaxBody)
	case code == content.EINTERNAL && errors.Is(err, auth.ErrUnauthenticated):
		status, code, detail = http.StatusUnauthorized, content.EUNAUTHORIZED, err.Error()
	case code == content.EINTERNAL && errors.Is(err, auth.ErrForbidden):
		status, code, detail = http.StatusForbidden, content.EFORBIDDEN, err.Error()
	default:
		status = acctStatus(code)
	}
	switch status {
	case http.StatusInternalServerError:
		h.Log.ErrorContext(c.Request.Context(), "admin request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	case http.StatusServiceUnavailable:
		c.Header("Retry-After", "1")
	case http.StatusUnauthorized:
		c.Header("WWW-Authenticate", `Bearer realm="dateline"`)
	}
	c.Header("Cache-Control", "no-store")
	b, mErr := json.Marshal(acctProblemJSON{
		Type: "https://dateline.dev/problems/" + code, Title: http.StatusText(status), Status: status,
		Detail: detail, Code: code, Errors: content.ErrorFields(err),
	})
	if mErr != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Data(status, "application/problem+json", b)
	c.Abort()
}

// acctStatus maps a domain error code to an HTTP status.
func acctStatus(code string) int {
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

// acctDecode reads the request body (at most acctMaxBody bytes) as one JSON
// object into v. Unknown fields, wrong types, trailing data and malformed
// JSON fail with EINVALID naming the field where there is one; an empty
// body is an error unless optional is true (then v stays as it is).
func acctDecode(c *gin.Context, v any, optional bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, acctMaxBody))
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return acctInvalid("", "the body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return acctInvalid(typeErr.Field, "must be a JSON "+acctKind(typeErr.Type.Kind().String()))
		case errors.As(err, &typeErr):
			return acctInvalid("", "the body must be a JSON object")
		case errors.As(err, &syntaxErr):
			return acctInvalid("", fmt.Sprintf("malformed JSON at byte %d", syntaxErr.Offset))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return acctInvalid(field, "is not a known field")
		default:
			return acctInvalid("", "malformed JSON")
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return acctInvalid("", "unexpected data after the JSON object")
	}
	return nil
}

func acctKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "bool":
		return "boolean (true or false)"
	case "int", "int64", "float64":
		return "number"
	case "slice":
		return "array"
	default:
		return "object"
	}
}

func acctInvalid(field, msg string) error {
	if field == "" {
		return content.Errorf(content.EINVALID, "%s", msg)
	}
	return &content.Error{Code: content.EINVALID, Message: "validation failed",
		Fields: []content.FieldError{{Field: field, Message: msg}}}
}
