package textsearch

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns a word in lower case without diacritics, so that "Café",
// "cafe" and "CAFÉ" are one word: letters of the Latin, Greek and Cyrillic
// scripts lose their combining marks (é → e, ё → е, ά → α), except the
// breve of the Cyrillic й, which is a letter of its own; ligatures and
// letters with a stroke that do not decompose are spelled out (ß → ss,
// æ → ae, ø → o, ł → l). Marks on letters of other scripts are kept: they
// are vowels there, not accents.
func Fold(word string) string {
	return string(appendFold(nil, word))
}

// appendFold appends the folded word to dst.
func appendFold(dst []byte, word string) []byte {
	ascii := true
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(word); i++ {
			c := word[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	start := len(dst)
	kept := false      // a mark was kept: recompose at the end (и + breve is й)
	var base rune = -1 // the last letter appended, for the marks after it
	var it norm.Iter
	it.InitString(norm.NFD, word)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			if r == utf8.RuneError && size <= 1 {
				continue
			}
			if unicode.Is(unicode.Mn, r) {
				if base >= 0 && strippable(base, r) {
					continue
				}
				dst = utf8.AppendRune(dst, r)
				kept = true
				continue
			}
			r = unicode.ToLower(r)
			base = r
			if s, ok := spelled[r]; ok {
				dst = append(dst, s...)
				continue
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
	if kept {
		composed := norm.NFC.Bytes(dst[start:])
		dst = append(dst[:start], composed...)
	}
	return dst
}

// strippable reports whether the combining mark m on base is a diacritic
// that folding removes.
func strippable(base, m rune) bool {
	if base == 'и' && m == '\u0306' { // й
		return false
	}
	return base < utf8.RuneSelf || unicode.In(base, unicode.Latin, unicode.Greek, unicode.Cyrillic)
}

// spelled are the letters NFD leaves whole that folding spells out.
var spelled = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'ł': "l",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŀ': "l", 'ĸ': "k",
}
