package content

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// wallLayout writes a wall-clock time to the second, as ResolveLocal reads it.
const wallLayout = LocalLayout + ":05"

// tzZones returns the names of every zone in the tz database this machine
// has (the system's zoneinfo directory, else the zoneinfo.zip of the Go
// installation), or skips the test when it has none.
func tzZones(t *testing.T) []string {
	t.Helper()
	for _, dir := range []string{os.Getenv("ZONEINFO"), "/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"} {
		if names := zonesInDir(dir); len(names) > 0 {
			return names
		}
	}
	if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		if names := zonesInZip(filepath.Join(strings.TrimSpace(string(out)), "lib", "time", "zoneinfo.zip")); len(names) > 0 {
			return names
		}
	}
	t.Skip("no tz database on this machine (no zoneinfo directory, no Go zoneinfo.zip)")
	return nil
}

// zonesInDir lists the TZif files under dir, leaving out the posix/ and
// right/ copies (right/ counts leap seconds, which Go's clock does not).
func zonesInDir(dir string) []string {
	if dir == "" {
		return nil
	}
	var names []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			if name == "posix" || name == "right" {
				return filepath.SkipDir
			}
			return nil
		}
		if name == "localtime" || name == "posixrules" || !isTZif(path) {
			return nil
		}
		names = append(names, filepath.ToSlash(name))
		return nil
	})
	sort.Strings(names)
	return names
}

func isTZif(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 4)
	n, _ := f.Read(magic)
	return n == 4 && bytes.Equal(magic, []byte("TZif"))
}

func zonesInZip(path string) []string {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil
	}
	defer z.Close()
	var names []string
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, "/") {
			names = append(names, f.Name)
		}
	}
	sort.Strings(names)
	return names
}

// transition is a change of UTC offset in a zone: at At the offset goes
// from Before to After (seconds east of UTC).
type transition struct {
	At            time.Time
	Before, After int
}

// transitions returns the offset changes of loc in [from, to).
func transitions(loc *time.Location, from, to time.Time) []transition {
	var out []transition
	for at := from; at.Before(to); {
		_, next := at.In(loc).ZoneBounds()
		if next.IsZero() || !next.Before(to) {
			break
		}
		_, before := next.Add(-time.Second).In(loc).Zone()
		_, after := next.In(loc).Zone()
		if before != after {
			out = append(out, transition{At: next, Before: before, After: after})
		}
		at = next
	}
	return out
}

// wallCase is one wall-clock time and what ResolveLocal must say of it.
type wallCase struct {
	name    string
	wall    time.Time // the wall clock's fields, as UTC
	gap     bool
	choices []time.Time // the instants it names, earlier first (none for a gap)
}

// casesAround derives the wall times just inside and just outside a
// transition's gap or overlap from the offsets alone.
func casesAround(tr transition) []wallCase {
	before := time.Duration(tr.Before) * time.Second
	after := time.Duration(tr.After) * time.Second
	atWall := func(off time.Duration) time.Time { return tr.At.Add(off).UTC() }
	once := func(name string, wall time.Time, off time.Duration) wallCase {
		return wallCase{name: name, wall: wall, choices: []time.Time{wall.Add(-off)}}
	}
	cases := []wallCase{
		once("a second before the change is shown once", atWall(before).Add(-time.Second-max(0, before-after)), before),
		once("the wall time an hour before the change is shown once", atWall(before).Add(-time.Hour-max(0, before-after)), before),
		once("the wall time an hour after the change is shown once", atWall(after).Add(time.Hour+max(0, before-after)), after),
	}
	if after > before { // the clocks go forward: [At+before, At+after) never shows
		first, last := atWall(before), atWall(after).Add(-time.Second)
		return append(cases,
			wallCase{name: "the first skipped second is a gap", wall: first, gap: true},
			wallCase{name: "the last skipped second is a gap", wall: last, gap: true},
			once("the first second after the gap is shown once", atWall(after), after),
		)
	}
	// the clocks go back: [At+after, At+before) shows twice
	first, last := atWall(after), atWall(before).Add(-time.Second)
	return append(cases,
		wallCase{name: "the first repeated second is ambiguous", wall: first, choices: []time.Time{first.Add(-before), first.Add(-after)}},
		wallCase{name: "the last repeated second is ambiguous", wall: last, choices: []time.Time{last.Add(-before), last.Add(-after)}},
		once("the first second after the overlap is shown once", atWall(before), after),
	)
}

func TestResolveLocalFindsEveryGapAndOverlapOfTheNextTwoYears(t *testing.T) {
	from := time.Now().UTC().Truncate(24 * time.Hour)
	to := from.AddDate(2, 0, 0)
	var zones, changes, gaps, overlaps int
	sizes := map[time.Duration]bool{}
	for _, name := range tzZones(t) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			continue // a file in the directory that is not a zone Go can read
		}
		zones++
		trs := transitions(loc, from, to)
		if len(trs) == 0 {
			// a zone without changes: any wall time is shown once
			wall := from.AddDate(0, 6, 0)
			_, off := wall.In(loc).Zone()
			checkWall(t, name, loc, wallCase{name: "a zone without changes shows every time once", wall: wall,
				choices: []time.Time{wall.Add(-time.Duration(off) * time.Second)}})
			continue
		}
		for _, tr := range trs {
			changes++
			size := time.Duration(tr.After-tr.Before) * time.Second
			sizes[size.Abs()] = true
			if size > 0 {
				gaps++
			} else {
				overlaps++
			}
			for _, c := range casesAround(tr) {
				checkWall(t, name, loc, c)
			}
		}
	}
	if zones == 0 {
		t.Skip("no zone of the tz database could be loaded")
	}
	t.Logf("%d zones, %d offset changes (%d gaps, %d overlaps) between %s and %s; sizes %v",
		zones, changes, gaps, overlaps, from.Format(time.DateOnly), to.Format(time.DateOnly), sizes)
}

// checkWall runs ResolveLocal on c's wall time in loc and compares.
func checkWall(t *testing.T, zone string, loc *time.Location, c wallCase) {
	t.Helper()
	value := c.wall.Format(wallLayout)
	t.Run(zone+"/"+value+"/"+c.name, func(t *testing.T) {
		got, err := ResolveLocal("publish_at", value, loc)
		if c.gap {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("got %v, err %v; want a validation error for a skipped time", got, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("err = %v, want %v", err, c.choices)
		}
		if !got.At.Equal(c.choices[0]) {
			t.Errorf("At = %s, want %s", got.At.Format(time.RFC3339), c.choices[0].Format(time.RFC3339))
		}
		if want := len(c.choices) > 1; got.Ambiguous != want {
			t.Errorf("Ambiguous = %v, want %v (choices %v)", got.Ambiguous, want, got.Choices)
		}
		if len(c.choices) > 1 {
			if len(got.Choices) != len(c.choices) {
				t.Fatalf("Choices = %v, want %v", got.Choices, c.choices)
			}
			for i := range c.choices {
				if !got.Choices[i].Equal(c.choices[i]) {
					t.Errorf("Choices[%d] = %s, want %s", i, got.Choices[i], c.choices[i])
				}
			}
		}
	})
}
