package admin

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth is the deepest nesting of objects and arrays a request body
// may have. No request of the admin API nests deeper than a few levels.
const maxJSONDepth = 64

// checkKeys refuses what encoding/json would accept silently in body, a
// JSON value to be decoded into a value of type t: a key that appears twice
// in one object, also when the two differ only in case (encoding/json
// matches struct fields case-insensitively, and the last one would win); a
// key that matches a field of t only when case is ignored ("HEADLINE" for
// "headline"); nesting deeper than maxJSONDepth; and \u escapes that are half
// of a UTF-16 surrogate pair (decoded as U+FFFD). Keys of maps are compared
// exactly, since a map keeps "a" and "A" apart. Errors are validation errors
// naming the key by its path ("photos[1].credit"). It does not check the
// syntax: on a syntax error it returns nil and leaves the decoder to report
// it. body must be valid UTF-8. It reads body once, without decoding
// anything but the keys.
func checkKeys(body []byte, t reflect.Type) error {
	k := keyScan{b: body, fields: map[reflect.Type]map[string]reflect.Type{}}
	err := k.value(t, "", 0)
	if errors.Is(err, errSyntax) {
		return nil
	}
	return err
}

// errSyntax stops the scan when it meets a syntax error; the decoder
// reports it to the client later. It is never modified.
var errSyntax = errors.New("json syntax error")

// keyScan walks one JSON text beside the Go type it is to be decoded into.
type keyScan struct {
	b      []byte
	i      int                                      // the next byte to read
	fields map[reflect.Type]map[string]reflect.Type // fieldsOf, remembered per type
}

// space skips white space.
func (k *keyScan) space() {
	for k.i < len(k.b) {
		switch k.b[k.i] {
		case ' ', '\t', '\n', '\r':
			k.i++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte without reading it, or
// 0 at the end.
func (k *keyScan) next() byte {
	k.space()
	if k.i >= len(k.b) {
		return 0
	}
	return k.b[k.i]
}

// value scans the next value, to be decoded into t (nil: unknown), found at
// path.
func (k *keyScan) value(t reflect.Type, path string, depth int) error {
	if depth >= maxJSONDepth {
		return invalidBody(fmt.Sprintf("nests objects and arrays deeper than %d levels", maxJSONDepth))
	}
	switch k.next() {
	case '{':
		k.i++
		return k.object(t, path, depth)
	case '[':
		k.i++
		return k.array(t, path, depth)
	case '"':
		_, err := k.str(orBody(path), false)
		return err
	case 0, ',', ':', ']', '}':
		return errSyntax
	}
	// A number, true, false or null: the decoder checks which.
	start := k.i
	for k.i < len(k.b) && !strings.ContainsRune(" \t\n\r,:[]{}\"", rune(k.b[k.i])) {
		k.i++
	}
	if k.i == start {
		return errSyntax
	}
	return nil
}

// array scans the elements of an array whose "[" was just read.
func (k *keyScan) array(t reflect.Type, path string, depth int) error {
	if k.next() == ']' {
		k.i++
		return nil
	}
	elem := elemOf(t)
	for n := 0; ; n++ {
		if err := k.value(elem, fmt.Sprintf("%s[%d]", path, n), depth+1); err != nil {
			return err
		}
		switch k.next() {
		case ',':
			k.i++
		case ']':
			k.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// object scans the members of an object whose "{" was just read.
func (k *keyScan) object(t reflect.Type, path string, depth int) error {
	var (
		fields map[string]reflect.Type // the struct's JSON names, when t is a struct
		elem   reflect.Type            // the element type, when t is a map
		exact  bool                    // keys are compared exactly (maps)
	)
	switch t = deref(t); {
	case t == nil || opaque(t):
	case t.Kind() == reflect.Struct:
		fields = k.fieldsOf(t)
	case t.Kind() == reflect.Map:
		elem, exact = t.Elem(), true
	}
	if k.next() == '}' {
		k.i++
		return nil
	}
	seen := map[string]string{} // folded (or exact) key -> key as sent
	for {
		if k.next() != '"' {
			return errSyntax
		}
		key, err := k.str(orBody(path), true)
		if err != nil {
			return err
		}
		if k.next() != ':' {
			return errSyntax
		}
		k.i++
		at := key
		if path != "" {
			at = path + "." + key
		}
		id := key
		if !exact {
			id = foldKey(key)
		}
		if prev, dup := seen[id]; dup {
			if key == "" {
				return invalidKey(orBody(path), `has the empty key "" twice: send each field once`)
			}
			if prev == key {
				return invalidKey(at, "appears twice in one object: send each field once")
			}
			return invalidKey(at, fmt.Sprintf("repeats %q (the names differ only in case): send each field once, spelled as documented", prev))
		}
		seen[id] = key
		ft := elem
		if fields != nil {
			var known bool
			if ft, known = fields[key]; !known {
				if name, ok := foldedName(fields, key); ok {
					return invalidKey(at, fmt.Sprintf("is not a field of this request (names are case-sensitive): did you mean %q?", name))
				}
				// An unknown field: the decoder refuses it by name.
			}
		}
		if err := k.value(ft, at, depth+1); err != nil {
			return err
		}
		switch k.next() {
		case ',':
			k.i++
		case '}':
			k.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// str reads the string at k.i (its opening quote) and, with decode, returns
// its value. A \u escape that is half of a surrogate pair without the other
// half is a validation error naming field.
func (k *keyScan) str(field string, decode bool) (string, error) {
	start := k.i
	escaped := false
	for k.i++; k.i < len(k.b); k.i++ {
		switch c := k.b[k.i]; {
		case c == '"':
			k.i++
			raw := k.b[start:k.i]
			if !decode {
				return "", nil
			}
			if !escaped {
				return string(raw[1 : len(raw)-1]), nil
			}
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				return "", errSyntax
			}
			return v, nil
		case c < 0x20:
			return "", errSyntax
		case c == '\\':
			escaped = true
			if n := k.surrogate(); n < 0 {
				return "", invalidKey(field, fmt.Sprintf("has half of a UTF-16 surrogate pair in a \\u escape (at byte %d)", k.i))
			} else {
				k.i += n
			}
		}
	}
	return "", errSyntax
}

// surrogate looks at the escape at k.i (a backslash) and returns how many
// bytes after the backslash it takes: 1 for most, 5 for \uXXXX, 11 for a
// surrogate pair; -1 for half of a pair.
func (k *keyScan) surrogate() int {
	b := k.b[k.i:]
	if len(b) < 2 || b[1] != 'u' {
		return 1
	}
	r := hex4(b[2:])
	switch {
	case r < 0:
		return 1 // not an escape the decoder takes
	case !utf16.IsSurrogate(r):
		return 5
	case r >= 0xDC00: // a low half first
		return -1
	case len(b) >= 12 && b[6] == '\\' && b[7] == 'u':
		if lo := hex4(b[8:]); lo >= 0xDC00 && lo <= 0xDFFF {
			return 11
		}
	}
	return -1
}

// invalidKey is invalid naming the key at path, or the body when the path
// is too long to be a useful field name.
func invalidKey(path, message string) error {
	if len(path) > 200 {
		return invalidBody("has a field that " + message)
	}
	return invalid(path, message)
}

// orBody returns path; the top level ("") stands for the body as a whole
// (see invalid).
func orBody(path string) string { return path }

// fieldsOf returns the JSON names of struct type t's fields with their
// types, as encoding/json resolves them: exported fields under their tag
// name or Go name, fields of embedded structs promoted, a name of a
// shallower struct hiding the same name deeper down, "-" left out.
func (k *keyScan) fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := k.fields[t]; ok {
		return f
	}
	out := map[string]reflect.Type{}
	visited := map[reflect.Type]bool{}
	for level := []reflect.Type{t}; len(level) > 0; {
		var next []reflect.Type
		found := map[string]reflect.Type{}
		for _, st := range level {
			if visited[st] {
				continue
			}
			visited[st] = true
			for i := range st.NumField() {
				sf := st.Field(i)
				embedded := deref(sf.Type)
				if !sf.IsExported() && !(sf.Anonymous && embedded.Kind() == reflect.Struct) {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				if name == "" && sf.Anonymous && embedded.Kind() == reflect.Struct {
					next = append(next, embedded)
					continue
				}
				if name == "" {
					name = sf.Name
				}
				if _, hidden := out[name]; !hidden {
					if _, first := found[name]; !first {
						found[name] = sf.Type
					}
				}
			}
		}
		for name, ft := range found {
			out[name] = ft
		}
		level = next
	}
	k.fields[t] = out
	return out
}

// foldedName returns the field name that key matches when case is ignored.
func foldedName(fields map[string]reflect.Type, key string) (string, bool) {
	folded := foldKey(key)
	for name := range fields {
		if foldKey(name) == folded {
			return name, true
		}
	}
	return "", false
}

// foldKey folds s the way encoding/json does when it matches a key to a
// field: ASCII letters to upper case, every other rune to the smallest rune
// of its case-folding orbit (so "ſ" matches "s" and the Kelvin sign "k").
func foldKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z':
			r -= 'a' - 'A'
		case r >= utf8.RuneSelf:
			for {
				r2 := unicode.SimpleFold(r)
				if r2 <= r {
					r = r2
					break
				}
				r = r2
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// deref returns t without pointers; nil stays nil.
func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// opaque reports whether t decodes itself, so its JSON shape is its own.
func opaque(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(reflect.TypeFor[json.Unmarshaler]()) || p.Implements(reflect.TypeFor[encoding.TextUnmarshaler]())
}

// elemOf returns the element type of a slice or array type t, else nil.
func elemOf(t reflect.Type) reflect.Type {
	t = deref(t)
	if t == nil || opaque(t) {
		return nil
	}
	if k := t.Kind(); k == reflect.Slice || k == reflect.Array {
		return t.Elem()
	}
	return nil
}

// hex4 returns the value of the four hex digits at the start of b, or -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}
