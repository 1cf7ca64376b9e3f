package admin

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffLine is one line of a line diff: Op is "=", "-" (only before) or
// "+" (only after).
type diffLine struct {
	Op   string
	Text string
}

// diffLines returns a line diff of a and b: Myers' algorithm over lines
// (diffmatchpatch maps each distinct line to one rune and bisects), in
// time about (lines × differences) and memory linear in the lines, so a
// revision of the largest body diffs without the quadratic table a longest
// common subsequence needs. The diff is minimal but for the clean-ups
// diffmatchpatch makes; an empty a has no lines.
func diffLines(a, b string) []diffLine {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // no time limit: the work is bounded by the body size cap
	ra, rb, lines := dmp.DiffLinesToRunes(withNewline(a), withNewline(b))
	var out []diffLine
	for _, d := range dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines) {
		op := "="
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = "-"
		case diffmatchpatch.DiffInsert:
			op = "+"
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				out = append(out, diffLine{op, strings.TrimSuffix(l, "\n")})
			}
		}
	}
	return out
}

// withNewline ends every line of s, the last one too, with "\n", so that
// "a" and "a\n" diff as the same line and an empty s has no lines.
func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}
