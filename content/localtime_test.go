package content

import (
	"testing"
	"time"
)

func TestResolveLocalHandlesDaylightSavingTime(t *testing.T) {
	tests := []struct {
		name      string
		zone      string
		value     string
		want      string // UTC, RFC 3339
		ambiguous bool
		other     time.Duration // with ambiguous: the second choice minus the first
		invalid   bool
	}{
		{"a winter time is UTC+0", "Europe/Lisbon", "2026-01-15T09:30", "2026-01-15T09:30:00Z", false, 0, false},
		{"a summer time is UTC+1", "Europe/Lisbon", "2026-07-15T09:30", "2026-07-15T08:30:00Z", false, 0, false},
		{"a time the clocks skip is refused", "Europe/Lisbon", "2026-03-29T01:30", "", false, 0, true},
		{"a time shown twice resolves to the earlier instant", "Europe/Lisbon", "2026-10-25T01:30", "2026-10-25T00:30:00Z", true, time.Hour, false},
		{"seconds are accepted", "Europe/Lisbon", "2026-01-15T09:30:15", "2026-01-15T09:30:15Z", false, 0, false},
		{"garbage is refused", "Europe/Lisbon", "tomorrow", "", false, 0, true},
		{"a time shown twice half an hour apart is ambiguous", "Australia/Lord_Howe", "2026-04-05T01:45", "2026-04-04T14:45:00Z", true, 30 * time.Minute, false},
		{"a time in a half-hour gap is refused", "Australia/Lord_Howe", "2026-10-04T02:15", "", false, 0, true},
		{"the time after a half-hour gap is shown once", "Australia/Lord_Howe", "2026-10-04T02:30", "2026-10-03T15:30:00Z", false, 0, false},
		{"a time on a day the clocks skip is refused", "Pacific/Apia", "2011-12-30T12:00", "", false, 0, true},
		{"a time shown twice two hours apart is ambiguous", "Antarctica/Troll", "2026-10-25T01:30", "2026-10-24T23:30:00Z", true, 2 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Skipf("zone %s: %v", tt.zone, err)
			}
			got, err := ResolveLocal("publish_at", tt.value, loc)
			if tt.invalid {
				if ErrorCode(err) != EINVALID || ErrorFields(err)[0].Field != "publish_at" {
					t.Fatalf("got %v, err = %v, want a publish_at validation error", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.At.Format(time.RFC3339) != tt.want || got.Ambiguous != tt.ambiguous {
				t.Errorf("got %s ambiguous=%v, want %s ambiguous=%v", got.At.Format(time.RFC3339), got.Ambiguous, tt.want, tt.ambiguous)
			}
			if tt.ambiguous && (len(got.Choices) != 2 || got.Choices[1].Sub(got.Choices[0]) != tt.other) {
				t.Errorf("choices = %v, want two instants %s apart", got.Choices, tt.other)
			}
		})
	}
}
