package textsearch

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ASCII is lower-cased", "HarBour", "harbour"},
		{"Latin accents are removed", "Café", "cafe"},
		{"decomposed accents are removed too", "Cafe\u0301", "cafe"},
		{"capital accented letters fold", "ÉCOLE", "ecole"},
		{"sharp s is spelled out", "Straße", "strasse"},
		{"ligatures are spelled out", "Æsir", "aesir"},
		{"letters with a stroke lose it", "Łódź", "lodz"},
		{"Cyrillic yo is ye", "Ёлка", "елка"},
		{"Cyrillic short i stays a letter of its own", "Мой", "мой"},
		{"decomposed short i is recomposed", "Мои\u0306", "мой"},
		{"Greek accents are removed", "Ἀθῆναι", "αθηναι"},
		{"marks of other scripts are kept", "हिंदी", "हिंदी"},
		{"digits stay", "2026", "2026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fold(tc.in); got != tc.want {
				t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTermsStemByScriptAndLanguage(t *testing.T) {
	en, ru, fr, de := New("en"), New("ru"), New("fr-FR"), New("de")
	for _, tc := range []struct {
		name string
		a    *Analyzer
		a1   string
		b    string
	}{
		{"an English plural finds its singular", en, "diplomats", "diplomat"},
		{"English inflections share a stem", en, "Negotiating", "negotiated"},
		{"a Russian plural finds its singular", en, "дипломаты", "дипломат"},
		{"Russian cases share a stem", ru, "переговоров", "переговоры"},
		{"a Russian newsroom stems English names in English", ru, "elections", "election"},
		{"accents do not matter", en, "café", "CAFE"},
		{"French plurals share a stem in a French newsroom", fr, "journalistes", "journaliste"},
		{"a language without a stemmer still folds", de, "Müller", "muller"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y := tc.a.Term(tc.a1), tc.a.Term(tc.b)
			if x != y || x == "" {
				t.Errorf("Term(%q) = %q, Term(%q) = %q; want one term", tc.a1, x, tc.b, y)
			}
		})
	}
	if got, want := de.Term("Häuser"), "hauser"; got != want {
		t.Errorf("a language without a stemmer stems: %q, want %q", got, want)
	}
	if en.Term("harbour") == en.Term("harbourmaster") {
		t.Error("different words share a term")
	}
}

func TestTermsKeepOneTermPerWordInOrder(t *testing.T) {
	a := New("en")
	for _, tc := range []struct{ name, in, want string }{
		{"punctuation separates words", "Harbour-council's vote!", "harbour council s vote"},
		{"markup is not a word", "<b>talks</b> & code", "b talk b code"},
		{"scripts mix", "Дипломаты met diplomats", "дипломат met diplomat"},
		{"nothing gives nothing", " … ", ""},
		{"invalid UTF-8 separates words", "ab\xffcd", "ab cd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(a.Terms(tc.in), " "); got != tc.want {
				t.Errorf("Terms(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestIDsNameTheLanguage(t *testing.T) {
	if New("").ID() != New("en-GB").ID() {
		t.Error("the default language is not English")
	}
	if New("en").ID() == New("ru").ID() {
		t.Error("two languages share an ID")
	}
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"Diplomats met in Café Ёлка", "<script>alert(1)</script>", "Мои\u0306 дом", "a\xffb", "ǅ ﬁ ẞ"} {
		f.Add(s)
	}
	a := New("en")
	f.Fuzz(func(t *testing.T, s string) {
		terms := a.AppendTerms(nil, s)
		if !utf8.Valid(terms) {
			t.Fatalf("terms of %q are not UTF-8: %q", s, terms)
		}
		n := 0
		Words(s, func(start, end int) {
			if start >= end || end > len(s) {
				t.Fatalf("word [%d, %d) of %q", start, end, s)
			}
			if Fold(s[start:end]) != "" {
				n++
			}
		})
		got := strings.Fields(string(terms))
		if len(got) != n {
			t.Fatalf("%d terms for %d words of %q: %q", len(got), n, s, got)
		}
		for _, term := range got {
			if strings.ContainsAny(term, " \t\n") {
				t.Fatalf("term %q holds a space", term)
			}
			if a.Term(term) == "" {
				t.Fatalf("term %q has no term", term)
			}
		}
		snip := a.Snippet([]string{s}, []Phrase{{Terms: got[:min(1, len(got))]}}, 8)
		if strings.Count(snip, "<") != strings.Count(snip, "<mark>")+strings.Count(snip, "</mark>") {
			t.Fatalf("snippet of %q carries markup: %q", s, snip)
		}
	})
}
