package sqlite

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"dateline/content"
	"dateline/content/shape"
)

func TestPackedValuesReadBackAsWritten(t *testing.T) {
	for _, tt := range []struct{ name, in string }{
		{"a revision's state", `{"headline":"Quay vote","body":"` + strings.Repeat("The council voted. ", 300) + `"}`},
		{"an empty value", ""},
		{"text in many scripts", "Первая страница «с кавычками» & <b>bold</b> 港口 🚢"},
	} {
		t.Run(tt.name+" unpacks to itself", func(t *testing.T) {
			p := pack([]byte(tt.in))
			if p[0] != zlibMagic {
				t.Fatalf("packed value starts with %#x", p[0])
			}
			got, err := unpack(p)
			if err != nil || string(got) != tt.in {
				t.Fatalf("unpack = %q, %v", got, err)
			}
			text, err := unpackText(p)
			if err != nil || text != tt.in {
				t.Fatalf("unpackText = %q, %v", text, err)
			}
		})
	}
	t.Run("a JSON document stored as text before packing reads as it is", func(t *testing.T) {
		if got, err := unpack([]byte(`{"a":1}`)); err != nil || string(got) != `{"a":1}` {
			t.Fatalf("%q %v", got, err)
		}
	})
	t.Run("a body stored as text before packing reads as it is, whatever its first letter", func(t *testing.T) {
		if got, err := unpackText("xkcd explains the quay"); err != nil || got != "xkcd explains the quay" {
			t.Fatalf("%q %v", got, err)
		}
	})
	t.Run("a damaged packed value is an error, not garbage", func(t *testing.T) {
		p := pack([]byte(strings.Repeat("quay ", 100)))
		p[len(p)/2] ^= 0xff
		if got, err := unpack(p); err == nil {
			t.Fatalf("unpacked %q", got)
		}
	})
}

func TestPagesAreStoredAsOffsetsWhenTheyMakeUpTheHTML(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		offsets    bool
	}{
		{"two pages", "One «page».\n\n" + content.PageBreak + "\n\nTwo & <i>three</i>.", true},
		{"one page", "Only one.", true},
		{"pages with footnotes, which each page repeats", "A claim.[^1]\n\n" + content.PageBreak + "\n\nMore.[^1]\n\n[^1]: The source.", false},
		{"an empty body", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := content.Render(tt.body)
			stored, err := encodePages(r.HTML, r.Pages)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(stored) > 1 && stored[1] >= '0' && stored[1] <= '9'; got != tt.offsets {
				t.Errorf("stored as %s; offsets %v, want %v", stored, got, tt.offsets)
			}
			pages, err := decodePages(r.HTML, stored)
			if err != nil || !slices.Equal(pages, r.Pages) {
				t.Fatalf("decoded %q (%v), want %q", pages, err, r.Pages)
			}
		})
	}
	t.Run("offsets beyond the HTML are an error", func(t *testing.T) {
		if _, err := decodePages("<p>a</p>", "[3,99]"); err == nil {
			t.Fatal("no error")
		}
	})
}

func TestAStoredStoryReadsBackByteForByte(t *testing.T) {
	r := shape.New(shape.Options{BaseURL: "https://news.example.org"})
	for _, tt := range []struct {
		name, body string
		smaller    bool
	}{
		{"a story of three pages is stored without its second copy", "One \"quoted\" \\ back\\slash «page».\n\n" + content.PageBreak +
			"\n\nTwo & <i>three</i> \u2028.\n\n" + content.PageBreak + "\n\nThree " + strings.Repeat("words ", 200), true},
		{"a one-page story is stored as it is", "Only one.", false},
		{"a story whose pages repeat footnotes is stored as it is", "A claim.[^1]\n\n" + content.PageBreak + "\n\nMore.[^1]\n\n[^1]: The source.", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := &content.Article{ID: "a1", Rendered: content.Render(tt.body)}
			a.Slug, a.Headline = "s", `Headline with "body_html":"trap" and ,"pages":[`
			full, err := r.Render(a, nil)
			if err != nil {
				t.Fatal(err)
			}
			stored := packStory(full.Full)
			if smaller := len(stored) < len(full.Full); smaller != tt.smaller {
				t.Errorf("stored %d bytes of %d", len(stored), len(full.Full))
			}
			got, err := unpackStory(stored)
			if err != nil || !bytes.Equal(got, full.Full) {
				t.Fatalf("read back (%v)\n%s\nwant\n%s", err, got, full.Full)
			}
			// As the store reads it: fast-packed, from the driver's memory
			// of the row, which the next row overwrites.
			fast := packFast(stored)
			got, err = unpackStory(fast)
			if err != nil || !bytes.Equal(got, full.Full) {
				t.Fatalf("read back fast-packed (%v)\n%s", err, got)
			}
			for _, raw := range [][]byte{bytes.Clone(stored), bytes.Clone(fast)} {
				got, err := unpackStory(raw)
				if err != nil {
					t.Fatal(err)
				}
				clear(raw)
				// Another read decodes into the same scratch memory.
				if _, err := unpackStory(packFast([]byte(`{"other":"` + strings.Repeat("x", len(full.Full)) + `"}`))); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, full.Full) {
					t.Fatalf("the story read back shares memory with what it was read from or decoded into:\n%s", got)
				}
			}
		})
	}
	t.Run("a damaged header is an error", func(t *testing.T) {
		if _, err := unpackStory([]byte{storyMagic, 0xff, 0xff}); err == nil {
			t.Fatal("no error")
		}
	})
}
