package content

import (
	"errors"
	"testing"
	"time"
)

// FuzzDecodeCursor feeds arbitrary strings to the cursor decoder: it must
// never panic, refuse anything it did not issue with a validation error on
// "cursor", and round-trip what it accepts.
func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{
		"",
		"bm9wZQ",
		Cursor{Time: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), ID: "0196a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"}.Encode(),
		Cursor{Time: time.Unix(0, 0), ID: ""}.Encode(),
		"eyJ0IjoxLCJpIjoiYSJ9",    // {"t":1,"i":"a"}
		"eyJ0IjoxfQ",              // {"t":1}
		"eyJ0IjoiMSIsImkiOiJhIn0", // {"t":"1","i":"a"}
		"eyJ0Ijo5OTk5OTk5OTk5OTk5OTk5OTk5OSwiaSI6ImEifQ", // t out of range
		"!!!not base64!!!",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := DecodeCursor(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "cursor" {
				t.Fatalf("DecodeCursor(%q) = %v, want a validation error on cursor", s, err)
			}
			return
		}
		again, err := DecodeCursor(c.Encode())
		if err != nil || !again.Time.Equal(c.Time) || again.ID != c.ID {
			t.Fatalf("cursor %q does not round-trip: %+v then %+v, %v", s, c, again, err)
		}
	})
}
