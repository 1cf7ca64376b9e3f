package content

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/gosimple/unidecode"
	"golang.org/x/text/unicode/norm"
)

// Slug lengths: Slugify cuts at maxSlugify so that UniqueSlug has room for
// a "-N" suffix within maxSlug, the longest slug ValidSlug accepts.
const (
	maxSlugify = 80
	maxSlug    = 100
)

// Slugify returns a URL-safe slug for s: lowercase ASCII letters, digits
// and single hyphens, with no hyphen at either end and at most 80
// characters, cut at a hyphen where that keeps most of it. Other scripts are
// transliterated ("Москва" gives "moskva", "café" gives "cafe" whether
// composed or decomposed), apostrophes vanish ("Don't" gives "dont") and
// every other run of punctuation, symbols or spaces becomes one hyphen.
//
// The result is "" when s has nothing to transliterate into letters or
// digits (empty, spaces, emoji); callers then fall back to the article id.
// Otherwise it satisfies ValidSlug, and Slugify returns a slug unchanged.
func Slugify(s string) string {
	// NFKC folds composed and decomposed forms, and compatibility forms
	// (ligatures, full-width letters), into one; marks it cannot compose
	// onto a letter, format characters and invisible ones are dropped
	// before transliterating, so that they never split a word.
	s = unidecode.Unidecode(strings.Map(dropMark, norm.NFKC.String(s)))
	var b strings.Builder
	b.Grow(len(s))
	hyphen := false // a hyphen is due before the next letter or digit
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '\'':
			continue
		default:
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteByte(c)
	}
	return truncateSlug(b.String(), maxSlugify)
}

// dropMark is a strings.Map function that removes nonspacing marks,
// format characters (joiners, bidirectional marks, tags) and the other
// invisible characters.
func dropMark(r rune) rune {
	if unicode.In(r, unicode.Mn, unicode.Cf) || isInvisible(r) {
		return -1
	}
	return r
}

// truncateSlug shortens slug to at most n bytes: at its last hyphen within
// them if that keeps more than half, else in the middle of a word. It never
// leaves a trailing hyphen.
func truncateSlug(slug string, n int) string {
	if len(slug) <= n {
		return slug
	}
	if i := strings.LastIndexByte(slug[:n+1], '-'); i > n/2 {
		return slug[:i]
	}
	return strings.TrimRight(slug[:n], "-")
}

// ValidSlug reports whether s is a slug: 1 to 100 characters of a–z and
// 0–9, with single hyphens between them.
func ValidSlug(s string) bool {
	if s == "" || len(s) > maxSlug || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// NormalizeTagName returns name in NFC without invisible characters (see
// text.go), with surrounding white space trimmed and every inner run of
// white space replaced by one space. Two names that normalize alike are the
// same tag; so are two whose Slugify results match ("Politics", "politics "
// and "Poli\u200btics").
func NormalizeTagName(name string) string { return line(name) }

// UniqueSlug returns base if it is not taken, else the first of base-2,
// base-3, … that is not, shortening base (at a hyphen where it can) to keep
// the result within 100 characters (see truncateSlug). When base is a valid slug, so is the
// result. taken is called once per candidate, in that order; UniqueSlug
// loops for as long as it reports true.
func UniqueSlug(base string, taken func(string) bool) string {
	if !taken(base) {
		return base
	}
	for n := 2; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		candidate := truncateSlug(base, maxSlug-len(suffix)) + suffix
		if !taken(candidate) {
			return candidate
		}
	}
}
