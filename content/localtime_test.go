package content

import (
	"testing"
	"time"
)

func TestResolveLocalHandlesDaylightSavingTime(t *testing.T) {
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		value     string
		want      string // UTC, RFC 3339
		ambiguous bool
		invalid   bool
	}{
		{"a winter time is UTC+0", "2026-01-15T09:30", "2026-01-15T09:30:00Z", false, false},
		{"a summer time is UTC+1", "2026-07-15T09:30", "2026-07-15T08:30:00Z", false, false},
		{"a time the clocks skip is refused", "2026-03-29T01:30", "", false, true},
		{"a time shown twice resolves to the earlier instant", "2026-10-25T01:30", "2026-10-25T00:30:00Z", true, false},
		{"seconds are accepted", "2026-01-15T09:30:15", "2026-01-15T09:30:15Z", false, false},
		{"garbage is refused", "tomorrow", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveLocal("publish_at", tt.value, lisbon)
			if tt.invalid {
				if ErrorCode(err) != EINVALID || ErrorFields(err)[0].Field != "publish_at" {
					t.Fatalf("err = %v, want a publish_at validation error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.At.Format(time.RFC3339) != tt.want || got.Ambiguous != tt.ambiguous {
				t.Errorf("got %s ambiguous=%v, want %s ambiguous=%v", got.At.Format(time.RFC3339), got.Ambiguous, tt.want, tt.ambiguous)
			}
			if tt.ambiguous && (len(got.Choices) != 2 || got.Choices[1].Sub(got.Choices[0]) != time.Hour) {
				t.Errorf("choices = %v, want two instants an hour apart", got.Choices)
			}
		})
	}
}
