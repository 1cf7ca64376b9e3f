package shape_test

import (
	"testing"

	"dateline/content/shape"
)

func TestParseFormats(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     shape.Formats
		err      bool
	}{
		{"nothing asks for the default shape", "", shape.Formats{}, false},
		{"html is always there", "html", shape.Formats{}, false},
		{"text adds body_text", "text", shape.Formats{Text: true}, false},
		{"pages adds pages", "pages", shape.Formats{Pages: true}, false},
		{"a list adds each, blanks ignored", "pages, text,html", shape.Formats{Text: true, Pages: true}, false},
		{"an unknown value is refused", "text,markdown", shape.Formats{}, true},
		{"values are case-sensitive", "Text", shape.Formats{}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := shape.ParseFormats(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Fatalf("ParseFormats(%q) = %+v, %v", tt.in, got, err)
			}
		})
	}
	t.Run("Query asks for the same formats again", func(t *testing.T) {
		for _, f := range []shape.Formats{{}, {Text: true}, {Pages: true}, {Text: true, Pages: true}} {
			if got, err := shape.ParseFormats(f.Query()); err != nil || got != f {
				t.Errorf("%+v: Query %q parses as %+v, %v", f, f.Query(), got, err)
			}
		}
	})
}
