package content

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a full-text query.
const (
	MaxQueryLength = 200 // bytes of the raw query
	MaxQueryTerms  = 12  // words over all phrases
	MinPrefixRunes = 2   // letters before a trailing *
)

// Phrase is one part of a full-text query: a single word, or several words
// that must appear next to each other in this order. Words are lower case
// letters and digits only. With Prefix, the last word matches any word that
// starts with it ("harb*").
type Phrase struct {
	Words  []string
	Prefix bool
}

// ParseQuery turns what a reader typed into the phrases of a full-text
// search; every phrase must match. Bare words are phrases of one word;
// text in double quotes is one phrase (an unclosed quote runs to the end);
// a word ending in * is a prefix. Punctuation separates words, as it does
// in the index, so "harbour-council" is the phrase "harbour council" and
// nothing the reader types can become search syntax. An empty, too long or
// too broad query is a validation error on field "q".
func ParseQuery(q string) ([]Phrase, error) {
	bad := func(msg string) error {
		return &Error{Code: EINVALID, Message: "invalid search", Fields: []FieldError{{Field: "q", Message: msg}}}
	}
	if len(q) > MaxQueryLength {
		return nil, bad("must be at most 200 characters")
	}
	if !utf8.ValidString(q) {
		return nil, bad("must be UTF-8 text")
	}
	var (
		out   []Phrase
		terms int
	)
	add := func(text string, quoted bool) error {
		ph := Phrase{}
		for _, field := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || (!quoted && r == '"') }) {
			prefix := strings.HasSuffix(field, "*")
			words := strings.FieldsFunc(strings.ToLower(field), func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
			})
			if len(words) == 0 {
				continue
			}
			if prefix && utf8.RuneCountInString(words[len(words)-1]) < MinPrefixRunes {
				return bad("a word ending in * needs at least 2 letters before the *")
			}
			if quoted {
				ph.Words = append(ph.Words, words...)
				ph.Prefix = prefix
				continue
			}
			out = append(out, Phrase{Words: words, Prefix: prefix})
			terms += len(words)
		}
		if quoted && len(ph.Words) > 0 {
			out = append(out, ph)
			terms += len(ph.Words)
		}
		return nil
	}
	rest := q
	for rest != "" {
		open := strings.IndexByte(rest, '"')
		if open < 0 {
			if err := add(rest, false); err != nil {
				return nil, err
			}
			break
		}
		if err := add(rest[:open], false); err != nil {
			return nil, err
		}
		rest = rest[open+1:]
		end := strings.IndexByte(rest, '"')
		if end < 0 {
			end = len(rest)
		}
		if err := add(rest[:end], true); err != nil {
			return nil, err
		}
		rest = rest[min(end+1, len(rest)):]
	}
	if len(out) == 0 {
		return nil, bad("must contain at least one word")
	}
	if terms > MaxQueryTerms {
		return nil, bad("must have at most 12 words")
	}
	return out, nil
}
