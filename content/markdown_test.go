package content

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"sync"
	"testing"
)

func TestRenderMarkdown(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string // substrings of HTML
	}{
		{
			name: "a paragraph becomes a p element",
			body: "Talks resumed in *Geneva*.",
			want: []string{"<p>Talks resumed in <em>Geneva</em>.</p>"},
		},
		{
			name: "a table keeps its cells and alignment",
			body: "| City | Votes |\n|:--|--:|\n| Moscow | 12 |\n",
			want: []string{"<table>", `<th align="left">City</th>`, `<td align="right">12</td>`, "</table>"},
		},
		{
			name: "a footnote gets a reference and a note list",
			body: "Turnout rose.[^1]\n\n[^1]: Official figures.\n",
			want: []string{
				`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`,
				`<div class="footnotes" role="doc-endnotes">`,
				`<li id="fn:1">`,
				`Official figures.`,
				`class="footnote-backref" role="doc-backlink"`,
			},
		},
		{
			name: "strikethrough becomes del",
			body: "The ~~minister~~ president spoke.",
			want: []string{"<del>minister</del>"},
		},
		{
			name: "typographer curls quotes and apostrophes and sets dashes",
			body: `"Yes," she said -- it's over --- for now.`,
			want: []string{"“Yes,” she said – it’s over — for now."},
		},
		{
			name: "a bare www address becomes a link",
			body: "See www.example.com for more.",
			want: []string{`<a href="http://www.example.com">www.example.com</a>`},
		},
		{
			name: "a task list renders disabled checkboxes",
			body: "- [x] Confirm the quote\n- [ ] Call the ministry\n",
			want: []string{`<input checked="" disabled="" type="checkbox"> Confirm the quote`, `<input disabled="" type="checkbox"> Call the ministry`},
		},
		{
			name: "a fenced code block keeps its language class",
			body: "```go\nfmt.Println(\"<b>\")\n```\n",
			want: []string{`<pre><code class="language-go">fmt.Println(&#34;&lt;b&gt;&#34;)`},
		},
		{
			name: "headings, quotes and ordered lists survive",
			body: "## Background\n\n> Quoted.\n\n3. three\n4. four\n",
			want: []string{"<h2>Background</h2>", "<blockquote>", `<ol start="3">`},
		},
		{
			name: "http, https, mailto and relative links survive",
			body: "[a](http://a.example) [b](https://b.example/x?y=1) [c](mailto:desk@example.com) [d](/stories/moscow) [e](#top)",
			want: []string{`href="http://a.example"`, `href="https://b.example/x?y=1"`, `href="mailto:desk@example.com"`, `href="/stories/moscow"`, `href="#top"`},
		},
		{
			name: "an image with an https source survives",
			body: `![Red Square](https://cdn.example/red.jpg "At dusk")`,
			want: []string{`<img src="https://cdn.example/red.jpg" alt="Red Square" title="At dusk">`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Render(tt.body)
			for _, w := range tt.want {
				if !strings.Contains(r.HTML, w) {
					t.Errorf("HTML lacks %q:\n%s", w, r.HTML)
				}
			}
			if len(r.Pages) != 1 || r.Pages[0] != r.HTML {
				t.Errorf("a body without page breaks should have one page equal to HTML, got %d pages", len(r.Pages))
			}
			assertSafeHTML(t, r.HTML)
		})
	}
}

// pageBreakCase is a body with the number of pages it must give.
type pageBreakCase struct {
	name  string
	body  string
	pages int
}

func pageBreakCases() []pageBreakCase {
	return []pageBreakCase{
		{"a body without a marker has one page", "One.\n\nTwo.\n", 1},
		{"one marker makes two pages", "Page one.\n\n<!-- pagebreak -->\n\nPage two.\n", 2},
		{"two markers make three pages", "One.\n<!-- pagebreak -->\nTwo.\n<!-- pagebreak -->\nThree.\n", 3},
		{"a marker right after a paragraph line splits", "One.\n<!-- pagebreak -->\nTwo.\n", 2},
		{"a marker without spaces splits", "One.\n\n<!--pagebreak-->\n\nTwo.\n", 2},
		{"an upper-case marker splits", "One.\n\n<!-- PAGEBREAK -->\n\nTwo.\n", 2},
		{"a marker with extra spaces and tabs splits", "One.\n\n  <!--  \tPageBreak \t -->  \t\n\nTwo.\n", 2},
		{"a marker in a body with CRLF line ends splits", "One.\r\n\r\n<!-- pagebreak -->\r\n\r\nTwo.\r\n", 2},
		{"a marker inside a fenced code block does not split", "One.\n\n```\n<!-- pagebreak -->\n```\n\nStill one.\n", 1},
		{"a marker inside a tilde fence does not split", "~~~html\n<!-- pagebreak -->\n~~~\n", 1},
		{"a marker inside an unclosed fence does not split", "```\n<!-- pagebreak -->\nmore code\n", 1},
		{"an indented marker is code and does not split", "One.\n\n    <!-- pagebreak -->\n\nTwo.\n", 1},
		{"a marker inside a block quote does not split", "> One.\n> <!-- pagebreak -->\n> Two.\n", 1},
		{"a marker inside a list item does not split", "- One.\n\n  <!-- pagebreak -->\n\n  Still one.\n", 1},
		{"a marker with text after it does not split", "One.\n\n<!-- pagebreak --> Two.\n", 1},
		{"a differently worded comment does not split", "One.\n\n<!-- page break -->\n\nTwo.\n", 1},
		{"a leading marker makes no empty page", "<!-- pagebreak -->\n\nOnly page.\n", 1},
		{"a trailing marker makes no empty page", "Only page.\n\n<!-- pagebreak -->\n", 1},
		{"markers in a row make no empty page", "One.\n\n<!-- pagebreak -->\n<!-- pagebreak -->\n\nTwo.\n", 2},
		{"a page of raw HTML only is dropped", "One.\n\n<!-- pagebreak -->\n\n<div>hidden</div>\n\n<!-- pagebreak -->\n\nTwo.\n", 2},
	}
}

func TestRenderPageBreaks(t *testing.T) {
	for _, tt := range pageBreakCases() {
		t.Run(tt.name, func(t *testing.T) {
			r := Render(tt.body)
			if len(r.Pages) != tt.pages {
				t.Fatalf("got %d pages, want %d:\n%q", len(r.Pages), tt.pages, r.Pages)
			}
			if strings.Contains(strings.ToLower(r.HTML), "pagebreak") && !strings.Contains(r.HTML, "<code") {
				t.Errorf("HTML keeps a marker:\n%s", r.HTML)
			}
			for i, p := range r.Pages {
				if strings.TrimSpace(p) == "" {
					t.Errorf("page %d is empty", i+1)
				}
				if !strings.Contains(r.HTML, p) {
					t.Errorf("page %d is not part of HTML:\n%s\nHTML:\n%s", i+1, p, r.HTML)
				}
			}
		})
	}
	t.Run("each page holds its own text in order", func(t *testing.T) {
		r := Render("First.\n\n<!-- pagebreak -->\n\nSecond.\n\n<!-- pagebreak -->\n\nThird.\n")
		want := []string{"<p>First.</p>\n", "<p>Second.</p>\n", "<p>Third.</p>\n"}
		if fmt.Sprint(r.Pages) != fmt.Sprint(want) {
			t.Errorf("pages = %q, want %q", r.Pages, want)
		}
		if r.HTML != strings.Join(want, "") {
			t.Errorf("HTML = %q", r.HTML)
		}
	})
	t.Run("each page carries the footnotes it cites", func(t *testing.T) {
		body := "Claim one.[^a]\n\n<!-- pagebreak -->\n\nClaim two.[^b] Again.[^a]\n\n<!-- pagebreak -->\n\nNo notes.\n\n" +
			"[^a]: Source A.\n[^b]: Source B.\n"
		r := Render(body)
		if len(r.Pages) != 3 {
			t.Fatalf("got %d pages, want 3", len(r.Pages))
		}
		checks := []struct {
			page     int
			has, not []string
		}{
			{0, []string{"Source A."}, []string{"Source B."}},
			{1, []string{"Source A.", "Source B."}, nil},
			{2, nil, []string{"footnotes", "Source"}},
		}
		for _, c := range checks {
			for _, s := range c.has {
				if !strings.Contains(r.Pages[c.page], s) {
					t.Errorf("page %d lacks %q:\n%s", c.page+1, s, r.Pages[c.page])
				}
			}
			for _, s := range c.not {
				if strings.Contains(r.Pages[c.page], s) {
					t.Errorf("page %d has %q:\n%s", c.page+1, s, r.Pages[c.page])
				}
			}
		}
		if n := strings.Count(r.HTML, `<div class="footnotes"`); n != 1 {
			t.Errorf("HTML has %d footnote lists, want 1", n)
		}
		if n := strings.Count(r.HTML, "Source A."); n != 1 {
			t.Errorf("HTML has note A %d times, want 1", n)
		}
	})
	t.Run("a link reference defined on a later page resolves", func(t *testing.T) {
		r := Render("See [the report][r].\n\n<!-- pagebreak -->\n\nMore.\n\n[r]: https://example.com/report\n")
		if !strings.Contains(r.Pages[0], `<a href="https://example.com/report">the report</a>`) {
			t.Errorf("page 1 = %s", r.Pages[0])
		}
	})
}

func TestRenderEmptyBody(t *testing.T) {
	for name, body := range map[string]string{
		"an empty body":                "",
		"a body of white space":        " \n\t\n  ",
		"a body of page breaks only":   "<!-- pagebreak -->\n<!-- pagebreak -->\n",
		"a body of raw HTML only":      "<script>alert(1)</script>\n",
		"a body of a link reference":   "[r]: https://example.com\n",
		"a body of an unused footnote": "[^1]: Nobody cites me.\n",
		"a body of a self-citing note": "[^0]:[^0]0000000",
	} {
		t.Run(name+" renders to nothing", func(t *testing.T) {
			r := Render(body)
			if r.HTML != "" || r.Text != "" || len(r.Pages) != 0 || r.WordCount != 0 || r.ReadingMinutes != 0 {
				t.Errorf("Render(%q) = %+v, want zero", body, r)
			}
		})
	}
}

func TestRenderTextAndWords(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		text    string
		words   int
		minutes int
	}{
		{"plain words are counted", "one two three", "one two three", 3, 1},
		{"markup is not text", "**Bold** _move_ by [the bank](https://example.com).", "Bold move by the bank.", 5, 1},
		{"blocks are separated by a space", "# Title\nBody text\n\n- item\n- other", "Title Body text item other", 5, 1},
		{"entities are decoded", "Fish &amp; chips &lt;3 &copy;", "Fish & chips <3 ©", 3, 1},
		{"escaped markup stays text", "Use `<b>` and \\*stars\\*", "Use <b> and *stars*", 4, 1},
		{"dashes alone are not words", "Moscow -- Kyiv --- Minsk", "Moscow – Kyiv — Minsk", 3, 1},
		{"apostrophes and hyphens stay inside words", "It's a well-known fact", "It’s a well-known fact", 4, 1},
		{"Cyrillic words are counted", "Москва приняла решение", "Москва приняла решение", 3, 1},
		{"numbers are words", "In 2016, 42 % voted", "In 2016, 42 % voted", 4, 1},
		{"footnote numbers and back-links are not words", "Claim.[^1]\n\n[^1]: Source.", "Claim. Source.", 2, 1},
		{"table cells are separate words", "| a | b |\n|---|---|\n| c | d |", "a b c d", 4, 1},
		{"code is text", "```\nx := 1\n```", "x := 1", 2, 1},
		{"230 words take one minute", strings.Repeat("word ", 230), strings.TrimSpace(strings.Repeat("word ", 230)), 230, 1},
		{"231 words take two minutes", strings.Repeat("word ", 231), strings.TrimSpace(strings.Repeat("word ", 231)), 231, 2},
		{"a punctuation-only body has no words", "--- !!! ...", "— !!! …", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Render(tt.body)
			if r.Text != tt.text {
				t.Errorf("Text = %q, want %q", r.Text, tt.text)
			}
			if r.WordCount != tt.words {
				t.Errorf("WordCount = %d, want %d (Text %q)", r.WordCount, tt.words, r.Text)
			}
			if r.ReadingMinutes != tt.minutes {
				t.Errorf("ReadingMinutes = %d, want %d", r.ReadingMinutes, tt.minutes)
			}
		})
	}
	t.Run("page breaks are not text", func(t *testing.T) {
		r := Render("One.\n\n<!-- pagebreak -->\n\nTwo.")
		if r.Text != "One. Two." || r.WordCount != 2 {
			t.Errorf("Text = %q, WordCount = %d", r.Text, r.WordCount)
		}
	})
}

// securityCase is a body that tries to get script, event handlers or
// dangerous URLs into the rendered HTML. When inert is set, the attack may
// still show as escaped text or inside a title, where it does nothing;
// otherwise none of its words may appear in the output at all.
type securityCase struct {
	name  string
	body  string
	inert bool
}

func securityCases() []securityCase {
	return []securityCase{
		{"a script block", "<script>alert(1)</script>", false},
		{"an inline script", "Hello <script>alert(1)</script> world", false},
		{"an img with onerror", "<img src=x onerror=alert(1)>", false},
		{"an inline img with onerror", "Look: <img src=x onerror=alert(1)> here", false},
		{"a javascript link", "[x](javascript:alert(1))", false},
		{"a mixed-case javascript link", "[x](JaVaScRiPt:alert(1))", false},
		{"a javascript link with entities", "[x](&#106;avascript:alert(1))", false},
		{"a javascript link with a tab", "[x](<java\tscript:alert(1)>)", false},
		{"a javascript reference link", "[x][r]\n\n[r]: javascript:alert(1)", false},
		{"a vbscript link", "[x](vbscript:msgbox(1))", false},
		{"a data image", "![x](data:image/png;base64,AAAA)", false},
		{"a data image by reference", "![x][i]\n\n[i]: data:image/png;base64,AAAA", false},
		{"an anchor with a data URL", `<a href="data:text/html,<script>alert(1)</script>">x</a>`, false},
		{"an inline anchor with a data URL", `Click <a href="data:text/html;base64,PHNjcmlwdD4=">here</a> now`, false},
		{"a data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", false},
		{"an iframe", `<iframe src="https://evil.example"></iframe>`, false},
		{"a style block", "<style>body{display:none}</style>", false},
		{"an svg with onload", `<svg onload=alert(1)>`, false},
		{"an html comment", "<!-- <script>alert(1)</script> -->", false},
		{"a raw html block with a handler", "<div onclick=\"alert(1)\">\n\n*x*\n\n</div>", false},
		{"raw html inside a table", "| a |\n|---|\n| <img src=x onerror=alert(1)> |", false},
		{"raw html inside a footnote", "x[^1]\n\n[^1]: <script>alert(1)</script>", false},
		{"a link with an injected attribute", `[x](https://example.com" onclick="alert(1))`, true},
		{"a link title with an injected attribute", `[x](https://example.com "a\" onmouseover=\"alert(1)")`, true},
		{"a javascript autolink", "<javascript:alert(1)>", true},
	}
}

func TestRenderSecurity(t *testing.T) {
	for _, tt := range securityCases() {
		t.Run(tt.name+" is neutralized", func(t *testing.T) {
			r := Render(tt.body)
			for _, out := range append([]string{r.HTML}, r.Pages...) {
				forbidden := []string{"<script", "<iframe", "<style", "<svg", "<!--"}
				if !tt.inert {
					forbidden = append(forbidden, "onerror", "onload", "onclick", "javascript:", "vbscript:", "data:")
				}
				lower := strings.ToLower(out)
				for _, f := range forbidden {
					if strings.Contains(lower, f) {
						t.Errorf("output contains %q:\n%s", f, out)
					}
				}
				assertSafeHTML(t, out)
			}
		})
	}
}

func TestRenderConcurrently(t *testing.T) {
	bodies := []string{longStory(500), "Claim.[^1]\n\n<!-- pagebreak -->\n\nMore.\n\n[^1]: Note.", "| a |\n|---|\n| b |"}
	want := make([]Rendered, len(bodies))
	for i, b := range bodies {
		want[i] = Render(b)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				k := (g + i) % len(bodies)
				if got := Render(bodies[k]); fmt.Sprint(got) != fmt.Sprint(want[k]) {
					t.Errorf("concurrent Render of body %d differs", k)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkRender5000Words(b *testing.B) {
	body := longStory(5000)
	r := Render(body)
	if r.WordCount < 4900 || r.WordCount > 5100 || len(r.Pages) < 5 {
		b.Fatalf("fixture has %d words and %d pages, want about 5000 and at least 5", r.WordCount, len(r.Pages))
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Render(body)
	}
}

// longStory returns a markdown story of about words words with the usual
// mix: headings, emphasis, links, a list, a quote, a table, footnotes and a
// page break every ten paragraphs (about 1,000 words).
func longStory(words int) string {
	vocab := strings.Fields("the minister said on Tuesday that talks with regional leaders would resume after a week of protests in the capital where thousands gathered despite rain")
	var b strings.Builder
	for n, para := 0, 0; n < words; para++ {
		if para > 0 && para%10 == 0 {
			b.WriteString("<!-- pagebreak -->\n\n")
		}
		switch para % 10 {
		case 2:
			fmt.Fprintf(&b, "## Section %d\n\n", para)
			n += 2
		case 4:
			b.WriteString("- first point here\n- second point here\n- third point here\n\n")
			n += 9
		case 6:
			b.WriteString("> \"We will not back down,\" a protester said.\n\n")
			n += 7
		case 8:
			b.WriteString("| City | Turnout |\n|:--|--:|\n| Moscow | 12% |\n| Kazan | 9% |\n\n")
			n += 8
		}
		for i := 0; i < 90 && n < words; i++ {
			w := vocab[(para*7+i)%len(vocab)]
			switch i % 23 {
			case 5:
				w = "**" + w + "**"
			case 11:
				w = "[" + w + "](https://example.com/" + w + ")"
			case 17:
				w = "_" + w + "_"
			}
			b.WriteString(w)
			if i%15 == 14 {
				b.WriteString(".")
			}
			b.WriteByte(' ')
			n++
		}
		if para%5 == 0 {
			fmt.Fprintf(&b, "[^n%d]", para)
		}
		b.WriteString("\n\n")
	}
	for para := 0; para*90 < words+1000; para += 5 {
		fmt.Fprintf(&b, "[^n%d]: Agency report %d.\n", para, para)
	}
	return b.String()
}

// tagPattern matches the tags of sanitized HTML, where every "<" and ">"
// outside a tag is escaped; it captures the element name and attributes.
var tagPattern = regexp.MustCompile(`<(/?[^\s/>]*)([^>]*)>`)

// attrPattern matches one attribute of a sanitized tag, whose values are
// always double-quoted with any '"' escaped.
var attrPattern = regexp.MustCompile(`([^\s=/]+)(?:="([^"]*)")?`)

// emitted are the elements the markdown pipeline emits.
var emitted = regexp.MustCompile(`^/?(p|br|hr|h[1-6]|blockquote|ul|ol|li|pre|code|em|strong|del|sup|div|table|thead|tbody|tr|th|td|a|img|input)$`)

// assertSafeHTML fails t unless every tag of h is one the markdown pipeline
// emits (anything else is raw HTML from the body), with no event-handler
// attribute and no URL but http, https, mailto or relative ones.
func assertSafeHTML(t testing.TB, h string) {
	t.Helper()
	if problem := unsafeHTML(h); problem != "" {
		t.Errorf("%s in:\n%s", problem, h)
	}
}

// unsafeHTML describes the first thing in h that assertSafeHTML refuses,
// or returns "".
func unsafeHTML(h string) string {
	for _, tag := range tagPattern.FindAllStringSubmatch(h, -1) {
		if !emitted.MatchString(strings.ToLower(tag[1])) {
			return fmt.Sprintf("unexpected tag %q", tag[0])
		}
		for _, attr := range attrPattern.FindAllStringSubmatch(tag[2], -1) {
			name := strings.ToLower(attr[1])
			if strings.HasPrefix(name, "on") {
				return fmt.Sprintf("event handler in %q", tag[0])
			}
			value := strings.ToLower(html.UnescapeString(attr[2]))
			if name == "href" || name == "src" {
				scheme, _, found := strings.Cut(value, ":")
				if found && !strings.ContainsAny(scheme, "/?#") && scheme != "http" && scheme != "https" && scheme != "mailto" {
					return fmt.Sprintf("URL scheme %q in %q", scheme, tag[0])
				}
			}
			if name != "title" && name != "alt" && strings.Contains(value, "javascript:") {
				return fmt.Sprintf("javascript: in %q", tag[0])
			}
		}
	}
	return ""
}
