package content

import (
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"an empty headline gives no slug", "", ""},
		{"a headline of spaces gives no slug", "   \t\n ", ""},
		{"an emoji-only headline gives no slug", "🎉🔥🚀", ""},
		{"punctuation alone gives no slug", "?!… — ***", ""},
		{"plain English is lowercased and hyphenated", "Hello World", "hello-world"},
		{"Cyrillic is transliterated", "Москва", "moskva"},
		{"a Cyrillic headline keeps its word breaks", "Путин посетил Москву", "putin-posetil-moskvu"},
		{"Greek is transliterated", "Αθήνα: Νέα μέτρα", "athena-nea-metra"},
		{"Chinese is transliterated syllable by syllable", "北京欢迎你", "bei-jing-huan-ying-ni"},
		{"composed accents are stripped", "caf\u00e9", "cafe"},
		{"decomposed accents are stripped", "cafe\u0301", "cafe"},
		{"German sharp s and ligatures are spelled out", "Straße Œuvre", "strasse-oeuvre"},
		{"full-width letters and ligatures fold to ASCII", "Ｆｕｌｌ ﬁne", "full-fine"},
		{"apostrophes vanish inside words", "Don't panic", "dont-panic"},
		{"typographic apostrophes vanish too", "Don\u2019t panic", "dont-panic"},
		{"runs of punctuation become one hyphen", "C++ & Go — 2024/25!", "c-go-2024-25"},
		{"leading and trailing punctuation is dropped", "--- Breaking: news ---", "breaking-news"},
		{"digits are kept", "G20 summit 2016", "g20-summit-2016"},
		{"a valid slug is returned unchanged", "already-a-slug-42", "already-a-slug-42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Slugify(tt.in)
			if got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got != "" && !ValidSlug(got) {
				t.Errorf("Slugify(%q) = %q, which is not a valid slug", tt.in, got)
			}
		})
	}
}

func TestSlugifyOtherScriptsGiveValidSlugs(t *testing.T) {
	for name, in := range map[string]string{
		"Japanese":    "東京オリンピック",
		"Korean":      "서울 뉴스",
		"Arabic":      "مرحبا بالعالم",
		"Hebrew":      "שלום עולם",
		"Thai":        "กรุงเทพมหานคร",
		"Devanagari":  "नमस्ते दुनिया",
		"mixed":       "Zürich – Київ – 東京",
		"a ligature":  "ﷺ",
		"stray marks": "\u0301\u0302 q\u0301",
	} {
		t.Run(name+" gives a valid slug or none", func(t *testing.T) {
			got := Slugify(in)
			if got != "" && !ValidSlug(got) {
				t.Errorf("Slugify(%q) = %q, not a valid slug", in, got)
			}
		})
	}
}

func TestSlugifyLongHeadlines(t *testing.T) {
	t.Run("a long headline is cut at a hyphen within 80 characters", func(t *testing.T) {
		in := strings.Repeat("newsrooms ", 20) // 9-letter words
		got := Slugify(in)
		want := strings.TrimSuffix(strings.Repeat("newsrooms-", 8), "-") // 79 characters
		if got != want {
			t.Errorf("Slugify(long) = %q (%d), want %q (%d)", got, len(got), want, len(want))
		}
	})
	t.Run("a hyphen exactly at the limit cuts there", func(t *testing.T) {
		in := strings.Repeat("a", 80) + " tail"
		if got := Slugify(in); got != strings.Repeat("a", 80) {
			t.Errorf("Slugify = %q, want 80 a's", got)
		}
	})
	t.Run("one endless word is cut at 80 characters", func(t *testing.T) {
		got := Slugify(strings.Repeat("x", 200))
		if got != strings.Repeat("x", 80) {
			t.Errorf("Slugify = %q (%d), want 80 x's", got, len(got))
		}
	})
	t.Run("a short first word and an endless second are cut mid-word", func(t *testing.T) {
		got := Slugify("a " + strings.Repeat("x", 200))
		if len(got) != 80 || !ValidSlug(got) {
			t.Errorf("Slugify = %q (%d), want a valid 80-character slug", got, len(got))
		}
	})
	t.Run("transliteration that grows the text is cut too", func(t *testing.T) {
		got := Slugify(strings.Repeat("Щ", 100)) // each becomes "shch"
		if len(got) > 80 || !ValidSlug(got) {
			t.Errorf("Slugify = %q (%d), want a valid slug of at most 80", got, len(got))
		}
	})
}

func TestSlugifyNormalizationForms(t *testing.T) {
	for name, pair := range map[string][2]string{
		"café":       {"caf\u00e9 au lait", "cafe\u0301 au lait"},
		"Ångström":   {"\u00c5ngstr\u00f6m", "A\u030angstro\u0308m"},
		"Vietnamese": {"Vi\u1ec7t Nam", "Vie\u0323\u0302t Nam"},
		"Cyrillic й": {"\u0439од", "\u0438\u0306од"},
	} {
		t.Run("composed and decomposed "+name+" give the same slug", func(t *testing.T) {
			nfc, nfd := Slugify(pair[0]), Slugify(pair[1])
			if nfc != nfd || nfc == "" {
				t.Errorf("Slugify(NFC) = %q, Slugify(NFD) = %q", nfc, nfd)
			}
		})
	}
}

func TestValidSlug(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"a single letter is valid", "a", true},
		{"a single digit is valid", "7", true},
		{"words with single hyphens are valid", "moscow-talks-2016", true},
		{"100 characters are valid", strings.Repeat("a", 100), true},
		{"an empty string is not", "", false},
		{"101 characters are not", strings.Repeat("a", 101), false},
		{"a leading hyphen is not", "-news", false},
		{"a trailing hyphen is not", "news-", false},
		{"a lone hyphen is not", "-", false},
		{"a double hyphen is not", "big--news", false},
		{"capitals are not", "News", false},
		{"an underscore is not", "big_news", false},
		{"a space is not", "big news", false},
		{"a slash is not", "a/b", false},
		{"non-ASCII letters are not", "café", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidSlug(tt.in); got != tt.want {
				t.Errorf("ValidSlug(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeTagName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"surrounding spaces are trimmed", "  Politics ", "Politics"},
		{"inner runs of white space become one space", "World\t \n Cup", "World Cup"},
		{"decomposed accents are composed", "Cafe\u0301", "Caf\u00e9"},
		{"letter case is kept", "EU", "EU"},
		{"an empty name stays empty", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeTagName(tt.in); got != tt.want {
				t.Errorf("NormalizeTagName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("names differing in case and spaces are one tag", func(t *testing.T) {
		a, b := Slugify(NormalizeTagName("Politics")), Slugify(NormalizeTagName("politics "))
		if a != b || a != "politics" {
			t.Errorf("slugs %q and %q, want both %q", a, b, "politics")
		}
	})
}

func TestUniqueSlug(t *testing.T) {
	takenSet := func(slugs ...string) func(string) bool {
		set := map[string]bool{}
		for _, s := range slugs {
			set[s] = true
		}
		return func(s string) bool { return set[s] }
	}
	long := strings.Repeat("a", 60) + "-" + strings.Repeat("b", 39) // 100 characters
	tests := []struct {
		name  string
		base  string
		taken []string
		want  string
	}{
		{"a free slug is returned as is", "moscow", nil, "moscow"},
		{"a taken slug gets -2", "moscow", []string{"moscow"}, "moscow-2"},
		{"the first free number is used", "moscow", []string{"moscow", "moscow-2", "moscow-3"}, "moscow-4"},
		{"a gap in the numbers is filled", "moscow", []string{"moscow", "moscow-3"}, "moscow-2"},
		{"a slug ending in a number gets another", "g20", []string{"g20"}, "g20-2"},
		{"a 100-character slug is shortened at a hyphen for its suffix", long, []string{long}, strings.Repeat("a", 60) + "-2"},
		{"a 100-character word is cut for its suffix", strings.Repeat("c", 100), []string{strings.Repeat("c", 100)}, strings.Repeat("c", 98) + "-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := UniqueSlug(tt.base, takenSet(tt.taken...))
			if got != tt.want {
				t.Errorf("UniqueSlug(%q) = %q, want %q", tt.base, got, tt.want)
			}
			if !ValidSlug(got) {
				t.Errorf("UniqueSlug(%q) = %q, not a valid slug", tt.base, got)
			}
		})
	}
	t.Run("many collisions stay within 100 characters", func(t *testing.T) {
		base := strings.Repeat("d", 100)
		calls := 0
		got := UniqueSlug(base, func(s string) bool {
			calls++
			if len(s) > 100 {
				t.Fatalf("candidate %q is %d characters", s, len(s))
			}
			return calls <= 150
		})
		if want := strings.Repeat("d", 96) + "-151"; got != want {
			t.Errorf("UniqueSlug = %q, want %q", got, want)
		}
	})
}
