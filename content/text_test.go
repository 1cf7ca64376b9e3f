package content

import (
	"fmt"
	"strings"
	"testing"
)

func TestInvisibleCharactersAreStripped(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a zero-width space inside a word goes", "Poli\u200btics", "Politics"},
		{"a zero-width non-joiner between Latin letters goes", "Poli\u200ctics", "Politics"},
		{"a zero-width joiner between Latin letters goes", "Poli\u200dtics", "Politics"},
		{"a word joiner goes", "Poli\u2060tics", "Politics"},
		{"a byte order mark goes", "\ufeffPolitics", "Politics"},
		{"a soft hyphen goes", "Poli\u00adtics", "Politics"},
		{"the Hangul filler goes", "Politics\u3164", "Politics"},
		{"the Hangul choseong and jungseong fillers go", "Po\u115fli\u1160tics", "Politics"},
		{"the halfwidth Hangul filler goes", "\uffa0Politics", "Politics"},
		{"tag characters go", "Poli\U000E0041\U000E007Ftics", "Politics"},
		{"an invisible times goes", "2\u20622", "22"},
		{"the Mongolian vowel separator goes", "Poli\u180etics", "Politics"},
		{"a combining grapheme joiner goes", "Poli\u034ftics", "Politics"},
		{"the blank braille pattern goes", "\u2800Politics\u2800", "Politics"},
		{"a run of invisible characters goes", "A\u200b\u200c\u200d\u2060\ufeffB", "AB"},
		{"invisible characters between words leave one space", "World \u200b Cup", "World Cup"},
		{"a headline of invisible characters only becomes empty", "\u200b\u3164\u00ad\ufeff", ""},
		{"a Persian non-joiner between Arabic letters stays", "می\u200cخواهم", "می\u200cخواهم"},
		{"a Devanagari joiner after a virama stays", "क्\u200dष", "क्\u200dष"},
		{"an emoji joiner sequence stays", "👩\u200d💻 coders", "👩\u200d💻 coders"},
		{"an emoji joiner after a skin tone stays", "👩🏽\u200d💻", "👩🏽\u200d💻"},
		{"an emoji joiner after a variation selector stays", "🏳\ufe0f\u200d🌈", "🏳\ufe0f\u200d🌈"},
		{"a joiner between an emoji and a letter goes", "🔥\u200dx", "🔥x"},
		{"a non-joiner between emoji goes", "👩\u200c💻", "👩💻"},
		{"a joiner between Arabic and Latin goes", "ب\u200dx", "بx"},
		{"a joiner at the end goes", "می\u200c", "می"},
		{"right-to-left marks stay", "\u200fשלום 2026", "\u200fשלום 2026"},
		{"variation selectors stay", "❤\ufe0f", "❤\ufe0f"},
		{"text without invisible characters is untouched", "Café — «Москва»", "Café — «Москва»"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := line(tt.in); got != tt.want {
				t.Errorf("line(%+q) = %+q, want %+q", tt.in, got, tt.want)
			}
		})
	}
}

// TestEditsAreStrippedOfInvisibleCharacters checks where the rule applies
// to a story: every plain-text field and the slug, not the body.
func TestEditsAreStrippedOfInvisibleCharacters(t *testing.T) {
	zw := "\u200b"
	e := Edit{
		Slug:       "poli" + zw + "tics",
		Headline:   "Poli" + zw + "tics today",
		Standfirst: "Lead\u00ad line\n\nand" + zw + " more",
		Dateline:   Dateline{Place: "MOS\u2060COW"},
		Body:       "Code: `a" + zw + "b`",
		Byline:     "By Ann" + zw + " Lee",
		Photos:     []Photo{{URL: "/media/a.jpg", Caption: "Har\ufeffbour", Credit: "© Ann\u3164 Lee", Alt: "A\u200d ship"}},
		Links:      []RelatedLink{{Title: "Ti" + zw + "tle", URL: "https://example.org/"}},
		Tags:       []string{"Politics", "Poli" + zw + "tics", "poli\u00adtics ", "Poli\U000E0020tics", zw},
		SEO:        SEO{MetaTitle: "Meta" + zw, MetaDescription: zw + "Desc"},
	}
	e.Normalize("UTC")
	checks := []struct{ field, got, want string }{
		{"slug", e.Slug, "politics"},
		{"headline", e.Headline, "Politics today"},
		{"standfirst", e.Standfirst, "Lead line\n\nand more"},
		{"dateline.place", e.Dateline.Place, "MOSCOW"},
		{"body", e.Body, "Code: `a" + zw + "b`"},
		{"byline", e.Byline, "By Ann Lee"},
		{"photos[0].caption", e.Photos[0].Caption, "Harbour"},
		{"photos[0].credit", e.Photos[0].Credit, "© Ann Lee"},
		{"photos[0].alt", e.Photos[0].Alt, "A ship"},
		{"related_links[0].title", e.Links[0].Title, "Title"},
		{"seo.meta_title", e.SEO.MetaTitle, "Meta"},
		{"seo.meta_description", e.SEO.MetaDescription, "Desc"},
		{"tags", strings.Join(e.Tags, "|"), "Politics"},
	}
	for _, c := range checks {
		t.Run("after normalizing, "+c.field+" reads "+c.want, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
			}
		})
	}
	if err := e.Validate(); err != nil {
		t.Errorf("the stripped edit is refused: %v", err)
	}
}

func TestHeadlinesNeedAVisibleCharacter(t *testing.T) {
	tests := []struct {
		name, headline string
		ok             bool
	}{
		{"a headline of zero-width spaces is refused", "\u200b\u200b", false},
		{"a headline of Hangul fillers is refused", "\u3164\u3164", false},
		{"a headline of tag characters is refused", "\U000E0041\U000E0042", false},
		{"a headline of a soft hyphen and a byte order mark is refused", "\u00ad\ufeff", false},
		{"a headline of only a variation selector is refused", "\ufe0f", false},
		{"a headline of only combining marks is refused", "\u0301\u0308", false},
		{"a headline of only a right-to-left mark is refused", "\u200f", false},
		{"a headline of one emoji is accepted", "🔥", true},
		{"a headline of one digit is accepted", "7", true},
		{"a headline with an invisible character and a letter is accepted", "\u200bA", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Edit{Headline: tt.headline}
			e.Normalize("UTC")
			err := e.Validate()
			if tt.ok {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			fields := ErrorFields(err)
			if len(fields) != 1 || fields[0].Field != "headline" {
				t.Errorf("err = %v, want one problem naming headline", err)
			}
		})
	}
}

func TestTagAndMediaTextsAreStrippedOfInvisibleCharacters(t *testing.T) {
	t.Run("a tag name with a zero-width space has the slug of the plain name", func(t *testing.T) {
		name := "Poli\u200btics"
		te := TagEdit{Name: &name}
		if err := te.Normalize(true); err != nil {
			t.Fatal(err)
		}
		if *te.Name != "Politics" || Slugify(*te.Name) != "politics" {
			t.Errorf("name %q, slug %q", *te.Name, Slugify(*te.Name))
		}
	})
	t.Run("a tag name of invisible characters only is required", func(t *testing.T) {
		name := "\u200b\u3164"
		te := TagEdit{Name: &name}
		if f := ErrorFields(te.Normalize(true)); len(f) != 1 || f[0].Field != "name" {
			t.Errorf("fields %+v, want name", f)
		}
	})
	t.Run("a tag slug with a zero-width space is the plain slug", func(t *testing.T) {
		name, slug, desc := "Politics", "poli\u200btics", "About\u2060 politics"
		te := TagEdit{Name: &name, Slug: &slug, Description: &desc}
		if err := te.Normalize(true); err != nil || *te.Slug != "politics" || *te.Description != "About politics" {
			t.Errorf("slug %q, description %q, err %v", *te.Slug, *te.Description, err)
		}
	})
	t.Run("media texts with invalid UTF-8 are refused by field", func(t *testing.T) {
		caption, credit, alt := "Har\u200bbour \xff", "Ann\xc0\xaf", "\xed\xa0\x80"
		u := MediaUpdate{Caption: &caption, Credit: &credit, Alt: &alt}
		var got []string
		for _, f := range ErrorFields(u.Validate()) {
			got = append(got, f.Field)
		}
		if strings.Join(got, " ") != "caption credit alt" {
			t.Errorf("fields %v, want caption, credit and alt", got)
		}
	})
	t.Run("media caption, credit and alt lose their invisible characters", func(t *testing.T) {
		caption, credit, alt := "Har\u200bbour", "©\u00ad Ann", "\ufeffA ship"
		u := MediaUpdate{Caption: &caption, Credit: &credit, Alt: &alt}
		if err := u.Validate(); err != nil || *u.Caption != "Harbour" || *u.Credit != "© Ann" || *u.Alt != "A ship" {
			t.Errorf("%q %q %q %v", *u.Caption, *u.Credit, *u.Alt, err)
		}
	})
}

func TestSlugsIgnoreInvisibleAndFormatCharacters(t *testing.T) {
	for _, in := range []string{"Poli\u200btics", "Poli\u200ctics", "Poli\u200dtics", "Poli\u00adtics", "Poli\u2060tics",
		"\ufeffPolitics", "Poli\u3164tics", "Poli\U000E0041tics", "Poli\u200etics", "Poli\u034ftics"} {
		t.Run(fmt.Sprintf("%+q slugs as politics", in), func(t *testing.T) {
			if got := Slugify(in); got != "politics" {
				t.Errorf("Slugify(%q) = %q, want politics", in, got)
			}
		})
	}
}
