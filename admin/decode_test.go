package admin

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"dateline/content"
)

type decodeTarget struct {
	Version *int              `json:"version"`
	Note    string            `json:"note"`
	Labels  map[string]string `json:"labels"`
	content.Edit
}

// wholeBody marks a case whose error is about the request body as a whole
// and names no field.
const wholeBody = "(the request body)"

func TestDecodeStrict(t *testing.T) {
	cases := []struct {
		name, body string
		field      string // "" means success; wholeBody: no field, the body as a whole
	}{
		{"a well-formed body decodes", `{"version": 3, "headline": "Hi", "photos": [{"credit": "X"}]}`, ""},
		{"trailing whitespace is fine", "{\"version\": 3}\n\t ", ""},
		{"an unknown field is refused by name", `{"version": 1, "headlnie": "typo"}`, "headlnie"},
		{"an unknown nested field is refused by name", `{"photos": [{"credit": "X", "creditt": "Y"}]}`, "creditt"},
		{"a second value after the first is refused", `{"version": 1} {"version": 2}`, wholeBody},
		{"trailing garbage is refused", `{"version": 1} x`, wholeBody},
		{"a string for a number names the field", `{"version": "3"}`, "version"},
		{"a fraction for a whole number names the field", `{"version": 1.5}`, "version"},
		{"a number for a nested string names the path", `{"photos": [{"credit": 7}]}`, "photos.credit"},
		{"an object for an array names the field", `{"tags": {"a": 1}}`, "tags"},
		{"a number for the markdown body names the field body", `{"body": 5}`, "body"},
		{"an empty body is refused", ``, wholeBody},
		{"a truncated body is refused", `{"headline": "Hi"`, wholeBody},
		{"broken JSON is refused", `{"headline": 'Hi'}`, wholeBody},
		{"an array for the object is refused", `[1, 2]`, wholeBody},

		{"a key twice is refused by name", `{"headline": "a", "headline": "b"}`, "headline"},
		{"a key twice with a different case is refused by the second name", `{"headline": "a", "Headline": "b"}`, "Headline"},
		{"an unknown key twice is refused as a repeat", `{"x": 1, "X": 2}`, "X"},
		{"a key that matches a field only ignoring case is refused", `{"HEADLINE": "x"}`, "HEADLINE"},
		{"a key that matches a field only by Unicode folding is refused", `{"ſlug": "x"}`, "ſlug"},
		{"a key of an embedded struct matching only ignoring case is refused", `{"Version": 1}`, "Version"},
		{"a nested key twice is refused by its path", `{"dateline": {"place": "A", "place": "B"}}`, "dateline.place"},
		{"a nested key matching only ignoring case is refused by its path", `{"dateline": {"Place": "A"}}`, "dateline.Place"},
		{"a key twice in an object inside an array names the element", `{"photos": [{"credit": "a"}, {"credit": "b", "CREDIT": "c"}]}`, "photos[1].CREDIT"},
		{"a key matching only ignoring case inside an array names the element", `{"related_links": [{"title": "t"}, {"Title": "t"}]}`, "related_links[1].Title"},
		{"a repeat in an unknown object is refused too", `{"x": {"a": 1, "a": 2}}`, "x.a"},
		{"map keys that differ in case are two keys", `{"labels": {"desk": "a", "Desk": "b"}}`, ""},
		{"a map key twice is refused", `{"labels": {"desk": "a", "desk": "b"}}`, "labels.desk"},
		{"the empty key twice is about the whole body", `{"": 1, "": 2}`, wholeBody},
		{"the empty key twice in a nested object names that object", `{"dateline": {"": 1, "": 2}}`, "dateline"},
		{"the same key in two objects is fine", `{"photos": [{"credit": "a"}, {"credit": "b"}], "dateline": {"place": "X"}}`, ""},
		{"invalid UTF-8 in a value is refused", "{\"headline\": \"Hi \xff\"}", wholeBody},
		{"invalid UTF-8 in a key is refused", "{\"head\xc3line\": \"Hi\"}", wholeBody},
		{"an overlong encoding is refused", "{\"headline\": \"\xc0\xaf\"}", wholeBody},
		{"a lone high surrogate escape is refused by field", `{"headline": "a\ud800b"}`, "headline"},
		{"a lone low surrogate escape is refused by field", `{"headline": "\udc00"}`, "headline"},
		{"a high surrogate at the end of a string is refused by field", `{"headline": "a\uD83D"}`, "headline"},
		{"a high surrogate before another escape is refused by field", `{"headline": "\uD83D\n"}`, "headline"},
		{"a lone surrogate in a nested value names its path", `{"photos": [{"credit": "\udc00"}]}`, "photos[0].credit"},
		{"a lone surrogate in a key names the object", `{"a\ud800": 1}`, wholeBody},
		{"an escaped key that repeats another is refused", `{"headline": "a", "head\u006cine": "b"}`, "headline"},
		{"a surrogate pair escape is fine", `{"headline": "\ud83d\ude00"}`, ""},
		{"an escaped backslash before u is no escape", `{"headline": "C:\\ud800"}`, ""},
		{"nesting deeper than the limit is refused", `{"x": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, wholeBody},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v decodeTarget
			err := decodeStrict(strings.NewReader(tc.body), &v)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if content.ErrorCode(err) != content.EINVALID {
				t.Fatalf("err = %v, want a validation error", err)
			}
			fields := content.ErrorFields(err)
			if tc.field == wholeBody {
				if len(fields) != 0 || !strings.HasPrefix(content.ErrorMessage(err), "the request body ") {
					t.Errorf("fields = %+v, message %q: want no field and a message about the request body", fields, content.ErrorMessage(err))
				}
				return
			}
			if len(fields) != 1 || fields[0].Field != tc.field {
				t.Errorf("fields = %+v, want %q", fields, tc.field)
			}
		})
	}
}

func TestDecodeStrictRefusesOversizeBodies(t *testing.T) {
	big := `{"body": "` + strings.Repeat("a", MaxJSONBody) + `"}`
	body := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(big)), MaxJSONBody)
	err := decodeStrict(body, &decodeTarget{})
	if content.ErrorCode(err) != codeTooLarge {
		t.Fatalf("err = %v, want %s", err, codeTooLarge)
	}
}

// FuzzDecodeStrict checks that any body either decodes or is refused with a
// validation error naming a field, and never panics; what decodes is valid
// UTF-8 and has no two keys in one object that encoding/json would match to
// the same field (checked with the standard tokenizer, not checkKeys).
func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{`{"version": 1}`, `{"photos": [{"credit": 7}]}`, `{"a":1}`, `{} {}`, `[`, `"x"`, `{"tags": ["a", "b"]}`, `{"version": 1e400}`, "\x00",
		`{"headline": "a", "Headline": "b"}`, `{"photos": [{"credit": "a", "CREDIT": "b"}]}`, `{"labels": {"a": "1", "A": "2"}}`,
		"{\"headline\": \"\xff\"}", `{"headline": "\ud800"}`, `[[[[[[[[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v decodeTarget
		err := decodeStrict(bytes.NewReader(b), &v)
		if err == nil {
			if !utf8.Valid(b) {
				t.Fatalf("%q decoded, but it is not valid UTF-8", b)
			}
			if duplicateKey(b) {
				t.Fatalf("%q decoded, but an object has a key twice", b)
			}
			return
		}
		if content.ErrorCode(err) != content.EINVALID {
			t.Fatalf("err = %v (%s), want a validation error", err, content.ErrorCode(err))
		}
		fields := content.ErrorFields(err)
		if len(fields) == 0 && strings.HasPrefix(content.ErrorMessage(err), "the request body ") {
			return // about the body as a whole
		}
		if len(fields) != 1 || fields[0].Field == "" || fields[0].Message == "" {
			t.Fatalf("fields = %+v (%v), want one named field with a message or a message about the request body", fields, err)
		}
	})
}

// BenchmarkDecodeStrict decodes the largest story body the API takes: a
// 500 KB markdown body, 50 photos, 50 links and 20 tags.
func BenchmarkDecodeStrict(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"version": 3, "headline": "Harbour reopens", "body": "`)
	sb.WriteString(strings.Repeat("Ships return to the harbour. ", content.MaxBody/30))
	sb.WriteString(`", "photos": [`)
	for i := range content.MaxPhotos {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`{"url": "https://i.example.org/a.jpg", "caption": "A ship", "credit": "© Ann Lee", "alt": "A ship"}`)
	}
	sb.WriteString(`], "related_links": [`)
	for i := range content.MaxLinks {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`{"kind": "related", "title": "More", "url": "https://e.example.org/"}`)
	}
	sb.WriteString(`], "tags": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"]}`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var v decodeTarget
		if err := decodeStrict(bytes.NewReader(body), &v); err != nil {
			b.Fatal(err)
		}
	}
}

// duplicateKey reports whether an object of the JSON text b has two keys
// that are equal under simple case folding (as encoding/json matches keys to
// fields), or, in the top-level "labels" map, two equal keys.
func duplicateKey(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	var walk func(depth int, exact bool) bool
	walk = func(depth int, exact bool) bool {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'):
			var keys []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return false
				}
				key, _ := kt.(string)
				for _, k := range keys {
					if k == key || (!exact && strings.EqualFold(k, key)) {
						return true
					}
				}
				keys = append(keys, key)
				if walk(depth+1, depth == 0 && key == "labels") {
					return true
				}
			}
		case json.Delim('['):
			for dec.More() {
				if walk(depth+1, false) {
					return true
				}
			}
		}
		return false
	}
	return walk(0, false)
}
