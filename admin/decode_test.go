package admin

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dateline/content"
)

type decodeTarget struct {
	Version *int   `json:"version"`
	Note    string `json:"note"`
	content.Edit
}

func TestDecodeStrict(t *testing.T) {
	cases := []struct {
		name, body string
		field      string // "" means success
	}{
		{"a well-formed body decodes", `{"version": 3, "headline": "Hi", "photos": [{"credit": "X"}]}`, ""},
		{"trailing whitespace is fine", "{\"version\": 3}\n\t ", ""},
		{"an unknown field is refused by name", `{"version": 1, "headlnie": "typo"}`, "headlnie"},
		{"an unknown nested field is refused by name", `{"photos": [{"credit": "X", "creditt": "Y"}]}`, "creditt"},
		{"a second value after the first is refused", `{"version": 1} {"version": 2}`, "body"},
		{"trailing garbage is refused", `{"version": 1} x`, "body"},
		{"a string for a number names the field", `{"version": "3"}`, "version"},
		{"a fraction for a whole number names the field", `{"version": 1.5}`, "version"},
		{"a number for a nested string names the path", `{"photos": [{"credit": 7}]}`, "photos.credit"},
		{"an object for an array names the field", `{"tags": {"a": 1}}`, "tags"},
		{"an empty body is refused", ``, "body"},
		{"a truncated body is refused", `{"headline": "Hi"`, "body"},
		{"broken JSON is refused", `{"headline": 'Hi'}`, "body"},
		{"an array for the object is refused", `[1, 2]`, "body"},
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
// validation error naming a field, and never panics.
func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{`{"version": 1}`, `{"photos": [{"credit": 7}]}`, `{"a":1}`, `{} {}`, `[`, `"x"`, `{"tags": ["a", "b"]}`, `{"version": 1e400}`, "\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v decodeTarget
		err := decodeStrict(bytes.NewReader(b), &v)
		if err == nil {
			return
		}
		if content.ErrorCode(err) != content.EINVALID {
			t.Fatalf("err = %v (%s), want a validation error", err, content.ErrorCode(err))
		}
		fields := content.ErrorFields(err)
		if len(fields) != 1 || fields[0].Field == "" || fields[0].Message == "" {
			t.Fatalf("fields = %+v, want one named field with a message", fields)
		}
	})
}
