package textsearch

import (
	"strings"
	"testing"
)

// wordPhrases is a query of one phrase per word.
func wordPhrases(a *Analyzer, words ...string) []Phrase {
	var ps []Phrase
	for _, w := range words {
		p, _ := a.Phrase([]string{w}, false)
		ps = append(ps, p)
	}
	return ps
}

func TestSnippet(t *testing.T) {
	a := New("en")
	q := func(words ...string) []Phrase { return wordPhrases(a, words...) }
	phrase := func(prefix bool, words ...string) []Phrase {
		p, _ := a.Phrase(words, prefix)
		return []Phrase{p}
	}
	body := "The council met on Monday. Diplomats arrived late and the talks ran into the night, while the harbour stayed closed to ferries."
	for _, tc := range []struct {
		name    string
		fields  []string
		phrases []Phrase
		size    int
		want    string
	}{
		{"the original word is marked, not its stem", []string{"Talks", "", body}, q("diplomat"), 6,
			"…met on Monday. <mark>Diplomats</mark> arrived late…"},
		{"the headline is chosen when it holds every phrase", []string{"Diplomats talk", "", body}, q("diplomat", "talk"), 6,
			"<mark>Diplomats</mark> <mark>talk</mark>"},
		{"a later field is chosen when it holds more phrases", []string{"Diplomats", "", body}, q("diplomat", "harbour"), 30,
			"The council met on Monday. <mark>Diplomats</mark> arrived late and the talks ran into the night, while the <mark>harbour</mark> stayed closed to ferries."},
		{"a phrase is marked where its words stand together only", []string{"Harbour talks", "", "The talks at the harbour. Harbour talks resumed."}, phrase(false, "harbour", "talks"), 8,
			"<mark>Harbour</mark> <mark>talks</mark>"},
		{"a prefix marks the words it starts", []string{"Boats", "", body}, phrase(true, "ferr"), 4,
			"…stayed closed to <mark>ferries</mark>."},
		{"accents do not hide a match", []string{"Un café", "", ""}, q("cafe"), 5, "Un <mark>café</mark>"},
		{"HTML in the text is escaped", []string{"Code", "", "Run <script>alert(1)</script> & <b>talk</b>"}, q("alert"), 20,
			"Run &lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp; &lt;b&gt;talk&lt;/b&gt;"},
		{"a short field shows whole", []string{"Council votes to widen the quay", "", ""}, q("quay"), 24,
			"Council votes to widen the <mark>quay</mark>"},
		{"near the end of a field the window fills from before", []string{"Boats", "", body}, q("ferries"), 5,
			"…harbour stayed closed to <mark>ferries</mark>."},
		{"without a match the start of the first field shows", []string{"Quiet day", "", body}, q("embargo"), 1, "Quiet…"},
		{"Russian words are found by their stem", []string{"Переговоры", "", "Дипломаты прибыли поздно."}, q("дипломат"), 5,
			"<mark>Дипломаты</mark> прибыли поздно."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := a.Snippet(tc.fields, tc.phrases, tc.size); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// Candidates are looked for scanBytes at a time: matches on either side of
// a boundary, and across it, are found as anywhere else.
func TestSnippetAcrossScanBoundaries(t *testing.T) {
	a := New("en")
	// calm is n bytes of words that match nothing, and spaces.
	calm := func(n int) string { return strings.Repeat(" ", n%5) + strings.Repeat("calm ", n/5) }
	harbourTalks, _ := a.Phrase([]string{"harbour", "talks"}, false)
	for _, tc := range []struct {
		name    string
		body    string
		phrases []Phrase
		size    int
		want    string
	}{
		{"a word that starts just before a boundary and ends after it", calm(scanBytes-2) + "Diplomats " + calm(50),
			wordPhrases(a, "diplomat"), 6, "…calm calm calm <mark>Diplomats</mark> calm calm…"},
		{"a word that starts on a boundary", calm(scanBytes) + "DIPLOMATS " + calm(50),
			wordPhrases(a, "diplomat"), 6, "…calm calm calm <mark>DIPLOMATS</mark> calm calm…"},
		{"a word far past the first stretch", calm(3*scanBytes+10) + "diplomats " + calm(50),
			wordPhrases(a, "diplomat"), 6, "…calm calm calm <mark>diplomats</mark> calm calm…"},
		{"a phrase whose words stand on both sides of a boundary", calm(scanBytes-8) + "harbour talks " + calm(50),
			[]Phrase{harbourTalks}, 6, "…calm calm calm <mark>harbour</mark> <mark>talks</mark> calm…"},
		{"two phrases on both sides of a boundary share a window", calm(scanBytes-13) + "ferries calm diplomats " + calm(50),
			wordPhrases(a, "ferry", "diplomat"), 7, "…calm calm calm <mark>ferries</mark> calm <mark>diplomats</mark> calm…"},
		{"the window with every phrase wins over an earlier one with fewer", "diplomats " + calm(2*scanBytes) + "ferries diplomats " + calm(50),
			wordPhrases(a, "ferry", "diplomat"), 5, "…calm calm calm <mark>ferries</mark> <mark>diplomats</mark>…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := a.Snippet([]string{"Headline", "", tc.body}, tc.phrases, tc.size); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func BenchmarkSnippetOfALongBody(b *testing.B) {
	a := New("en")
	var body []byte
	for len(body) < 5000 {
		body = append(body, "karimo tenla vorsi padun elqua bernisto galfe rumarti os. "...)
	}
	body = append(body, "The diplomats arrived."...)
	p, _ := a.Phrase([]string{"diplomat"}, false)
	fields := []string{"Headline here", "A standfirst of some words.", string(body)}
	b.ReportAllocs()
	for b.Loop() {
		a.Snippet(fields, []Phrase{p}, 24)
	}
}
