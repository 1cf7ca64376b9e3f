package content

import (
	"errors"
	"strings"
	"testing"
)

// hostileBodies returns bodies of about size bytes built to make a markdown
// parser do more than linear work: runs of link openings, unclosed and
// nested brackets, emphasis delimiters, comments, backticks, entities,
// deeply nested lists and quotes, long and wide tables. Each family comes
// as one unbroken line and as short lines, since a parser's inline work is
// bounded by the line or the paragraph it scans.
func hostileBodies(size int) map[string]string {
	units := map[string]string{
		"links":         "[a](",
		"images":        "![a](",
		"footnotes":     "[^a](",
		"open brackets": "[",
		"nested":        "[[]]",
		"bang brackets": "![",
		"label paren":   "](",
		"emphasis":      "*_",
		"strong":        "**a",
		"underscores":   "_a",
		"strikethrough": "~~a",
		"comments":      "<!--",
		"backticks":     "``a",
		"angles":        "<a",
		"entities":      "&#",
		"autolinks":     "www.",
		"references":    "[a]: ",
		"shortcut refs": "[a]",
		"quotes":        "> ",
		"list markers":  "- ",
		"ordered":       "1. ",
	}
	out := map[string]string{}
	for name, u := range units {
		out[name+" in one line"] = strings.Repeat(u, size/len(u))
		line := strings.Repeat(u, 200/len(u)) + "\n"
		out[name+" in short lines"] = strings.Repeat(line, size/len(line))
	}
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		b.WriteString(strings.Repeat("  ", i%400) + "- a\n")
	}
	out["indented list"] = b.String()
	row := "|" + strings.Repeat("x|", 200) + "\n"
	head := "|" + strings.Repeat("a|", 200) + "\n|" + strings.Repeat("-|", 200) + "\n"
	out["wide table"] = head + strings.Repeat(row, (size-len(head))/len(row))
	out["long table"] = "|a|b|\n|-|-|\n" + strings.Repeat("|x|y|\n", size/6)
	link := "[a](https://example.org/a)"
	out["adjacent links"] = strings.Repeat(link, size/len(link))
	for name, body := range out {
		if len(body) > size {
			out[name] = body[:size]
		}
	}
	return out
}

// BenchmarkRenderHostile renders every hostile family at the body size cap.
// Rendering must stay linear in the body: each should take well under a
// second (compare with BenchmarkRender5000Words per byte).
func BenchmarkRenderHostile(b *testing.B) {
	for name, body := range hostileBodies(MaxBody) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				Render(body)
			}
		})
	}
}

func TestCheckBodyRefusesBodiesTooCostlyToRender(t *testing.T) {
	hostile := hostileBodies(MaxBody)
	for _, name := range []string{
		"links in one line", "images in one line", "footnotes in one line",
		"links in short lines", "quotes in one line", "ordered in one line", "indented list",
	} {
		t.Run(name+" is refused, naming the body and a line", func(t *testing.T) {
			err := CheckBody(hostile[name])
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "body" {
				t.Fatalf("CheckBody = %v, want one invalid body field", err)
			}
			if !strings.Contains(e.Fields[0].Message, "line ") {
				t.Errorf("message %q does not name the line", e.Fields[0].Message)
			}
			edit := Edit{Headline: "Costly", Body: hostile[name]}
			edit.Normalize("UTC")
			if err := edit.Validate(); err == nil || !strings.Contains(err.Error(), "body: ") {
				t.Errorf("Validate = %v, want the body refused", err)
			}
		})
	}
}

func TestCheckBodyAcceptsWhatNewsroomsWrite(t *testing.T) {
	nested := func(depth int) string {
		var b strings.Builder
		for i := range depth {
			b.WriteString(strings.Repeat("  ", i) + "- level\n")
		}
		return b.String()
	}
	fenced := "```\n" + strings.Repeat("> > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > x\n", 100) +
		strings.Repeat("1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1. 1.\n", 100) + "```\n"
	link := "[the council's report](https://example.com/reports/2026/harbour-council?page=2)"
	cases := map[string]string{
		"a 5,000-word story":               longStory(5000),
		"a story at the size cap":          longStory(80_000)[:MaxBody-1],
		"a thousand links in prose":        strings.Repeat("As "+link+" says, the quay will be widened.\n\n", 1000),
		"adjacent links on one long line":  strings.Repeat(link, MaxBody/len(link)),
		"links with parentheses in them":   strings.Repeat("[Ferry (boat)](https://en.example.org/wiki/Ferry_(boat)) ", 5000),
		"lists nested 32 deep":             nested(MaxNesting),
		"quotes with lists inside":         strings.Repeat("> - a point\n>   - a detail\n>     1. a step\n\n", 1000),
		"nesting examples in a code fence": fenced,
		"a page of thematic breaks":        strings.Repeat("* * *\n\npara\n\n- - -\n\n", 1000),
		"lazy continuation lines":          strings.Repeat("- item\ncontinued lazily\n  - sub item\nmore\n\n", 1000),
	}
	for name, body := range cases {
		t.Run(name+" is accepted", func(t *testing.T) {
			if err := CheckBody(body); err != nil {
				t.Fatalf("CheckBody = %v", err)
			}
		})
	}
	if err := CheckBody(nested(MaxNesting + 1)); err == nil {
		t.Errorf("lists nested %d deep were accepted", MaxNesting+1)
	}
}

func TestRenderTurnsABodyTooCostlyToParseIntoEscapedText(t *testing.T) {
	body := "Intro <b>bold</b> & more\n\n" + strings.Repeat("[a](", 3_000_000/4) + "\n\nLast words"
	r := Render(body)
	if strings.Contains(r.HTML, "<a") || strings.Contains(r.HTML, "<b>") {
		t.Fatalf("HTML has markup: %.200q", r.HTML)
	}
	if !strings.HasPrefix(r.HTML, "<p>Intro &lt;b&gt;bold&lt;/b&gt; &amp; more</p>\n<p>[a]([a](") || !strings.HasSuffix(r.HTML, "<p>Last words</p>\n") {
		t.Errorf("HTML is not the escaped paragraphs: %.100q … %q", r.HTML, r.HTML[len(r.HTML)-40:])
	}
	if len(r.Pages) != 1 || r.Pages[0] != r.HTML {
		t.Errorf("got %d pages, want the HTML as one", len(r.Pages))
	}
	if r.WordCount != countWords(r.Text) || r.WordCount < 6 {
		t.Errorf("WordCount %d for Text of %d bytes", r.WordCount, len(r.Text))
	}
}
