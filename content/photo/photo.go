// Package photo turns uploaded image files into what Dateline stores and
// serves. Probe reads a file's format, size and decoding cost from its
// header without decoding it; a Budget admits decoding only within a
// memory limit; Clean decodes a file and encodes its pixels again, so that
// no metadata, comment, private chunk or appended payload survives; a Spec
// makes renditions (widths, and crops around a focal point, in JPEG and
// WebP) from decoded pixels.
//
// The package does no HTTP and keeps no state between calls. Errors that
// describe the file are *content.Error values with the code EINVALID and
// the field "file" (or ErrUnsupported for a format it does not take), so
// that callers can show them as they are.
package photo

import (
	"errors"
	"fmt"

	"dateline/content"
)

// Format is an image format Dateline stores.
type Format string

// The formats uploads may have. Renditions are JPEG and WebP.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// ContentType is the format's media type.
func (f Format) ContentType() string { return "image/" + string(f) }

// Ext is the file name extension of the format, with its dot.
func (f Format) Ext() string {
	if f == JPEG {
		return ".jpg"
	}
	return "." + string(f)
}

// FormatOf returns the format whose media type is contentType.
func FormatOf(contentType string) (Format, bool) {
	for _, f := range []Format{JPEG, PNG, GIF, WebP} {
		if f.ContentType() == contentType {
			return f, true
		}
	}
	return "", false
}

// Limits bound what is decoded at all. The zero value takes the defaults.
type Limits struct {
	MaxSide   int   // pixels on each side; default DefaultMaxSide
	MaxPixels int64 // pixels of the image, and of all GIF frames together; default DefaultMaxPixels
	MaxFrames int   // frames of a GIF; default DefaultMaxFrames
}

// The default limits.
const (
	DefaultMaxSide   = 12000
	DefaultMaxPixels = 50_000_000
	DefaultMaxFrames = 500
)

func (l Limits) withDefaults() Limits {
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultMaxSide
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxFrames <= 0 {
		l.MaxFrames = DefaultMaxFrames
	}
	return l
}

// ErrUnsupported is wrapped by the error for a file that is none of the
// accepted formats (SVG, HTML, PDF, ...), whatever its name says.
var ErrUnsupported = errors.New("only JPEG, PNG, WebP and GIF images are accepted (the file's content is none of them)")

// Invalid returns the error for a file that cannot be taken: EINVALID, with
// the field "file" and the formatted reason.
func Invalid(format string, args ...any) error {
	return &content.Error{Code: content.EINVALID, Message: "invalid image",
		Fields: []content.FieldError{{Field: "file", Message: fmt.Sprintf(format, args...)}}}
}
