package content

import (
	"bufio"
	"bytes"
	"net/url"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// PageBreak is the marker editors put on a line of its own to split a body
// into pages. Render also accepts it in any letter case and with any spaces
// or tabs inside and around it ("<!--PAGEBREAK-->").
const PageBreak = "<!-- pagebreak -->"

// wordsPerMinute is the reading speed behind Rendered.ReadingMinutes.
const wordsPerMinute = 230

// markdown is the goldmark pipeline: CommonMark plus GFM (tables,
// strikethrough, autolinks, task lists), footnotes and typographic quotes
// and dashes. Raw HTML in the source is omitted, never passed through. It is
// built once, never modified, and goldmark allows concurrent use.
var markdown = goldmark.New(
	goldmark.WithExtensions(
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough,
		extension.Linkify,
		extension.TaskList,
		extension.Footnote,
		extension.Typographer,
	),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(imageFilter{}, 1000))),
)

// Render turns a markdown body into what a story stores and serves.
//
// HTML is the whole body with page-break markers removed, followed by the
// footnotes it cites; Pages holds the body split at the markers, each page
// rendered on its own and followed by the footnotes that page cites. A
// marker (see PageBreak) only counts on a line of its own at the top level
// of the document: one inside a fenced or indented code block, a list or a
// quote does not split. Pages that render to nothing (a leading marker, two
// markers in a row) are dropped, so a body without markers has one page,
// equal to HTML, and an empty body has none. Link references and footnote
// definitions resolve across pages.
//
// Both HTML and every page are sanitized: raw HTML in the body is dropped,
// and only the elements and attributes the markdown renderer itself emits
// survive, with http, https, mailto and relative URLs only.
//
// Text is the plain text of HTML (no markup, entities decoded, whitespace
// collapsed, footnote numbers and back-links left out). WordCount counts the
// whitespace-separated runs of Text that hold at least one letter or digit;
// ReadingMinutes is WordCount/230 rounded up, so 0 only when there are no
// words.
//
// A body Validate refuses as too costly to render (see MaxNesting) is
// rendered as paragraphs of escaped text instead, so Render takes time
// linear in the body whatever it holds.
//
// Render is safe for concurrent use.
func Render(body string) Rendered {
	if renderCost(body) != "" {
		return renderEscaped(body)
	}
	src := []byte(body)
	doc := markdown.Parser().Parse(text.NewReader(src))
	pages, notes := splitPages(doc, src)

	var out Rendered
	var whole strings.Builder
	var kept []ast.Node // the blocks of every page not dropped
	for _, page := range pages {
		blocks := sanitize(renderNodes(src, page...))
		if strings.TrimSpace(blocks) == "" {
			continue
		}
		whole.WriteString(blocks)
		kept = append(kept, page...)
		out.Pages = append(out.Pages, blocks+sanitize(renderFootnotes(src, notes, page)))
	}
	whole.WriteString(sanitize(renderFootnotes(src, notes, kept)))
	out.HTML = whole.String()
	out.Text = plainText(out.HTML)
	out.WordCount = countWords(out.Text)
	out.ReadingMinutes = (out.WordCount + wordsPerMinute - 1) / wordsPerMinute
	return out
}

// splitPages groups the top-level blocks of doc into pages at page-break
// markers, leaving the markers out, and returns the footnote list (which the
// footnote extension puts last in the document), if any, separately.
func splitPages(doc ast.Node, src []byte) (pages [][]ast.Node, notes ast.Node) {
	var page []ast.Node
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch {
		case n.Kind() == extast.KindFootnoteList:
			notes = n
		case isPageBreak(n, src):
			pages = append(pages, page)
			page = nil
		default:
			page = append(page, n)
		}
	}
	return append(pages, page), notes
}

// isPageBreak reports whether n is an HTML block made of one line that holds
// only the page-break marker.
func isPageBreak(n ast.Node, src []byte) bool {
	b, ok := n.(*ast.HTMLBlock)
	if !ok || b.HTMLBlockType != ast.HTMLBlockType2 || b.Lines().Len() != 1 || b.HasClosure() {
		return false
	}
	line := b.Lines().At(0)
	s := bytes.TrimSpace(line.Value(src))
	inner, ok := bytes.CutPrefix(s, []byte("<!--"))
	if !ok {
		return false
	}
	inner, ok = bytes.CutSuffix(inner, []byte("-->"))
	return ok && bytes.EqualFold(bytes.TrimSpace(inner), []byte("pagebreak"))
}

// renderNodes renders nodes, in order, as unsanitized HTML.
func renderNodes(src []byte, nodes ...ast.Node) []byte {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	for _, n := range nodes {
		// Writes go to memory and cannot fail; goldmark reports no other errors.
		_ = markdown.Renderer().Render(w, src, n)
	}
	_ = w.Flush()
	return buf.Bytes()
}

// renderFootnotes renders, as unsanitized HTML in the form goldmark uses for
// the whole document, the footnotes of list that page cites, directly or
// through an earlier footnote. It returns nil when page cites none.
func renderFootnotes(src []byte, list ast.Node, page []ast.Node) []byte {
	if list == nil {
		return nil
	}
	cited := map[int]bool{}
	cite := func(n ast.Node) {
		_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if link, ok := n.(*extast.FootnoteLink); ok && entering {
				cited[link.Index] = true
			}
			return ast.WalkContinue, nil
		})
	}
	for _, n := range page {
		cite(n)
	}
	var notes []ast.Node
	for n := list.FirstChild(); n != nil; n = n.NextSibling() {
		if fn, ok := n.(*extast.Footnote); ok && cited[fn.Index] {
			notes = append(notes, fn)
			cite(fn)
		}
	}
	if len(notes) == 0 {
		return nil
	}
	var buf bytes.Buffer
	buf.WriteString("<div class=\"footnotes\" role=\"doc-endnotes\">\n<hr>\n<ol>\n")
	buf.Write(renderNodes(src, notes...))
	buf.WriteString("</ol>\n</div>\n")
	return buf.Bytes()
}

// countWords counts the whitespace-separated fields of s that contain at
// least one letter or digit.
func countWords(s string) int {
	words, counted := 0, false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			counted = false
		case !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			words++
			counted = true
		}
	}
	return words
}

// imageFilter replaces every image whose source is not an http, https or
// relative URL with its alt text, so that the sanitizer, which would strip
// such a source, is not left with an <img> that shows nothing.
type imageFilter struct{}

// Transform implements parser.ASTTransformer.
func (imageFilter) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var unsafe []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering && !imageURL(string(img.Destination)) {
			unsafe = append(unsafe, img)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range unsafe {
		parent := img.Parent()
		for c := img.FirstChild(); c != nil; c = img.FirstChild() {
			parent.InsertBefore(parent, img, c)
		}
		parent.RemoveChild(parent, img)
	}
}

// imageURL reports whether dest is an http, https or relative URL.
func imageURL(dest string) bool {
	u, err := url.Parse(dest)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https":
		return true
	}
	return false
}
