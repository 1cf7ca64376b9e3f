package content

import (
	"fmt"
	"time"
)

// LocalLayout is how the admin app's schedule picker sends a newsroom-local
// wall-clock time (the HTML datetime-local format).
const LocalLayout = "2006-01-02T15:04"

// LocalTime is a wall-clock time resolved in a zone.
type LocalTime struct {
	At        time.Time   // the instant chosen
	Ambiguous bool        // the wall clock shows this time more than once (the clocks go back)
	Choices   []time.Time // with Ambiguous: every instant it names, in UTC, earlier first
}

// offsetSpan bounds the distance between a wall-clock time read as UTC and
// any instant that shows it: real UTC offsets stay within ±26 hours.
const offsetSpan = 26 * time.Hour

// ResolveLocal turns a wall-clock time in loc into an instant. A time the
// clock skips (the clocks go forward, by any amount) is a validation error
// on field; a time it shows more than once resolves to the earliest instant
// with Ambiguous set and every instant in Choices, so the caller can warn
// and offer the others. Gaps and overlaps come from loc's own transitions,
// whatever their size (half-hour DST in Australia/Lord_Howe, a skipped day
// in Pacific/Apia).
func ResolveLocal(field, value string, loc *time.Location) (LocalTime, error) {
	bad := func(format string, args ...any) (LocalTime, error) {
		return LocalTime{}, &Error{Code: EINVALID, Message: "validation failed",
			Fields: []FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
	}
	wall, err := time.Parse(LocalLayout, value)
	if err != nil {
		if wall, err = time.Parse(LocalLayout+":05", value); err != nil {
			return bad("must be a local date and time like 2026-03-29T09:30")
		}
	}
	choices := instantsShowing(wall, loc)
	switch len(choices) {
	case 0:
		return bad("%s does not exist in %s: the clocks skip it when they go forward", value, loc)
	case 1:
		return LocalTime{At: choices[0]}, nil
	}
	return LocalTime{At: choices[0], Ambiguous: true, Choices: choices}, nil
}

// instantsShowing returns every instant, in UTC and in order, at which the
// clocks of loc show wall (whose fields are read as a wall-clock time; its
// own zone is ignored). It walks the zone periods of loc that could hold
// such an instant: within one period of offset off the only candidate is
// wall-as-UTC minus off, and it counts if the period contains it. Periods
// are half-open and in order, so the result is sorted and has no repeats.
func instantsShowing(wall time.Time, loc *time.Location) []time.Time {
	y, mo, d := wall.Date()
	h, mi, s := wall.Clock()
	naive := time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	var out []time.Time
	end := naive.Add(offsetSpan)
	for at := naive.Add(-offsetSpan); at.Before(end); {
		_, off := at.In(loc).Zone()
		start, next := at.In(loc).ZoneBounds()
		c := naive.Add(-time.Duration(off) * time.Second)
		if (start.IsZero() || !c.Before(start)) && (next.IsZero() || c.Before(next)) {
			out = append(out, c.UTC())
		}
		if next.IsZero() || !next.After(at) {
			break
		}
		at = next
	}
	return out
}
