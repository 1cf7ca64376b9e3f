package admin

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestDiffLines(t *testing.T) {
	cases := []struct {
		name, a, b string
		want       string // one op and line per row
	}{
		{"equal texts are all kept", "a\nb", "a\nb", "=a =b"},
		{"a first revision is all added", "", "a\nb", "+a +b"},
		{"a line changed in the middle", "a\nb\nc", "a\nB\nc", "=a -b +B =c"},
		{"a line added at the end", "a\nb", "a\nb\nc", "=a =b +c"},
		{"a line removed at the start", "a\nb\nc", "b\nc", "-a =b =c"},
		{"a trailing newline is no line of its own", "a\n", "a", "=a"},
		{"blank lines count as lines", "a\n\nb", "a\nb", "=a - =b"},
		{"repeated lines pair up minimally", "x\ny\nx\ny", "y\nx\ny\nx", "-x =y =x =y +x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range diffLines(tc.a, tc.b) {
				got = append(got, d.Op+d.Text)
			}
			if want := strings.Fields(tc.want); !reflect.DeepEqual(got, want) {
				t.Errorf("diff = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDiffLinesOfLargeBodiesKeepsEveryLine checks a diff of two bodies of
// ten thousand lines each (which the old quadratic table refused to diff)
// against both texts: the kept and removed lines give the first, the kept
// and added ones the second, and only the changed lines are not kept.
func TestDiffLinesOfLargeBodiesKeepsEveryLine(t *testing.T) {
	var a, b []string
	for i := range 10_000 {
		a = append(a, fmt.Sprintf("paragraph %d of the story", i))
		if i%1000 == 7 {
			b = append(b, fmt.Sprintf("paragraph %d, corrected", i))
		} else {
			b = append(b, a[i])
		}
	}
	var before, after []string
	changed := 0
	for _, d := range diffLines(strings.Join(a, "\n"), strings.Join(b, "\n")) {
		if d.Op != "+" {
			before = append(before, d.Text)
		}
		if d.Op != "-" {
			after = append(after, d.Text)
		}
		if d.Op != "=" {
			changed++
		}
	}
	if !reflect.DeepEqual(before, a) || !reflect.DeepEqual(after, b) {
		t.Fatal("the diff does not give back both texts")
	}
	if changed != 20 {
		t.Errorf("%d lines marked changed, want 20 (10 removed, 10 added)", changed)
	}
}

func BenchmarkDiffLinesLargeBody(b *testing.B) {
	var x, y []string
	for i := range 10_000 {
		x = append(x, fmt.Sprintf("paragraph %d of the story", i))
		if i%100 == 3 {
			y = append(y, fmt.Sprintf("paragraph %d, corrected", i))
		} else {
			y = append(y, x[i])
		}
	}
	a, c := strings.Join(x, "\n"), strings.Join(y, "\n")
	b.ReportAllocs()
	for b.Loop() {
		diffLines(a, c)
	}
}
