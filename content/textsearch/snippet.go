package textsearch

import (
	"encoding/binary"
	"strings"
	"sync"
	"unicode/utf8"
)

// Snippet returns the passage of fields (a story's headline, standfirst and
// body, in that order) that best shows why it matched phrases: at most size
// words from one field, starting a few words before a match, the window
// holding the most distinct phrases, earliest first; a field of size words
// or fewer shows whole. The matched words are
// in <mark> elements; everything else is HTML-escaped, so the result is
// HTML-safe whatever the text holds. Cut ends carry "…". A story in which
// no phrase can be found gives the start of its first non-empty field,
// without marks.
//
// A snippet costs little more than finding the matches: in ASCII text
// searched for ASCII terms the words that could match are found by
// substring search for their first letters (in any case), elsewhere by one
// pass over the words; only those words are folded and stemmed, and the
// search stops at the first window holding every phrase.
func (a *Analyzer) Snippet(fields []string, phrases []Phrase, size int) string {
	snip, _ := a.SnippetOf(fields, phrases, size)
	return snip
}

// SnippetOf is Snippet that also reports whether the snippet holds every
// phrase, so that a caller may try the short fields of a story first and
// read its body only when they do not show every phrase.
func (a *Analyzer) SnippetOf(fields []string, phrases []Phrase, size int) (string, bool) {
	size = max(size, 1)
	s := snippers.Get().(*snipper)
	defer snippers.Put(s)
	s.a, s.phrases, s.size = a, phrases, size
	best, bestField := window{}, -1
	for f, text := range fields {
		w := s.best(text)
		if w.score > best.score {
			best, bestField = w, f
		}
		if best.score == len(phrases) {
			break
		}
	}
	if bestField < 0 {
		for f, text := range fields {
			if strings.TrimSpace(text) != "" {
				return s.window(text, 0, nil).html(fields[f]), len(phrases) == 0
			}
		}
		return "", len(phrases) == 0
	}
	return best.html(fields[bestField]), best.score == len(phrases)
}

// lead is how many words a snippet shows before its first match.
const lead = 3

type span struct{ start, end int }

// window is a chosen passage of one field: its words, which of them are
// marked, whether words were cut before and after it, and how many
// distinct phrases it holds.
type window struct {
	words     []span
	marked    []bool
	cutBefore bool
	cutAfter  bool
	score     int
}

func (w window) html(text string) string {
	var b strings.Builder
	b.Grow(len(text[w.start():w.end()]) + 64)
	if w.cutBefore {
		b.WriteString("…")
	}
	for i, sp := range w.words {
		if i > 0 {
			escaper.WriteString(&b, text[w.words[i-1].end:sp.start])
		}
		if w.marked[i] {
			b.WriteString("<mark>")
			escaper.WriteString(&b, text[sp.start:sp.end])
			b.WriteString("</mark>")
		} else {
			escaper.WriteString(&b, text[sp.start:sp.end])
		}
	}
	if w.cutAfter {
		b.WriteString("…")
	} else if n := len(w.words); n > 0 {
		escaper.WriteString(&b, strings.TrimRight(text[w.words[n-1].end:], " \t\r\n"))
	}
	return b.String()
}

func (w window) start() int {
	if len(w.words) == 0 {
		return 0
	}
	return w.words[0].start
}

func (w window) end() int {
	if len(w.words) == 0 {
		return 0
	}
	return w.words[len(w.words)-1].end
}

// escaper escapes text as html.EscapeString does, writing to a builder.
var escaper = strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;")

type snipper struct {
	a       *Analyzer
	phrases []Phrase
	size    int
	fold    []byte
	starts  []int // candidate word starts of the field read last
	hits    []hit
}

var snippers = sync.Pool{New: func() any { return new(snipper) }}

// hit is a phrase matched at bytes [start, end) of a field.
type hit struct{ phrase, start, end int }

// termOf returns the term of the word, or "" when no term of the query can
// be it (its folded first bytes differ from every term's), without
// stemming it.
func (s *snipper) termOf(word string) string {
	if c := word[0]; c < utf8.RuneSelf && !s.firstByte(c|0x20) && !s.firstByte(c) {
		return ""
	}
	s.fold = appendFold(s.fold[:0], word)
	if len(s.fold) == 0 || !s.candidate(s.fold) {
		return ""
	}
	return s.a.stemBytes(s.fold)
}

func (s *snipper) firstByte(c byte) bool {
	for _, p := range s.phrases {
		for _, t := range p.Terms {
			if t[0] == c {
				return true
			}
		}
	}
	return false
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

// matches reports whether term is word k of phrase p.
func matches(p Phrase, k int, term string) bool {
	if term == "" {
		return false
	}
	if p.Prefix && k == len(p.Terms)-1 {
		return strings.HasPrefix(term, p.Terms[k])
	}
	return term == p.Terms[k]
}

// findHits appends the phrase matches of text to s.hits, in order of their
// start, reading words from the candidate starts only; it stops once a
// window holding every phrase can be told. Candidates are looked for a
// stretch of scanBytes at a time, so that a match near the start of a
// long body does not cost a search of all of it.
func (s *snipper) findHits(text string) {
	s.hits = s.hits[:0]
	var seen uint64
	all := uint64(1)<<min(len(s.phrases), 64) - 1
	stopAt := -1
	ascii := asciiOnly(text) && s.asciiTerms()
	for from := 0; from < len(text) && (stopAt < 0 || from <= stopAt); {
		to := len(text)
		if ascii {
			to = min(len(text), from+scanBytes)
			s.asciiStarts(text, from, to)
		} else {
			s.wordStarts(text)
		}
		for _, start := range s.starts {
			if stopAt >= 0 && start > stopAt {
				return
			}
			end := wordEnd(text, start)
			term := s.termOf(text[start:end])
			if term == "" {
				continue
			}
			for p, ph := range s.phrases {
				if !matches(ph, 0, term) {
					continue
				}
				last, ok := end, true
				for k := 1; k < len(ph.Terms) && ok; k++ {
					ws, we, found := nextWord(text, last)
					ok = found && matches(ph, k, s.termOf(text[ws:we]))
					last = we
				}
				if ok {
					s.hits = append(s.hits, hit{p, start, last})
					seen |= 1 << uint(p%64)
				}
			}
			if seen == all && stopAt < 0 {
				stopAt = s.reach(text, start) // the window that ends here may start later
			}
		}
		from = to
	}
}

// scanBytes is how much of a field findHits searches for candidates at
// a time.
const scanBytes = 1024

// reach is how far past start a window of size words reaches.
func (s *snipper) reach(text string, start int) int {
	end := start
	for range s.size {
		_, we, ok := nextWord(text, end)
		if !ok {
			break
		}
		end = we
	}
	return end
}

// wordStarts sets s.starts to the starts of every word of text.
func (s *snipper) wordStarts(text string) {
	s.starts = s.starts[:0]
	words_(text, func(start, _ int) bool {
		s.starts = append(s.starts, start)
		return true
	})
}

// asciiStarts sets s.starts to the starts, in [from, to), of the words of
// text (ASCII, searched for ASCII terms) that may match a term, in order.
func (s *snipper) asciiStarts(text string, from, to int) {
	s.starts = s.starts[:0]
	var firsts [4]string
	for _, p := range s.phrases {
		for _, t := range p.Terms {
			// A word starts with its stem but for the stem's last letter
			// (happy: happi); four letters find it quickly enough.
			key := t[:max(1, min(len(t)-1, 4))]
			area := text[from:min(len(text), to+len(key)-1)] // a key that starts before to
			for _, v := range caseVariants(key, firsts[:0]) {
				for i := 0; ; {
					j := strings.Index(area[i:], v)
					if j < 0 {
						break
					}
					at := from + i + j
					if at == 0 || !asciiWord[text[at-1]] {
						s.starts = append(s.starts, at)
					}
					i += j + 1
				}
			}
		}
	}
	sortUnique(&s.starts)
}

// caseVariants appends the spellings of an ASCII key in lower case,
// capitalized and in capitals.
func caseVariants(key string, dst []string) []string {
	dst = append(dst, key)
	title := []byte(key)
	if 'a' <= title[0] && title[0] <= 'z' {
		title[0] -= 'a' - 'A'
	}
	if t := string(title); t != key {
		dst = append(dst, t)
	}
	if u := strings.ToUpper(key); !contains(dst, u) {
		dst = append(dst, u)
	}
	return dst
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func (s *snipper) asciiTerms() bool {
	for _, p := range s.phrases {
		for _, t := range p.Terms {
			if !asciiOnly(t) {
				return false
			}
		}
	}
	return true
}

// asciiOnly reports whether s is all ASCII, eight bytes at a time.
func asciiOnly(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64([]byte(s[i:i+8]))&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func sortUnique(xs *[]int) {
	v := *xs
	// Few candidates: insertion sort.
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
	out := v[:0]
	for i, x := range v {
		if i == 0 || x != v[i-1] {
			out = append(out, x)
		}
	}
	*xs = out
}

// best finds the best window of one field.
func (s *snipper) best(text string) window {
	s.findHits(text)
	if len(s.hits) == 0 {
		return window{}
	}
	var best window
	for _, h := range s.hits {
		start := s.back(text, h.start, lead)
		if short := s.size - s.count(text, start); short > 0 {
			start = s.back(text, start, short) // near the end: fill the window from before
		}
		w := s.window(text, start, s.hits)
		if w.score > best.score {
			best = w
		}
		if best.score == len(s.phrases) {
			break
		}
	}
	return best
}

// count counts the words from start, up to s.size.
func (s *snipper) count(text string, start int) int {
	n := 0
	for at := start; n < s.size; n++ {
		_, we, ok := nextWord(text, at)
		if !ok {
			break
		}
		at = we
	}
	return n
}

// back returns the start of the word n words before the word at start (or
// of the first word).
func (s *snipper) back(text string, start, n int) int {
	for range n {
		i := start
		for i > 0 { // skip what separates the words
			r, n := utf8.DecodeLastRuneInString(text[:i])
			if isWord(r) {
				break
			}
			i -= n
		}
		if i == 0 {
			break
		}
		for i > 0 {
			r, n := utf8.DecodeLastRuneInString(text[:i])
			if !isWord(r) {
				break
			}
			i -= n
		}
		start = i
	}
	return start
}

// window reads size words of text from start and marks the hits within.
func (s *snipper) window(text string, start int, hits []hit) window {
	w := window{cutBefore: start > 0 && s.hasWordBefore(text, start)}
	at := start
	for len(w.words) < s.size {
		ws, we, ok := nextWord(text, at)
		if !ok {
			break
		}
		w.words = append(w.words, span{ws, we})
		at = we
	}
	_, _, more := nextWord(text, at)
	w.cutAfter = more
	w.marked = make([]bool, len(w.words))
	if len(w.words) == 0 {
		return w
	}
	lo, hi := w.words[0].start, w.words[len(w.words)-1].end
	var seen uint64
	for _, h := range hits {
		if h.start < lo || h.end > hi {
			continue
		}
		if seen&(1<<uint(h.phrase%64)) == 0 {
			seen |= 1 << uint(h.phrase%64)
			w.score++
		}
		for i, sp := range w.words {
			if sp.start >= h.start && sp.end <= h.end {
				w.marked[i] = true
			}
		}
	}
	return w
}

func (s *snipper) hasWordBefore(text string, start int) bool {
	for i := start; i > 0; {
		r, n := utf8.DecodeLastRuneInString(text[:i])
		if isWord(r) {
			return true
		}
		i -= n
	}
	return false
}

func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return r != utf8.RuneError && IsWordRune(r)
}

// wordEnd returns the end of the word starting at start.
func wordEnd(text string, start int) int {
	i := start
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if !asciiWord[c] {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError || !IsWordRune(r) {
			break
		}
		i += n
	}
	return i
}

// nextWord returns the first word at or after byte at.
func nextWord(text string, at int) (start, end int, ok bool) {
	i := at
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if asciiWord[c] {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if r != utf8.RuneError && IsWordRune(r) {
			break
		}
		i += n
	}
	if i >= len(text) {
		return 0, 0, false
	}
	return i, wordEnd(text, i), true
}

// words_ is Words with a way out: it stops when fn returns false.
func words_(text string, fn func(start, end int) bool) {
	for at := 0; ; {
		start, end, ok := nextWord(text, at)
		if !ok || !fn(start, end) {
			return
		}
		at = end
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
