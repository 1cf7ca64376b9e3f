package content

import (
	"fmt"
	"html"
	"strings"
)

// Rendering cost. The markdown parser is linear in its input for everything
// a newsroom writes, but two constructs make it superlinear, and a body of
// the size cap built from them takes minutes:
//
//   - a link destination is scanned to the end of its line (or to the first
//     space or unbalanced ")"), once per "](", so a line made of "[a](" runs
//     costs the square of its length;
//   - quotes and lists nested in one another cost the parser their depth on
//     every line (more than that for lists), so "> > > …" or "1. 1. 1. …"
//     thousands deep costs the square of the body.
//
// renderBudget measures both in one linear pass before anything is parsed.
// Validate refuses a body over either limit, naming the line; Render turns
// such a body, which can only have been stored before these limits, into
// escaped paragraphs instead of parsing it, so Render is linear in the body
// whatever it contains.
const (
	// MaxNesting is how deep quotes and lists may be nested in one another.
	MaxNesting = 32
	// maxLinkScan is how many bytes the parser may scan for link
	// destinations in one body. An ordinary link costs the length of its
	// URL, so real stories stay far below it (at most about the body's
	// size); it bounds the scan at a few tens of milliseconds.
	maxLinkScan = 8 << 20
)

// renderCost reports, as a message for the body field, why body would cost
// more than linear time to render, or "" when it would not. It runs in time
// linear in the body.
func renderCost(body string) string {
	var (
		scanned int   // bytes of link destination scans so far
		items   []int // content columns of the list items open here
		blank   bool  // the previous line was blank
		fence   string
	)
	for n, ln := 1, body; ln != ""; n++ {
		var line string
		line, ln, _ = strings.Cut(ln, "\n")
		scanned += linkScan(line, maxLinkScan-scanned)
		if scanned > maxLinkScan {
			return fmt.Sprintf("has too many link openings (\"](\") without a closing \")\" on line %d and before it; add spaces or line breaks, or escape the brackets", n)
		}
		if depth := nesting(line, &items, &blank, &fence); depth > MaxNesting {
			return fmt.Sprintf("nests quotes and lists %d deep on line %d; at most %d", depth, n, MaxNesting)
		}
	}
	return ""
}

// linkScan returns how many bytes the parser scans for link destinations in
// line: from every "](", to the next space, the ")" that closes the
// destination or the end of the line, or, for a destination in angle
// brackets, to the ">". It counts every "](" as the end of a link label,
// which bounds the parser's work from above. It stops counting once the
// count passes budget, so it costs at most the line plus the budget.
func linkScan(line string, budget int) int {
	total := 0
	for i := 0; i+1 < len(line) && total <= budget; i++ {
		if line[i] != ']' || line[i+1] != '(' {
			continue
		}
		j := i + 2
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		start := j
		if j < len(line) && line[j] == '<' {
			if k := strings.IndexByte(line[j:], '>'); k >= 0 {
				j += k
			} else {
				j = len(line)
			}
		} else {
			open := 0
		scan:
			for ; j < len(line) && j-start <= budget-total; j++ {
				switch line[j] {
				case '\\':
					j++
				case '(':
					open++
				case ')':
					if open--; open < 0 {
						break scan
					}
				case ' ', '\t':
					break scan
				}
			}
		}
		total += j - start + 1
	}
	return total
}

// nesting returns how deep quotes and lists are nested on line, following
// the list items open before it in items (their content columns), which it
// updates. It is an estimate that never falls short of the parser's depth
// for deep nesting: a line that could be a lazy continuation of a paragraph
// closes no list, and lines in fenced code count nothing.
func nesting(line string, items *[]int, blank *bool, fence *string) int {
	rest := strings.TrimLeft(line, " \t")
	if rest == "" {
		*blank = true
		return 0
	}
	afterBlank := *blank
	*blank = false
	if *fence != "" {
		if strings.HasPrefix(rest, *fence) {
			*fence = ""
		}
		return 0
	}
	if f := fenceOpening(rest); f != "" {
		*fence = f
		return 0
	}
	quotes := 0
	for {
		rest = strings.TrimLeft(rest, " \t")
		if !strings.HasPrefix(rest, ">") {
			break
		}
		quotes++
		rest = rest[1:]
	}
	col := columns(line) - len(rest) + len(strings.TrimLeft(rest, " \t"))
	rest = strings.TrimLeft(rest, " \t")
	w := listMarker(rest)
	if w > 0 || afterBlank {
		for len(*items) > 0 && (*items)[len(*items)-1] > col {
			*items = (*items)[:len(*items)-1]
		}
	}
	for w > 0 {
		col += w
		*items = append(*items, col)
		rest = rest[w:]
		w = listMarker(rest)
	}
	return quotes + len(*items)
}

// columns returns the width of line with tabs to the next multiple of 4.
// Only its leading whitespace matters to nesting, which subtracts the rest.
func columns(line string) int {
	w := 0
	for i := 0; i < len(line); i++ {
		if line[i] == '\t' {
			w += 4 - w%4
		} else {
			w++
		}
	}
	return w
}

// listMarker returns the width of the list item marker that starts s,
// spaces after it included ("- ", "12. ", "3) "), or 0 when there is none.
func listMarker(s string) int {
	i := 0
	switch {
	case s == "":
		return 0
	case s[0] == '-' || s[0] == '*' || s[0] == '+':
		i = 1
	default:
		for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) || (s[i] != '.' && s[i] != ')') {
			return 0
		}
		i++
	}
	if i < len(s) && s[i] != ' ' && s[i] != '\t' {
		return 0
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// fenceOpening returns the fence ("```" or "~~~") that line, stripped of
// its indentation, opens, or "".
func fenceOpening(rest string) string {
	for _, f := range []string{"```", "~~~"} {
		if strings.HasPrefix(rest, f) {
			return f
		}
	}
	return ""
}

// renderEscaped renders body as paragraphs of escaped text, split at blank
// lines, in linear time: what Render gives for a body renderCost refuses.
func renderEscaped(body string) Rendered {
	var b strings.Builder
	for _, para := range strings.Split(body, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>")
			b.WriteString(html.EscapeString(para))
			b.WriteString("</p>\n")
		}
	}
	out := Rendered{HTML: b.String()}
	if out.HTML != "" {
		out.Pages = []string{out.HTML}
	}
	out.Text = plainText(out.HTML)
	out.WordCount = countWords(out.Text)
	out.ReadingMinutes = (out.WordCount + wordsPerMinute - 1) / wordsPerMinute
	return out
}
