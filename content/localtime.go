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
	Ambiguous bool        // the wall clock shows this time twice (DST ends)
	Choices   []time.Time // with Ambiguous: both instants, earlier first
}

// ResolveLocal turns a wall-clock time in loc into an instant. A time the
// clock skips (DST starts) is a validation error on field; a time it shows
// twice resolves to the earlier instant with Ambiguous set, so the caller
// can warn and offer the other.
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
	y, mo, d := wall.Date()
	h, mi, s := wall.Clock()
	t := time.Date(y, mo, d, h, mi, s, 0, loc)
	if t.Hour() != h || t.Minute() != mi {
		return bad("%s does not exist in %s: the clocks skip it for daylight saving time", value, loc)
	}
	var choices []time.Time
	for _, shift := range []time.Duration{-2 * time.Hour, -time.Hour, 0, time.Hour, 2 * time.Hour} {
		c := t.Add(shift)
		if c.In(loc).Format(LocalLayout+":05") == wall.Format(LocalLayout+":05") {
			choices = append(choices, c.UTC())
		}
	}
	out := LocalTime{At: t.UTC()}
	if len(choices) > 1 {
		out.Ambiguous, out.Choices, out.At = true, choices, choices[0]
	}
	return out, nil
}
