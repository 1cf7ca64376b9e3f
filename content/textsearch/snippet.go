package textsearch

import (
	"html"
	"strings"
	"sync"
	"unicode/utf8"
)

// Snippet returns the passage of fields (a story's headline, standfirst and
// body, in that order) that best shows why it matched phrases: at most size
// words from one field, the window holding the most distinct phrases,
// earliest first, starting a few words before its first match. The
// matched words are in <mark> elements; everything else is HTML-escaped, so
// the result is HTML-safe whatever the text holds. Cut ends carry "…". A
// story in which no phrase can be found gives the start of its first
// non-empty field, without marks.
//
// Only the words that could match are stemmed (their first bytes agree
// with a term's), and the search stops at the first window holding every
// phrase, so a snippet costs about one pass over the text before it.
func (a *Analyzer) Snippet(fields []string, phrases []Phrase, size int) string {
	if size < 1 {
		size = 1
	}
	s := snippers.Get().(*snipper)
	defer snippers.Put(s)
	s.a, s.phrases, s.size = a, phrases, size
	best := window{field: -1}
	for f, text := range fields {
		w := s.best(text)
		if w.score > best.score {
			best, best.field = w, f
		}
		if best.score == len(phrases) {
			break
		}
	}
	if best.field < 0 {
		for f, text := range fields {
			if strings.TrimSpace(text) != "" {
				best = s.first(text)
				best.field = f
				break
			}
		}
		if best.field < 0 {
			return ""
		}
	}
	return best.html(fields[best.field])
}

// lead is how many words a snippet shows before its first match.
const lead = 3

type span struct{ start, end int }

// window is a chosen passage of one field: its words, which of them are
// marked, whether words were cut before and after it, and how many
// distinct phrases it holds.
type window struct {
	field     int
	words     []span
	marked    []bool
	cutBefore bool
	cutAfter  bool
	score     int
}

func (w window) html(text string) string {
	var b strings.Builder
	if w.cutBefore {
		b.WriteString("…")
	}
	for i, sp := range w.words {
		if i > 0 {
			b.WriteString(html.EscapeString(text[w.words[i-1].end:sp.start]))
		}
		if w.marked[i] {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(text[sp.start:sp.end]))
			b.WriteString("</mark>")
		} else {
			b.WriteString(html.EscapeString(text[sp.start:sp.end]))
		}
	}
	if w.cutAfter {
		b.WriteString("…")
	} else if n := len(w.words); n > 0 {
		b.WriteString(html.EscapeString(strings.TrimRightFunc(text[w.words[n-1].end:], func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\r' })))
	}
	return b.String()
}

type snipper struct {
	a       *Analyzer
	phrases []Phrase
	size    int
	fold    []byte
	// words and terms of the field read last, reused: a window is
	// turned into HTML before the next field is read.
	words []span
	terms []string
}

var snippers = sync.Pool{New: func() any { return new(snipper) }}

// termOf returns the term of the word, or "" when no term of the query
// can be it (its first bytes differ from every term's), without stemming.
func (s *snipper) termOf(word string) string {
	s.fold = appendFold(s.fold[:0], word)
	if len(s.fold) == 0 || !s.candidate(s.fold) {
		return ""
	}
	return s.a.stemBytes(s.fold)
}

func (s *snipper) candidate(folded []byte) bool {
	for _, p := range s.phrases {
		for _, t := range p.Terms {
			n := min(2, len(t), len(folded))
			if string(folded[:n]) == t[:n] {
				return true
			}
		}
	}
	return false
}

// match reports whether phrase p ends at word i of terms.
func (s *snipper) match(p Phrase, terms []string, i int) bool {
	n := len(p.Terms)
	if i+1 < n {
		return false
	}
	for k, t := range p.Terms {
		got := terms[i+1-n+k]
		if p.Prefix && k == n-1 {
			if got == "" || !strings.HasPrefix(got, t) {
				return false
			}
		} else if got != t {
			return false
		}
	}
	return true
}

type hit struct{ phrase, first, last int }

// best finds the best window of one field, reading its words until a
// window holds every phrase and one word past it.
func (s *snipper) best(text string) window {
	var (
		words = s.words[:0]
		terms = s.terms[:0]
		hits  []hit
		limit = -1 // the word count at which reading may stop
	)
	defer func() {
		clear(terms) // drop the strings for the collector
		s.words, s.terms = words, terms
	}()
	words_(text, func(start, end int) bool {
		words = append(words, span{start, end})
		terms = append(terms, s.termOf(text[start:end]))
		i := len(words) - 1
		if terms[i] != "" {
			for p, ph := range s.phrases {
				if s.match(ph, terms, i) {
					hits = append(hits, hit{p, i + 1 - len(ph.Terms), i})
				}
			}
			if limit < 0 && len(hits) > 0 && s.distinct(hits, hits[len(hits)-1].last) == len(s.phrases) {
				limit = max(0, s.windowStart(hits, i)) + s.size
			}
		}
		// One word past the window tells whether it is cut.
		return limit < 0 || len(words) <= limit
	})
	if len(hits) == 0 {
		return window{}
	}
	bestScore, bestStart := 0, 0
	for _, h := range hits {
		start := max(0, h.first-lead)
		score := s.score(hits, start)
		if score > bestScore {
			bestScore, bestStart = score, start
		}
		if bestScore == len(s.phrases) {
			break
		}
	}
	end := min(len(words), bestStart+s.size)
	w := window{words: append([]span(nil), words[bestStart:end]...), marked: make([]bool, end-bestStart), score: bestScore,
		cutBefore: bestStart > 0, cutAfter: end < len(words)}
	for _, h := range hits {
		if h.first >= bestStart && h.last < end {
			for k := h.first; k <= h.last; k++ {
				w.marked[k-bestStart] = true
			}
		}
	}
	return w
}

// distinct counts the phrases among the hits that end within size words
// before last.
func (s *snipper) distinct(hits []hit, last int) int {
	seen := 0
	var mask uint64
	for _, h := range hits {
		if h.first > last-s.size && h.last <= last && mask&(1<<uint(h.phrase%64)) == 0 {
			mask |= 1 << uint(h.phrase%64)
			seen++
		}
	}
	return seen
}

// windowStart is where the window that ends with the hit at word i begins.
func (s *snipper) windowStart(hits []hit, i int) int {
	first := i
	for _, h := range hits {
		if h.first > i-s.size && h.first < first {
			first = h.first
		}
	}
	return first - lead
}

// score counts the distinct phrases wholly inside the window at start.
func (s *snipper) score(hits []hit, start int) int {
	var mask uint64
	n := 0
	for _, h := range hits {
		if h.first >= start && h.last < start+s.size && mask&(1<<uint(h.phrase%64)) == 0 {
			mask |= 1 << uint(h.phrase%64)
			n++
		}
	}
	return n
}

// first is the window at the start of a field, without marks.
func (s *snipper) first(text string) window {
	var words []span
	more := false
	words_(text, func(start, end int) bool {
		if len(words) == s.size {
			more = true
			return false
		}
		words = append(words, span{start, end})
		return true
	})
	return window{words: words, marked: make([]bool, len(words)), cutAfter: more}
}

// words_ is Words with a way out: it stops when fn returns false.
func words_(text string, fn func(start, end int) bool) {
	start := -1
	for i := 0; i < len(text); {
		c := text[i]
		word, size := asciiWord[c], 1
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			word = r != utf8.RuneError && IsWordRune(r)
		}
		if word {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			if !fn(start, i) {
				return
			}
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(start, len(text))
	}
}

// asciiWord marks the ASCII letters and digits (bytes past ASCII are
// decoded instead).
var asciiWord = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()
