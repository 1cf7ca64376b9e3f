package transfer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"dateline/content"
)

func TestHTMLToMarkdownKeepsWhatReadersSee(t *testing.T) {
	cases := []struct {
		name string
		html string
		want []string // in the HTML Render makes of the markdown
		not  []string
	}{
		{"paragraphs stay paragraphs", "<p>One.</p><p>Two.</p>", []string{"<p>One.</p>", "<p>Two.</p>"}, nil},
		{"headings keep their level", "<h2>Section</h2><h3>Sub</h3>", []string{"<h2", ">Section</h2>", "<h3", ">Sub</h3>"}, nil},
		{"lists keep their kind and nesting", "<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul><ol><li>x</li><li>y</li></ol>",
			[]string{"<ul>\n<li>a\n<ul>\n<li>a1</li>", "<li>b</li>", "<ol>\n<li>x</li>\n<li>y</li>"}, nil},
		{"quotes stay quotes", "<blockquote><p>Said.</p><p>Again.</p></blockquote>", []string{"<blockquote>\n<p>Said.</p>\n<p>Again.</p>\n</blockquote>"}, nil},
		{"links keep their target", `<p>See <a href="https://example.org/a?b=1&amp;c=2">the report</a>.</p>`,
			[]string{`<a href="https://example.org/a?b=1&amp;c=2">the report</a>`}, nil},
		{"unsafe links keep only their text", `<p><a href="javascript:alert(1)">click</a></p>`, []string{"<p>click</p>"}, []string{"javascript"}},
		{"emphasis and code survive", "<p><strong>bold</strong> <em>it</em> <code>x*y</code> <del>old</del></p>",
			[]string{"<strong>bold</strong>", "<em>it</em>", "<code>x*y</code>", "<del>old</del>"}, nil},
		{"images keep source and alt", `<p><img src="https://img.example.org/a.jpg" alt="A harbour"></p>`,
			[]string{`<img src="https://img.example.org/a.jpg" alt="A harbour">`}, nil},
		{"a figure keeps its caption", `<figure><img src="https://img.example.org/a.jpg" alt="Boats"><figcaption>Boats at <em>dawn</em></figcaption></figure>`,
			[]string{`alt="Boats"`, `title="Boats at dawn"`, "<p><em>Boats at <em>dawn</em></em></p>"}, nil},
		{"an iframe becomes a link", `<iframe src="https://www.youtube.com/embed/abc" title="Launch video"></iframe>`,
			[]string{`<a href="https://www.youtube.com/embed/abc">Launch video</a>`}, []string{"iframe"}},
		{"text that looks like markup stays text", "<p>*not bold* and [not a link](x) and &lt;b&gt; and # not a heading</p>",
			[]string{"*not bold*", "[not a link](x)", "&lt;b&gt;", "# not a heading"}, []string{"<em>", "<b>", "<h1"}},
		{"a line that starts like a list stays a paragraph", "<p>1. Not a list</p>", []string{"<p>1. Not a list</p>"}, []string{"<ol"}},
		{"line breaks stay line breaks", "<p>Line one<br>Line two</p>", []string{"Line one<br>\nLine two"}, nil},
		{"scripts and styles are dropped", "<p>Kept</p><script>alert(1)</script><style>p{}</style>", []string{"<p>Kept</p>"}, []string{"alert", "p{}"}},
		{"code blocks keep their text", "<pre><code>if a &lt; b {\n  return\n}</code></pre>", []string{"<pre><code>if a &lt; b {\n  return\n}\n</code></pre>"}, nil},
		{"tables become tables", "<table><tr><th>City</th><th>Rain</th></tr><tr><td>Ellis</td><td>12 mm</td></tr></table>",
			[]string{"<th>City</th>", "<td>12 mm</td>"}, nil},
		{"the page marker splits pages", "<p>One</p><!--nextpage--><p>Two</p>", []string{"<p>One</p>"}, nil},
		{"non-ASCII text is kept", "<p>Ça va — Привет, 東京</p>", []string{"Ça va — Привет, 東京"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			md, _ := HTMLToMarkdown(tc.html, "")
			got := content.Render(md).HTML
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("rendered HTML lacks %q\nmarkdown:\n%s\nHTML:\n%s", w, md, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("rendered HTML has %q\nmarkdown:\n%s\nHTML:\n%s", n, md, got)
				}
			}
		})
	}
}

func TestHTMLToMarkdownSplitsPagesAtTheWordPressMarker(t *testing.T) {
	md, _ := HTMLToMarkdown("<p>One</p><!--nextpage--><p>Two</p>", "")
	if pages := content.Render(md).Pages; len(pages) != 2 {
		t.Errorf("%d pages from %q, want 2", len(pages), md)
	}
}

func TestHTMLToMarkdownResolvesRelativeAddresses(t *testing.T) {
	md, _ := HTMLToMarkdown(`<p><a href="/about">About</a> <img src="wp-content/a.jpg" alt="a"></p>`, "https://old.example.org/blog/")
	for _, w := range []string{"(https://old.example.org/about)", "(https://old.example.org/blog/wp-content/a.jpg)"} {
		if !strings.Contains(md, w) {
			t.Errorf("markdown %q lacks %q", md, w)
		}
	}
}

func TestHTMLToMarkdownNotesWhatItDrops(t *testing.T) {
	_, notes := HTMLToMarkdown("<p>a</p><script>x</script><form><input></form>", "")
	joined := strings.Join(notes, "; ")
	if !strings.Contains(joined, "<script>") || !strings.Contains(joined, "<form>") {
		t.Errorf("notes = %q, want the dropped script and form named", joined)
	}
}

func FuzzHTMLToMarkdown(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<ul><li><ol><li>x", "<figure><figcaption>c", "<a href=x>[*]</a>", "<pre>```</pre>", "<table><tr><td>|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 {
			return
		}
		md, _ := HTMLToMarkdown(src, "https://example.org/")
		if utf8.ValidString(src) && !utf8.ValidString(md) {
			t.Fatalf("invalid UTF-8 from valid input %q", src)
		}
		_ = content.Render(md)
	})
}
