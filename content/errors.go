package content

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// Error codes are stable strings an HTTP layer maps to statuses and puts in
// problem details as "code".
const (
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"     // stale version or illegal state change
	EINVALID      = "invalid"      // validation failed
	EFORBIDDEN    = "forbidden"    // authenticated but not allowed
	EUNAUTHORIZED = "unauthorized" // not authenticated
	EINTERNAL     = "internal"
	EUNAVAILABLE  = "unavailable" // busy or locked storage; retry later
	ETOOMANY      = "rate_limited"
)

// Sentinel errors for errors.Is checks. Errors returned by this module wrap
// one of them or are an *Error.
var (
	ErrNotFound  = &Error{Code: ENOTFOUND, Message: "not found"}
	ErrConflict  = &Error{Code: ECONFLICT, Message: "conflict"}
	ErrForbidden = &Error{Code: EFORBIDDEN, Message: "forbidden"}
)

// Error is a domain error with a stable code, a message for people and, for
// validation, the fields at fault.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError names one invalid field and why.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrNotFound) true for any *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// EINTERNAL for anything else (and "" for nil).
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message that reveals nothing internal.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// MsgDiskFull tells people that a write failed because the disk is full.
const MsgDiskFull = "the disk is full; nothing was saved"

// DiskFull reports whether err is or wraps the operating system's "no space
// left on device" (ENOSPC) or "disk quota exceeded" (EDQUOT). HTTP layers
// answer such errors as EUNAVAILABLE with MsgDiskFull: retry once an
// operator has made room.
func DiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// ErrorFields returns the field errors of a validation error, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors; Err returns nil when there are none.
type Problems []FieldError

// Add records that field is invalid.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns a validation *Error with the collected fields, or nil.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "validation failed", Fields: p}
}
