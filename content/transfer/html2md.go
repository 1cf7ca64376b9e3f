package transfer

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"dateline/content"
)

// HTMLToMarkdown converts the HTML of a post body into the markdown a
// Dateline body holds, so that rendering it keeps the post's paragraphs,
// headings, lists, quotes, code, tables, links, images and captions
// (<figure>/<figcaption>, as an image followed by its caption in italics).
// Embedded media (iframes, embed figures) become links to what they
// embed. Comments are dropped except WordPress's <!--nextpage-->, which
// becomes a page break. Scripts, styles, forms and anything else without a
// markdown form keep only their text, or nothing; notes says what was
// dropped, one entry per kind.
// Relative addresses are resolved against base, when it is given.
func HTMLToMarkdown(src, base string) (md string, notes []string) {
	doc, err := html.ParseFragment(strings.NewReader(src), &html.Node{Type: html.ElementNode, DataAtom: atom.Body, Data: "body"})
	if err != nil { // not reached: the parser reads from a string
		return "", []string{"the HTML could not be read: " + err.Error()}
	}
	c := converter{notes: map[string]bool{}}
	if b, err := url.Parse(base); err == nil && b.IsAbs() {
		c.base = b
	}
	for _, n := range doc {
		c.block(n, 0)
	}
	c.flush()
	for k := range c.notes {
		notes = append(notes, k)
	}
	return strings.TrimSpace(strings.Join(c.blocks, "\n\n")), notes
}

// converter gathers markdown blocks; inline holds the paragraph being
// built from loose inline content.
type converter struct {
	blocks []string
	inline strings.Builder
	notes  map[string]bool
	base   *url.URL // resolves relative addresses; nil: kept as they are
}

// abs resolves u against the base.
func (c *converter) abs(u string) string {
	u = strings.TrimSpace(u)
	if c.base == nil || u == "" {
		return u
	}
	ref, err := url.Parse(u)
	if err != nil {
		return u
	}
	return c.base.ResolveReference(ref).String()
}

func (c *converter) note(format string, args ...any) { c.notes[fmt.Sprintf(format, args...)] = true }

// flush ends the loose paragraph, if any.
func (c *converter) flush() {
	if s := tidyInline(c.inline.String()); s != "" {
		c.blocks = append(c.blocks, s)
	}
	c.inline.Reset()
}

func (c *converter) add(block string) {
	c.flush()
	if strings.TrimSpace(block) != "" {
		c.blocks = append(c.blocks, block)
	}
}

// block converts n, a node at block level, depth lists deep.
func (c *converter) block(n *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		c.inline.WriteString(escapeText(n.Data))
		return
	case html.CommentNode:
		if strings.EqualFold(strings.TrimSpace(n.Data), "nextpage") {
			c.add(content.PageBreak)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.P:
		c.add(tidyInline(c.inlines(n)))
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		level := int(n.Data[1] - '0')
		if s := tidyInline(c.inlines(n)); s != "" {
			c.add(strings.Repeat("#", level) + " " + strings.ReplaceAll(s, "\\\n", " "))
		}
	case atom.Ul, atom.Ol:
		c.add(c.list(n, depth))
	case atom.Blockquote:
		c.add(quote(c.sub(n, depth)))
	case atom.Pre:
		c.add(fence(textOf(n)))
	case atom.Hr:
		c.add("---")
	case atom.Figure:
		c.figure(n, depth)
	case atom.Img:
		c.add(c.image(n, ""))
	case atom.Iframe, atom.Video, atom.Audio, atom.Embed, atom.Object:
		c.add(embedLink(n, c))
	case atom.Table:
		c.add(c.table(n))
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Form, atom.Button, atom.Input, atom.Select, atom.Textarea:
		c.note("dropped <%s> elements", n.Data)
	case atom.Br:
		c.inline.WriteString("\\\n")
	case atom.A, atom.Strong, atom.B, atom.Em, atom.I, atom.Code, atom.Del, atom.S, atom.Strike, atom.Span,
		atom.Sup, atom.Sub, atom.Small, atom.Mark, atom.U, atom.Abbr, atom.Cite, atom.Q, atom.Time, atom.Kbd:
		c.inline.WriteString(c.inlineNode(n))
	default: // div, section, article, figcaption outside a figure, …
		c.flush()
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.block(ch, depth)
		}
		c.flush()
	}
}

// sub converts the children of n as a document of their own.
func (c *converter) sub(n *html.Node, depth int) string { return c.subJoin(n, depth, "\n\n") }

// subJoin is sub with the blocks joined by sep: a list item without
// paragraphs of its own joins its text and nested lists by one newline, so
// that the list stays tight.
func (c *converter) subJoin(n *html.Node, depth int, sep string) string {
	inner := converter{notes: c.notes, base: c.base}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		inner.block(ch, depth)
	}
	inner.flush()
	return strings.Join(inner.blocks, sep)
}

func (c *converter) list(n *html.Node, depth int) string {
	var out []string
	num := 1
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		marker := "- "
		if n.DataAtom == atom.Ol {
			marker = fmt.Sprintf("%d. ", num)
			num++
		}
		sep := "\n"
		for ch := li.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.DataAtom == atom.P || ch.DataAtom == atom.Blockquote || ch.DataAtom == atom.Pre {
				sep = "\n\n"
			}
		}
		body := c.subJoin(li, depth+1, sep)
		if body == "" {
			body = "\u00a0"
		}
		pad := strings.Repeat(" ", len(marker))
		lines := strings.Split(body, "\n")
		for i, l := range lines {
			switch {
			case i == 0:
				lines[i] = marker + l
			case l != "":
				lines[i] = pad + l
			}
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n")
}

// figure converts an image with its caption, or an embed figure into a
// link to what it embeds.
func (c *converter) figure(n *html.Node, depth int) {
	var img, media *html.Node
	var caption string
	walk(n, func(m *html.Node) bool {
		switch m.DataAtom {
		case atom.Img:
			if img == nil {
				img = m
			}
		case atom.Iframe, atom.Video, atom.Audio, atom.Embed, atom.Object:
			media = m
		case atom.Figcaption:
			caption = tidyInline(c.inlines(m))
			return false
		}
		return true
	})
	switch {
	case img != nil:
		c.add(c.image(img, plainOf(caption)))
		if caption != "" {
			c.add("*" + caption + "*")
		}
	case media != nil:
		c.add(embedLink(media, c))
		c.add(caption)
	default:
		if u := embeddedURL(n); u != "" { // a WordPress embed block holds its URL as text
			c.add(link(u, u))
			c.add(caption)
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.block(ch, depth)
		}
	}
}

func (c *converter) table(n *html.Node) string {
	var rows [][]string
	walk(n, func(m *html.Node) bool {
		if m.DataAtom != atom.Tr {
			return true
		}
		var cells []string
		for td := m.FirstChild; td != nil; td = td.NextSibling {
			if td.DataAtom == atom.Td || td.DataAtom == atom.Th {
				cell := strings.ReplaceAll(tidyInline(c.inlines(td)), "\\\n", " ")
				cells = append(cells, strings.ReplaceAll(cell, "|", "\\|"))
			}
		}
		rows = append(rows, cells)
		return false
	})
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	if width == 0 {
		return ""
	}
	var b strings.Builder
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// inlines converts the children of n as inline content.
func (c *converter) inlines(n *html.Node) string {
	var b strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		b.WriteString(c.inlineNode(ch))
	}
	return b.String()
}

func (c *converter) inlineNode(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		return escapeText(n.Data)
	case html.ElementNode:
	default:
		return ""
	}
	switch n.DataAtom {
	case atom.Strong, atom.B:
		return wrap("**", c.inlines(n))
	case atom.Em, atom.I, atom.Cite:
		return wrap("*", c.inlines(n))
	case atom.Del, atom.S, atom.Strike:
		return wrap("~~", c.inlines(n))
	case atom.Code, atom.Kbd:
		return codeSpan(textOf(n))
	case atom.Br:
		return "\\\n"
	case atom.A:
		text := c.inlines(n)
		href := c.abs(attr(n, "href"))
		if !safeURL(href) || strings.TrimSpace(text) == "" {
			return text
		}
		return link(strings.TrimSpace(text), href)
	case atom.Img:
		return c.image(n, "")
	case atom.Iframe, atom.Video, atom.Audio, atom.Embed, atom.Object:
		return embedLink(n, c)
	case atom.Script, atom.Style, atom.Noscript, atom.Template:
		c.note("dropped <%s> elements", n.Data)
		return ""
	case atom.Ul, atom.Ol, atom.P, atom.Div, atom.Blockquote, atom.Pre, atom.Table, atom.Figure,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		// A block inside inline content (an <a> around a paragraph):
		// keep its inline content.
		return " " + c.inlines(n) + " "
	default:
		return c.inlines(n)
	}
}
