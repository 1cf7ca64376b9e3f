// Package textsearch is the text analysis of full-text search: it cuts text
// into words, folds each word (lower case, diacritics removed) and stems it
// with a Snowball stemmer, the same way for the stories it indexes and the
// queries readers type, and it cuts the snippets shown with search hits
// from the original text. It holds no storage; the stores index the terms
// it makes.
package textsearch

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// version changes whenever the terms an Analyzer makes from the same text
// change, so that stores rebuild their index (Analyzer.ID).
const version = "1"

// Analyzer turns text into search terms. It is safe for concurrent use.
//
// Every word is folded (Fold) and then stemmed by the stemmer of its
// script: Cyrillic words by the Russian stemmer, Latin words by the
// stemmer of the newsroom's language when that language is written in
// Latin and has one (English, French, Spanish, Swedish, Norwegian,
// Hungarian), else by the English one when the newsroom writes in a
// language of another script (a Russian newsroom's English names); words of
// other scripts, and Latin words of a Latin language without a stemmer,
// are folded only.
type Analyzer struct {
	id    string
	latin func(string, bool) string // nil: fold only

	mu   sync.Mutex
	memo map[string]string // folded word → term
}

// memoSize bounds the memo of stems; it is emptied when full. A newsroom's
// vocabulary of frequent words fits many times over.
const memoSize = 1 << 16

// New returns the analyzer of a newsroom language, a BCP 47 tag such as
// "en", "en-GB" or "ru" (case-insensitive); "" is English.
func New(language string) *Analyzer {
	tag := strings.ToLower(strings.TrimSpace(language))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if tag == "" {
		tag = "en"
	}
	a := &Analyzer{id: tag + "." + version, memo: make(map[string]string)}
	switch tag {
	case "en":
		a.latin = english.Stem
	case "fr":
		a.latin = french.Stem
	case "es":
		a.latin = spanish.Stem
	case "sv":
		a.latin = swedish.Stem
	case "no", "nb", "nn":
		a.latin = norwegian.Stem
	case "hu":
		a.latin = hungarian.Stem
	case "ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg":
		a.latin = english.Stem // a Cyrillic newsroom's Latin words are mostly English
	}
	return a
}

// ID names the analysis: the language it stems and the version of its
// rules. An index built under another ID must be rebuilt.
func (a *Analyzer) ID() string { return a.id }

// IsWordRune reports whether r belongs to a word: letters, digits and
// combining marks (content.ParseQuery cuts queries by the same rule).
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Words calls fn with the byte offsets of every word of text, in order.
// Invalid UTF-8 separates words.
func Words(text string, fn func(start, end int)) {
	words_(text, func(start, end int) bool { fn(start, end); return true })
}

// Term returns the search term of one word: folded and stemmed. A word
// that folds to nothing (combining marks alone) has the term "".
func (a *Analyzer) Term(word string) string {
	return a.stem(Fold(word))
}

// AppendTerms appends the terms of text's words to dst, each followed by
// one space, and returns the extended buffer: the text a store indexes,
// one term per word in order, so that phrase positions survive.
func (a *Analyzer) AppendTerms(dst []byte, text string) []byte {
	var fold []byte
	Words(text, func(start, end int) {
		fold = appendFold(fold[:0], text[start:end])
		if len(fold) == 0 {
			return
		}
		dst = append(dst, a.stemBytes(fold)...)
		dst = append(dst, ' ')
	})
	return dst
}

// Terms returns the terms of text's words in order.
func (a *Analyzer) Terms(text string) []string {
	return strings.Fields(string(a.AppendTerms(nil, text)))
}

// stem stems a folded word by its script.
func (a *Analyzer) stem(folded string) string {
	if folded == "" {
		return ""
	}
	return a.stemBytes([]byte(folded))
}

func (a *Analyzer) stemBytes(folded []byte) string {
	a.mu.Lock()
	t, ok := a.memo[string(folded)]
	a.mu.Unlock()
	if ok {
		return t
	}
	w := string(folded)
	t = w
	switch script(w) {
	case cyrillic:
		t = russian.Stem(w, true)
	case latin:
		if a.latin != nil {
			t = a.latin(w, true)
		}
	}
	if t == "" { // a stemmer never empties a word, but an empty term would vanish from the index
		t = w
	}
	a.mu.Lock()
	if len(a.memo) >= memoSize {
		clear(a.memo)
	}
	a.memo[w] = t
	a.mu.Unlock()
	return t
}

type scriptKind int

const (
	other scriptKind = iota
	latin
	cyrillic
)

// script is the script of a folded word's first letter.
func script(w string) scriptKind {
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' {
				return latin
			}
		case unicode.Is(unicode.Cyrillic, r):
			return cyrillic
		case unicode.Is(unicode.Latin, r):
			return latin
		case unicode.IsLetter(r):
			return other
		}
	}
	return other
}
