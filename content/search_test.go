package content

import (
	"strings"
	"testing"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name, q, want string // want: phrases as "w w*|w", or "error"
	}{
		{"bare words are phrases of one word", "Harbour  council", "harbour|council"},
		{"quoted words are one phrase", `"harbour council" vote`, "harbour council|vote"},
		{"a trailing star is a prefix", "harb*", "harb*"},
		{"a star inside a phrase applies to its last word", `"harbour coun*"`, "harbour coun*"},
		{"an unclosed quote runs to the end", `vote "harbour council`, "vote|harbour council"},
		{"punctuation splits words as the index does", "harbour-council's", "harbour council s"},
		{"search operators are plain words", `NEAR OR ( NOT -x`, "near|or|not|x"},
		{"accents and other scripts are letters", "Café Москва", "café|москва"},
		{"an empty query is refused", "  ", "error"},
		{"only punctuation is refused", `"" ( ) *`, "error"},
		{"a one-letter prefix is refused", "h*", "error"},
		{"too many words are refused", strings.Repeat("a ", 13), "error"},
		{"a very long query is refused", strings.Repeat("x", 201), "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := ParseQuery(tt.q)
			if tt.want == "error" {
				if ErrorCode(err) != EINVALID || len(ErrorFields(err)) != 1 || ErrorFields(err)[0].Field != "q" {
					t.Fatalf("err = %v, want a validation error on q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				s := strings.Join(p.Words, " ")
				if p.Prefix {
					s += "*"
				}
				got = append(got, s)
			}
			if g := strings.Join(got, "|"); g != tt.want {
				t.Errorf("got %s, want %s", g, tt.want)
			}
		})
	}
}

func TestCursorKeepsItsRank(t *testing.T) {
	r := int64(62)
	c, err := DecodeCursor(Cursor{ID: "a", Rank: &r}.Encode())
	if err != nil || c.Rank == nil || *c.Rank != 62 {
		t.Fatalf("ranked cursor: %+v %v", c, err)
	}
	c, err = DecodeCursor(Cursor{ID: "a"}.Encode())
	if err != nil || c.Rank != nil {
		t.Fatalf("plain cursor: %+v %v", c, err)
	}
}
