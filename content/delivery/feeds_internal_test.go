package delivery

import "testing"

func TestXMLTextKeepsOnlyCharactersXMLAllows(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text stays as it is", "Ferry & quay ]]> <b>", "Ferry & quay ]]> <b>"},
		{"tab, newline and carriage return stay", "a\tb\nc\rd", "a\tb\nc\rd"},
		{"C0 controls go", "a\x00b\x01c\x1bd\x7f", "abcd\x7f"},
		{"U+FFFE and U+FFFF go", "a\uFFFEb\uFFFFc", "abc"},
		{"letters beyond the basic plane stay", "news 📰 ok", "news 📰 ok"},
		{"invalid UTF-8 becomes the replacement character", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := xmlText(tt.in); got != tt.want {
				t.Errorf("xmlText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewsLanguageIsTheISO639Code(t *testing.T) {
	for in, want := range map[string]string{"en": "en", "en-GB": "en", "pt_BR": "pt", "zh-CN": "zh-cn", "zh-TW": "zh-tw", "zh-Hant": "zh"} {
		if got := newsLanguage(in); got != want {
			t.Errorf("newsLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}
