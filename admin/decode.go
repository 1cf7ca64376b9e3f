package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// MaxJSONBody is the largest JSON request body the admin API reads.
const MaxJSONBody = 2 << 20

// decodeJSON reads the request body, at most MaxJSONBody bytes, into v with
// decodeStrict's rules.
func decodeJSON(c *gin.Context, v any) error {
	return decodeBody(c, v, MaxJSONBody, false)
}

// decodeBody reads the request body, at most limit bytes, into v with
// decodeStrict's rules. With optional, an empty body leaves v as it is.
func decodeBody(c *gin.Context, v any, limit int64, optional bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
	if err != nil {
		return jsonError(err)
	}
	if optional && len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return decodeBytes(body, v)
}

// decodeStrict decodes exactly one JSON value from r into v: the one strict
// decoder every JSON body of this package goes through. Unknown fields,
// anything after the value, syntax errors, values of the wrong type,
// invalid UTF-8, and what checkKeys refuses (a key twice in one object, also
// when the two differ only in case; a key that matches a field only when
// case is ignored; lone surrogate escapes; deep nesting) are validation
// errors (EINVALID) that name the field at fault, or, when no field is at
// fault (not JSON, not UTF-8, trailing data), name none and say what is
// wrong with the request body (invalidBody); a body over its size limit is
// codeTooLarge.
func decodeStrict(r io.Reader, v any) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return jsonError(err)
	}
	return decodeBytes(body, v)
}

// decodeBytes is decodeStrict on a body already read.
func decodeBytes(body []byte, v any) error {
	if !utf8.Valid(body) {
		return invalidBody(fmt.Sprintf("is not valid UTF-8 (at byte %d)", invalidUTF8At(body)))
	}
	if err := checkKeys(body, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return invalidBody("must hold one JSON value and nothing after it")
	}
	return nil
}

// invalidUTF8At returns the offset of the first byte of b that is not part
// of valid UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// jsonError turns a decoding error into a validation error naming the field.
func jsonError(err error) error {
	var (
		tooBig    *http.MaxBytesError
		syntax    *json.SyntaxError
		wrongType *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooBig):
		return tooLarge(tooBig.Limit)
	case errors.Is(err, io.EOF):
		return invalidBody("is required: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidBody("ends in the middle of a JSON value")
	case errors.As(err, &syntax):
		return invalidBody(fmt.Sprintf("is not valid JSON (at byte %d)", syntax.Offset))
	case errors.As(err, &wrongType):
		return invalid(jsonField(wrongType.Field), fmt.Sprintf("must be %s, not %s", kindOf(wrongType.Type), wrongType.Value))
	}
	if name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok {
		name = strings.TrimSuffix(name, `"`)
		if name == "" || len(name) > 100 {
			return invalidBody("has a field this request does not know")
		}
		return invalid(name, "is not a field of this request")
	}
	return invalidBody("is not a valid request: " + err.Error())
}

// jsonField turns the decoder's path ("Edit.photos.credit") into the JSON
// field path ("photos.credit"): Go names of embedded structs are dropped.
func jsonField(path string) string {
	var parts []string
	for _, p := range strings.Split(path, ".") {
		if p == "" || unicode.IsUpper([]rune(p)[0]) {
			continue
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ".")
}

// kindOf describes a Go type in JSON words.
func kindOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

// invalid returns a validation error naming one field; the field "" (the
// top level of the body) is the body as a whole, see invalidBody.
func invalid(field, message string) error {
	if field == "" {
		return invalidBody(message)
	}
	return &content.Error{Code: content.EINVALID, Message: "invalid request",
		Fields: []content.FieldError{{Field: field, Message: message}}}
}

// invalidBody returns a validation error about the request body as a
// whole: no field is at fault, so none is named (a field "body" would read
// as a story's markdown body), and the detail says what is wrong, e.g.
// "the request body is not valid JSON (at byte 12)".
func invalidBody(message string) error {
	return &content.Error{Code: content.EINVALID, Message: "the request body " + message}
}

// tooLarge returns the error for a body over limit bytes.
func tooLarge(limit int64) error {
	return &content.Error{Code: codeTooLarge, Message: fmt.Sprintf("the request body is larger than %d bytes", limit)}
}
