package transfer

import (
	"encoding/json"
	"fmt"
	"strings"

	"dateline/content"
)

// lexicalNode is a node of a Lexical editor state as Ghost 5 stores it
// (posts.lexical): {"root":{"children":[…]}}. Cards keep their data in
// fields named after it.
type lexicalNode struct {
	Type      string                 `json:"type"`
	Children  []lexicalNode          `json:"children"`
	Text      string                 `json:"text"`
	Format    any                    `json:"format"` // text: a bit set; elements: an alignment string
	Tag       string                 `json:"tag"`    // heading: h1–h6
	ListType  string                 `json:"listType"`
	URL       string                 `json:"url"`
	Src       string                 `json:"src"`
	Alt       string                 `json:"alt"`
	Caption   string                 `json:"caption"` // HTML
	Title     string                 `json:"title"`
	HTML      string                 `json:"html"`
	Markdown  string                 `json:"markdown"`
	Code      string                 `json:"code"`
	Images    []lexicalNode          `json:"images"`
	Metadata  struct{ Title string } `json:"metadata"`
	Callout   string                 `json:"calloutText"` // HTML
	Heading   string                 `json:"heading"`     // toggle: HTML
	Content   string                 `json:"content"`     // toggle: HTML
	ButtonURL string                 `json:"buttonUrl"`
	ButtonTxt string                 `json:"buttonText"`
}

// Lexical text format bits.
const (
	lexBold      = 1
	lexItalic    = 2
	lexStrike    = 4
	lexUnderline = 8
	lexCode      = 16
)

// lexicalHTML renders a Lexical document as the HTML HTMLToMarkdown reads:
// paragraphs, headings, lists, quotes, links, text formats and Ghost's
// cards (image, gallery, embed, bookmark, HTML, markdown, code, callout,
// toggle, button, video, audio, file). Other cards are left out, with a note.
func lexicalHTML(src string) (string, []string, error) {
	var doc struct {
		Root *lexicalNode `json:"root"`
	}
	if err := json.Unmarshal([]byte(src), &doc); err != nil {
		return "", nil, fmt.Errorf("not a Lexical document: %s", jsonWhy(err))
	}
	if doc.Root == nil {
		return "", nil, fmt.Errorf("not a Lexical document: no root")
	}
	w := lexicalWriter{notes: map[string]bool{}}
	for _, n := range doc.Root.Children {
		w.block(n)
	}
	var notes []string
	for k := range w.notes {
		notes = append(notes, k)
	}
	return w.b.String(), notes, nil
}

type lexicalWriter struct {
	b     strings.Builder
	notes map[string]bool
}

func (w *lexicalWriter) block(n lexicalNode) {
	b := &w.b
	switch n.Type {
	case "paragraph", "extended-text":
		b.WriteString("<p>")
		w.inlines(n.Children)
		b.WriteString("</p>\n")
	case "heading", "extended-heading":
		tag := n.Tag
		if len(tag) != 2 || tag[0] != 'h' || tag[1] < '1' || tag[1] > '6' {
			tag = "h2"
		}
		b.WriteString("<" + tag + ">")
		w.inlines(n.Children)
		b.WriteString("</" + tag + ">\n")
	case "quote", "extended-quote", "aside":
		b.WriteString("<blockquote><p>")
		w.inlines(n.Children)
		b.WriteString("</p></blockquote>\n")
	case "list":
		tag := "ul"
		if n.ListType == "number" {
			tag = "ol"
		}
		b.WriteString("<" + tag + ">")
		for _, li := range n.Children {
			b.WriteString("<li>")
			for _, c := range li.Children {
				if c.Type == "list" {
					w.block(c)
				} else {
					w.inline(c)
				}
			}
			b.WriteString("</li>")
		}
		b.WriteString("</" + tag + ">\n")
	case "horizontalrule":
		b.WriteString("<hr>\n")
	case "image":
		w.figure(n.Src, n.Alt, n.Title, n.Caption)
	case "gallery":
		for _, img := range n.Images {
			w.figure(img.Src, img.Alt, img.Title, img.Caption)
		}
		if n.Caption != "" {
			b.WriteString("<p>" + n.Caption + "</p>\n")
		}
	case "embed", "bookmark", "video", "audio", "file":
		u := firstOf(n.URL, n.Src)
		if u == "" {
			w.notes["a Lexical "+n.Type+" card without an address is left out"] = true
			return
		}
		text := firstOf(n.Metadata.Title, firstOf(n.Title, u))
		b.WriteString(`<p><a href="` + escapeHTML(u) + `">` + escapeHTML(text) + "</a></p>\n")
		if n.Caption != "" {
			b.WriteString("<p>" + n.Caption + "</p>\n")
		}
	case "html":
		b.WriteString(n.HTML + "\n")
	case "markdown":
		b.WriteString(content.Render(n.Markdown).HTML + "\n")
	case "codeblock":
		b.WriteString("<pre><code>" + escapeHTML(n.Code) + "</code></pre>\n")
	case "callout":
		b.WriteString("<blockquote><p>" + n.Callout + "</p></blockquote>\n")
	case "toggle":
		b.WriteString("<h4>" + n.Heading + "</h4>\n<p>" + n.Content + "</p>\n")
	case "button":
		if n.ButtonURL != "" {
			b.WriteString(`<p><a href="` + escapeHTML(n.ButtonURL) + `">` + escapeHTML(firstOf(n.ButtonTxt, n.ButtonURL)) + "</a></p>\n")
		}
	default:
		if len(n.Children) > 0 {
			b.WriteString("<div>")
			for _, c := range n.Children {
				w.block(c)
			}
			b.WriteString("</div>\n")
			return
		}
		w.notes["Lexical "+n.Type+" cards are left out"] = true
	}
}

func (w *lexicalWriter) figure(src, alt, title, caption string) {
	if src == "" {
		return
	}
	w.b.WriteString(`<figure><img src="` + escapeHTML(src) + `" alt="` + escapeHTML(alt) + `" title="` + escapeHTML(title) + `">`)
	if caption != "" {
		w.b.WriteString("<figcaption>" + caption + "</figcaption>")
	}
	w.b.WriteString("</figure>\n")
}

func (w *lexicalWriter) inlines(ns []lexicalNode) {
	for _, n := range ns {
		w.inline(n)
	}
}

func (w *lexicalWriter) inline(n lexicalNode) {
	b := &w.b
	switch n.Type {
	case "text", "extended-text":
		if len(n.Children) > 0 {
			w.inlines(n.Children)
			return
		}
		f := 0
		if v, ok := n.Format.(float64); ok {
			f = int(v)
		}
		open, closing := "", ""
		for _, m := range []struct {
			bit int
			tag string
		}{{lexCode, "code"}, {lexBold, "strong"}, {lexItalic, "em"}, {lexStrike, "s"}, {lexUnderline, "u"}} {
			if f&m.bit != 0 {
				open += "<" + m.tag + ">"
				closing = "</" + m.tag + ">" + closing
			}
		}
		b.WriteString(open + escapeHTML(n.Text) + closing)
	case "linebreak":
		b.WriteString("<br>")
	case "link", "autolink":
		b.WriteString(`<a href="` + escapeHTML(n.URL) + `">`)
		w.inlines(n.Children)
		b.WriteString("</a>")
	case "tab":
		b.WriteString(" ")
	default:
		w.inlines(n.Children)
	}
}
