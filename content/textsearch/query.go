package textsearch

// Phrase is one analyzed part of a full-text query: terms that must appear
// next to each other in this order. With Prefix the last term is a folded
// prefix, not a stem: it matches every term that starts with it.
type Phrase struct {
	Terms  []string
	Prefix bool
}

// Phrase analyzes the words of one phrase of a query as the index analyzes
// text: each word becomes its term, and with prefix the last word is only
// folded (a stem of a word cut short is no prefix of the whole word's
// stem). Words without a term are left out; ok is false when none is left.
func (a *Analyzer) Phrase(words []string, prefix bool) (p Phrase, ok bool) {
	for i, w := range words {
		t := ""
		if prefix && i == len(words)-1 {
			t = Fold(w)
		} else {
			t = a.Term(w)
		}
		if t != "" {
			p.Terms = append(p.Terms, t)
		}
	}
	p.Prefix = prefix && len(words) > 0 && Fold(words[len(words)-1]) != ""
	return p, len(p.Terms) > 0
}
