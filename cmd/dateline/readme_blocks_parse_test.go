package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseReadmeReadsTheMarkers(t *testing.T) {
	md := strings.Join([]string{
		"# Title",
		"<!-- readme-test: serve -->",
		"```sh",
		"dateline serve --demo",
		"```",
		"",
		"<!-- readme-test: exit=2 want='\"code\":\"invalid\"' want=\"it's fine\" -->",
		"```bash",
		"X=1",
		"export Y=2",
		"```",
		"<!-- readme-test: skip: a crontab line -->",
		"```sh",
		"0 3 * * * true",
		"```",
		"```json",
		"{\"not\": \"shell\"}",
		"```",
	}, "\n")
	got, err := parseReadme(md)
	if err != nil {
		t.Fatal(err)
	}
	want := []readmeBlock{
		{line: 3, text: "dateline serve --demo\n", serve: true},
		{line: 8, text: "X=1\nexport Y=2\n", exit: 2, wants: []string{`"code":"invalid"`, "it's fine"}},
		{line: 13, text: "0 3 * * * true\n", skip: "a crontab line"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blocks\n%+v\nwant\n%+v", got, want)
	}
	if names := assignedNames(got[1].text); !reflect.DeepEqual(names, []string{"X", "Y"}) {
		t.Errorf("assigned names %v", names)
	}
}

func TestParseReadmeRefusesUnmarkedAndMisplacedMarkers(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{"a shell block without a marker", "text\n```sh\necho hi\n```\n", "line 2: shell block without a readme-test marker"},
		{"a marker before prose", "<!-- readme-test: want=x -->\nSome prose.\n```sh\necho\n```\n", "line 1: readme-test marker not followed by a shell block"},
		{"a marker on a JSON block", "<!-- readme-test: want=x -->\n```json\n{}\n```\n", "not shell"},
		{"a marker at the end", "```go\nx\n```\n<!-- readme-test: serve -->\n", "line 4: readme-test marker not followed"},
		{"an unknown key", "<!-- readme-test: expect=x -->\n```sh\necho\n```\n", `unknown readme-test key "expect"`},
		{"an unknown word", "<!-- readme-test: quickly -->\n```sh\necho\n```\n", `unknown readme-test word "quickly"`},
		{"a skip without a reason", "<!-- readme-test: skip: -->\n```sh\necho\n```\n", "skip needs a reason"},
		{"an unclosed quote", "<!-- readme-test: want='x -->\n```sh\necho\n```\n", "unclosed '"},
		{"a bad exit status", "<!-- readme-test: exit=300 -->\n```sh\necho\n```\n", "not an exit status"},
		{"a block never closed", "<!-- readme-test: run -->\n```sh\necho\n", "never closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is an error naming the line", func(t *testing.T) {
			_, err := parseReadme(tt.md)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// FuzzParseReadme checks that any document parses without panicking and
// that every block it returns lies within the document.
func FuzzParseReadme(f *testing.F) {
	f.Add("<!-- readme-test: want='a' exit=1 -->\n```sh\necho a\n```\n")
	f.Add("<!-- readme-test: skip: why -->\n~~~sh\nx\n~~~\n")
	f.Add("```\n<!-- readme-test: -->\n```sh\n")
	f.Fuzz(func(t *testing.T, md string) {
		blocks, _ := parseReadme(md)
		n := strings.Count(md, "\n") + 1
		for _, b := range blocks {
			if b.line < 1 || b.line > n || !strings.Contains(md, strings.TrimSuffix(b.text, "\n")) {
				t.Fatalf("block %+v is not in the document", b)
			}
		}
	})
}
