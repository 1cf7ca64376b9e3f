package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The README's shell examples are tests (readme_test.go). Every fenced
// block whose info string starts with sh, bash or shell must carry a marker
// on the line right before its opening fence, an HTML comment that
// Markdown renderers do not show:
//
//	<!-- readme-test: serve -->             the block starts the demo server; it runs
//	                                        in the background for every block after it
//	<!-- readme-test: want='"id":' -->      the block runs; it must exit 0 and print
//	                                        (stdout and stderr) every want fragment
//	<!-- readme-test: exit=2 want='…' -->   the block must exit with that status
//	<!-- readme-test: skip: why -->         the block is not run, for the reason given
//
// Values are 'single-quoted', "double-quoted" or bare words.

// readmeBlock is one shell example of the README.
type readmeBlock struct {
	line  int    // of the opening fence, 1-based
	text  string // the commands
	serve bool
	skip  string // the reason it is not run; "" runs it
	exit  int
	wants []string
}

var (
	fenceRe  = regexp.MustCompile("^(```+|~~~+)\\s*(\\S*)")
	markerRe = regexp.MustCompile(`^<!--\s*readme-test:(.*?)-->\s*$`)
)

// shellInfo reports whether a fence's info string names a shell.
func shellInfo(info string) bool {
	switch strings.ToLower(info) {
	case "sh", "bash", "shell":
		return true
	}
	return false
}

// parseReadme returns the shell blocks of a Markdown document in order,
// with their markers. A shell block without a marker, a marker that is not
// followed by a shell block, an unknown key and a block left open are
// errors naming the line.
func parseReadme(md string) ([]readmeBlock, error) {
	lines := strings.Split(md, "\n")
	var blocks []readmeBlock
	var problems []string
	pending, pendingLine := "", 0
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if m := markerRe.FindStringSubmatch(line); m != nil {
			if pending != "" {
				problems = append(problems, fmt.Sprintf("line %d: readme-test marker not followed by a shell block", pendingLine))
			}
			pending, pendingLine = strings.TrimSpace(m[1]), i+1
			if pending == "" {
				pending = "run"
			}
			continue
		}
		m := fenceRe.FindStringSubmatch(line)
		if m == nil {
			if strings.TrimSpace(line) != "" && pending != "" {
				problems = append(problems, fmt.Sprintf("line %d: readme-test marker not followed by a shell block", pendingLine))
				pending = ""
			}
			continue
		}
		fence, start := m[1], i
		var body []string
		closed := false
		for i++; i < len(lines); i++ {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), fence[:3]) && strings.Trim(strings.TrimSpace(lines[i]), fence[:1]) == "" {
				closed = true
				break
			}
			body = append(body, strings.TrimRight(lines[i], "\r"))
		}
		if !closed {
			problems = append(problems, fmt.Sprintf("line %d: a code block is never closed", start+1))
			break
		}
		marker := pending
		pending = ""
		if !shellInfo(m[2]) {
			if marker != "" {
				problems = append(problems, fmt.Sprintf("line %d: readme-test marker on a %q block, which is not shell", pendingLine, m[2]))
			}
			continue
		}
		if marker == "" {
			problems = append(problems, fmt.Sprintf("line %d: shell block without a readme-test marker (run it, or say why not with skip: …)", start+1))
			continue
		}
		b, err := parseMarker(marker)
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", pendingLine, err))
			continue
		}
		b.line, b.text = start+1, strings.Join(body, "\n")+"\n"
		blocks = append(blocks, b)
	}
	if pending != "" {
		problems = append(problems, fmt.Sprintf("line %d: readme-test marker not followed by a shell block", pendingLine))
	}
	if len(problems) > 0 {
		return blocks, fmt.Errorf("README: %s", strings.Join(problems, "; "))
	}
	return blocks, nil
}

// parseMarker reads the inside of a readme-test marker.
func parseMarker(s string) (readmeBlock, error) {
	var b readmeBlock
	if reason, ok := strings.CutPrefix(s, "skip:"); ok {
		if b.skip = strings.TrimSpace(reason); b.skip == "" {
			return b, fmt.Errorf("skip needs a reason")
		}
		return b, nil
	}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		i := strings.IndexAny(s, "= \t")
		if i < 0 || s[i] != '=' { // a word
			word := s
			if i >= 0 {
				word, s = s[:i], s[i:]
			} else {
				s = ""
			}
			switch word {
			case "serve":
				b.serve = true
			case "run":
			default:
				return b, fmt.Errorf("unknown readme-test word %q", word)
			}
			continue
		}
		key := s[:i]
		value, rest, err := markerValue(s[i+1:])
		if err != nil {
			return b, fmt.Errorf("%s: %v", key, err)
		}
		s = rest
		switch key {
		case "want":
			b.wants = append(b.wants, value)
		case "exit":
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 || n > 255 {
				return b, fmt.Errorf("exit=%q is not an exit status", value)
			}
			b.exit = n
		default:
			return b, fmt.Errorf("unknown readme-test key %q", key)
		}
	}
	return b, nil
}

// markerValue reads a quoted or bare value from the start of s and returns
// it and what follows.
func markerValue(s string) (value, rest string, err error) {
	if s == "" {
		return "", "", fmt.Errorf("no value")
	}
	if q := s[0]; q == '\'' || q == '"' {
		end := strings.IndexByte(s[1:], q)
		if end < 0 {
			return "", "", fmt.Errorf("unclosed %c", q)
		}
		return s[1 : end+1], s[end+2:], nil
	}
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], s[i:], nil
	}
	return s, "", nil
}

// assignedNames returns the shell variables a block assigns at the start of
// a line (NAME=… or export NAME=…), which later blocks may use.
func assignedNames(text string) []string {
	var names []string
	seen := map[string]bool{}
	for _, m := range assignRe.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
		}
	}
	return names
}

var assignRe = regexp.MustCompile(`(?m)^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=`)
