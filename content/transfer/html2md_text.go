package transfer

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// asciiSpace matches the runs of whitespace HTML collapses; a no-break
// space is not among them.
var asciiSpace = regexp.MustCompile(`[ \t\n\r\f]+`)

// entityLike matches what markdown would read as a character reference.
var entityLike = regexp.MustCompile(`&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)

// lineStart matches the start of a line that markdown would read as a
// heading, quote, list item, thematic break or setext underline.
var lineStart = regexp.MustCompile(`^(#|>|[-+=]|[0-9]+[.)])`)

// escapeText turns the text of an HTML text node into markdown that shows
// the same text: whitespace collapsed, punctuation that markdown would read
// as markup escaped.
func escapeText(s string) string {
	s = asciiSpace.ReplaceAllString(s, " ")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '~', '|':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return entityLike.ReplaceAllString(b.String(), `\&$1;`)
}

// tidyInline trims a paragraph's inline markdown, drops the spaces around
// its hard breaks and escapes what would start a block on any of its lines.
func tidyInline(s string) string {
	lines := strings.Split(s, "\\\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.Trim(asciiSpace.ReplaceAllString(l, " "), " ")
		if m := lineStart.FindString(l); m != "" {
			// The backslash goes before the punctuation: "1\. Not a list".
			l = m[:len(m)-1] + "\\" + l[len(m)-1:]
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" { // a trailing break shows nothing
		out = out[:len(out)-1]
	}
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	return strings.Join(out, "\\\n")
}

// wrap puts marker around s, moving its outer spaces outside, where
// markdown needs them for the emphasis to count.
func wrap(marker, s string) string {
	t := strings.Trim(s, " ")
	if t == "" {
		return s
	}
	lead, trail := "", ""
	if strings.HasPrefix(s, " ") {
		lead = " "
	}
	if strings.HasSuffix(s, " ") {
		trail = " "
	}
	return lead + marker + t + marker + trail
}

// codeSpan returns t as a code span, fenced by more backticks than any run
// inside it.
func codeSpan(t string) string {
	t = strings.ReplaceAll(strings.ReplaceAll(t, "\r", ""), "\n", " ")
	if t == "" {
		return ""
	}
	fenceLen := 1
	for strings.Contains(t, strings.Repeat("`", fenceLen)) {
		fenceLen++
	}
	f := strings.Repeat("`", fenceLen)
	if strings.HasPrefix(t, "`") || strings.HasSuffix(t, "`") {
		t = " " + t + " "
	}
	return f + t + f
}

// fence returns t as a fenced code block.
func fence(t string) string {
	t = strings.TrimRight(strings.TrimPrefix(t, "\n"), "\n ")
	f := "```"
	for strings.Contains(t, f) {
		f += "`"
	}
	return f + "\n" + t + "\n" + f
}

// quote prefixes every line of a block with "> ".
func quote(s string) string {
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// destination makes u safe as a link destination.
func destination(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(strings.TrimSpace(u))
}

func link(text, href string) string { return "[" + text + "](" + destination(href) + ")" }

// image returns n, an <img>, as a markdown image with title as its title;
// an image with an unsafe source keeps only its alt text.
func (c *converter) image(n *html.Node, title string) string {
	src := attr(n, "src")
	if src == "" {
		src = attr(n, "data-src")
	}
	src = c.abs(src)
	alt := escapeText(attr(n, "alt"))
	if !safeURL(src) {
		return alt
	}
	out := "![" + strings.TrimSpace(alt) + "](" + destination(src)
	if title != "" {
		out += ` "` + strings.ReplaceAll(title, `"`, `\"`) + `"`
	}
	return out + ")"
}

// embedLink turns an embedded player into a link to what it plays.
func embedLink(n *html.Node, c *converter) string {
	src := attr(n, "src")
	if src == "" {
		src = attr(n, "data")
	}
	if src == "" {
		walk(n, func(m *html.Node) bool {
			if m.DataAtom == atom.Source && src == "" {
				src = attr(m, "src")
			}
			return src == ""
		})
	}
	src = c.abs(src)
	if !safeURL(src) {
		c.note("dropped <%s> elements without a web address", n.Data)
		return ""
	}
	text := strings.TrimSpace(attr(n, "title"))
	if text == "" {
		text = src
	}
	return link(escapeText(text), src)
}

// embeddedURL returns the URL a WordPress embed figure (class
// wp-block-embed) holds as its text, or "".
func embeddedURL(fig *html.Node) string {
	if !strings.Contains(attr(fig, "class"), "wp-block-embed") {
		return ""
	}
	var u string
	walk(fig, func(m *html.Node) bool {
		if m.Type == html.TextNode && u == "" {
			if t := strings.TrimSpace(m.Data); safeURL(t) && strings.HasPrefix(t, "http") {
				u = t
			}
		}
		return m.DataAtom != atom.Figcaption
	})
	return u
}

// safeURL accepts http, https and mailto URLs and relative references.
func safeURL(raw string) bool {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return true
	case "":
		return !strings.HasPrefix(raw, "//") || u.Host != ""
	}
	return false
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// walk calls f for every descendant of n in document order; f returns
// whether to visit the node's own descendants.
func walk(n *html.Node, f func(*html.Node) bool) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if f(ch) {
			walk(ch, f)
		}
	}
}

// textOf returns the text inside n, as is.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(m *html.Node) bool {
		if m.Type == html.TextNode {
			b.WriteString(m.Data)
		}
		return true
	})
	return b.String()
}

// plainOf strips the markup of inline markdown, for a title attribute.
func plainOf(md string) string {
	return strings.NewReplacer("\\\n", " ", "**", "", "*", "", "\\", "").Replace(md)
}
