package content

import (
	"html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// policy is the second wall behind goldmark's own escaping: it keeps only
// the elements and attributes the markdown pipeline emits. It is built once,
// never modified, and bluemonday allows concurrent use of a built policy.
var policy = newPolicy()

// newPolicy builds the sanitizer policy. Anything not listed is dropped:
// script, style and iframe elements with their content, comments, on*
// handlers, style attributes. Links and images may only point to http,
// https, mailto or relative URLs, so javascript:, vbscript: and data: (also
// data:image) URLs are removed.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(
		"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
		"ul", "ol", "li", "pre", "code", "em", "strong", "del", "sup", "div",
		"table", "thead", "tbody", "tr", "th", "td",
	)
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|center|right)$`)).OnElements("th", "td")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w.+#-]+$`)).OnElements("code")

	p.AllowAttrs("href", "title").OnElements("a")
	p.AllowAttrs("src", "alt", "title").OnElements("img")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)

	// Task lists.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$`)).OnElements("input")

	// Footnotes: <sup id="fnref:1"><a href="#fn:1" class="footnote-ref"
	// role="doc-noteref">, <div class="footnotes" role="doc-endnotes">,
	// <li id="fn:1">, <a class="footnote-backref" role="doc-backlink">.
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^fn(ref\d*)?:\d+$`)).OnElements("sup", "li")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnote-(ref|backref)$`)).OnElements("a")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|backlink)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnotes$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-endnotes$`)).OnElements("div")
	return p
}

// sanitize returns b filtered through policy.
func sanitize(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return string(policy.SanitizeBytes(b))
}

// isInline reports whether plainText joins the element to its neighbours
// without a space; every other tag separates words.
func isInline(name string) bool {
	switch name {
	case "a", "em", "strong", "del", "code", "sup", "img", "input":
		return true
	}
	return false
}

// plainText returns the text of sanitized HTML h: no markup, entities
// decoded, runs of whitespace collapsed to one space, no leading or trailing
// space. The numbers of footnote references and the footnote back-links are
// left out. h must come from policy, which escapes every "<" and ">" that is
// not part of a tag and drops comments.
func plainText(h string) string {
	var b strings.Builder
	skip := false // inside a footnote reference or back-link
	for h != "" {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			if !skip {
				b.WriteString(h)
			}
			break
		}
		if !skip {
			b.WriteString(h[:i])
		}
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		tag := h[i+1 : i+j]
		h = h[i+j+1:]

		name, _, _ := strings.Cut(tag, " ")
		switch {
		case name == "a" && (strings.Contains(tag, `role="doc-noteref"`) || strings.Contains(tag, `role="doc-backlink"`)):
			skip = true
		case name == "/a":
			skip = false
		}
		if !isInline(strings.Trim(name, "/")) {
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}
