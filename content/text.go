package content

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The plain-text rule of the newsroom, in one place. Every plain-text field
// (headline, standfirst, dateline place, byline, photo caption, credit and
// alt, link titles, SEO texts, tag names and descriptions, media defaults)
// and every slug is normalized by line or multiline: NFC, and invisible
// characters (isInvisible) stripped, so that "Poli\u200btics" is "Politics"
// and cannot become a second tag. Stripping, not refusing, because the
// person who pasted the text cannot see what to remove; a headline left
// with nothing visible is refused by Validate. The markdown body keeps what
// it was given: code samples and quotes are shown as written, and its HTML
// is escaped anyway.

// line normalizes a single-line text field: NFC, invisible characters
// stripped, trimmed, inner runs of white space collapsed to one space.
func line(s string) string {
	return strings.Join(strings.Fields(stripInvisible(norm.NFC.String(s))), " ")
}

// multiline normalizes a multi-line text field: NFC, invisible characters
// stripped, trimmed.
func multiline(s string) string {
	return strings.TrimSpace(stripInvisible(norm.NFC.String(s)))
}

// isInvisible reports whether r is a character that shows nothing by
// itself and may be stripped from plain text without changing what a
// reader sees: the soft hyphen, zero-width space, joiners and word joiner,
// the byte order mark, invisible operators and deprecated format
// characters, the Hangul fillers and the blank braille pattern (both used
// as "empty" names), the inherent Khmer vowels, the Mongolian vowel
// separator, interlinear annotation marks, shorthand and musical format
// controls, and the tag characters. Bidirectional controls are not
// listed: the overrides and isolates are refused (checkText), and the marks
// (U+200E, U+200F, U+061C) are needed in mixed-direction text. Variation
// selectors are not listed either: they choose how an emoji or an
// ideograph looks.
func isInvisible(r rune) bool {
	switch {
	case r == 0x00AD, // soft hyphen
		r == 0x034F,              // combining grapheme joiner
		r == 0x115F, r == 0x1160, // Hangul choseong and jungseong fillers
		r == 0x17B4, r == 0x17B5, // Khmer inherent vowels
		r == 0x180E,                // Mongolian vowel separator
		0x200B <= r && r <= 0x200D, // zero-width space, non-joiner, joiner
		0x2060 <= r && r <= 0x2065, // word joiner, invisible operators
		0x206A <= r && r <= 0x206F, // deprecated format characters
		r == 0x2800,                // braille pattern blank
		r == 0x3164,                // Hangul filler
		r == 0xFEFF,                // byte order mark, zero-width no-break space
		r == 0xFFA0,                // halfwidth Hangul filler
		0xFFF9 <= r && r <= 0xFFFB, // interlinear annotation
		0x1BCA0 <= r && r <= 0x1BCA3,
		0x1D173 <= r && r <= 0x1D17A,
		0xE0000 <= r && r <= 0xE007F: // tag characters
		return true
	}
	return false
}

// stripInvisible returns s without its invisible characters, except a
// zero-width joiner or non-joiner that shapes the letters on both sides
// (Persian, Arabic and Indic scripts need them) or, for the joiner, one
// that joins two emoji into one ("👩‍💻"). Between Latin letters, or
// anywhere else, they go.
func stripInvisible(s string) string {
	i := strings.IndexFunc(s, isInvisible)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	base := lastBase(s[:i]) // the last rune kept that is not a mark
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if isInvisible(r) {
			next, _ := utf8.DecodeRuneInString(s[i:])
			if !joins(r, base, next) {
				continue
			}
		}
		b.WriteString(s[i-n : i]) // as it was, invalid UTF-8 included
		if !unicode.IsMark(r) {
			base = r
		}
	}
	return b.String()
}

// lastBase returns the last rune of s that is not a mark, or -1.
func lastBase(s string) rune {
	for s != "" {
		r, n := utf8.DecodeLastRuneInString(s)
		if !unicode.IsMark(r) {
			return r
		}
		s = s[:len(s)-n]
	}
	return -1
}

// joins reports whether the joiner or non-joiner r between base and next
// does something: it sits between two letters of a script that shapes with
// it, or (the joiner) between two emoji.
func joins(r, base, next rune) bool {
	switch r {
	case '\u200C':
		return joiningScript(base) && joiningScript(next)
	case '\u200D':
		return (joiningScript(base) && joiningScript(next)) || (emoji(base) && emoji(next))
	}
	return false
}

// joiningScripts are the scripts whose shaping uses the zero-width joiner
// and non-joiner. The table is never modified.
var joiningScripts = []*unicode.RangeTable{
	unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko, unicode.Mandaic,
	unicode.Mongolian, unicode.Phags_Pa, unicode.Manichaean, unicode.Psalter_Pahlavi,
	unicode.Adlam, unicode.Hanifi_Rohingya,
	unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya,
	unicode.Tamil, unicode.Telugu, unicode.Kannada, unicode.Malayalam, unicode.Sinhala,
	unicode.Tibetan, unicode.Myanmar, unicode.Khmer, unicode.Balinese, unicode.Javanese,
}

func joiningScript(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsMark(r)) && unicode.In(r, joiningScripts...)
}

// emoji reports whether r may be part of an emoji joined by U+200D: a
// symbol or a skin tone modifier.
func emoji(r rune) bool {
	return unicode.Is(unicode.So, r) || (0x1F3FB <= r && r <= 0x1F3FF)
}

// visible reports whether s has a character a reader sees: a letter, digit,
// punctuation or symbol (not only spaces, marks or format characters).
func visible(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) && !isInvisible(r)
	}) >= 0
}
