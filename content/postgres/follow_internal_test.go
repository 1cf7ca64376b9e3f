package postgres

import (
	"testing"
	"time"
)

func TestAnOutboxNotificationSaysWhichEventWhenAndFromWhom(t *testing.T) {
	at := time.Date(2026, 12, 3, 18, 46, 1, 123456000, time.UTC)
	n := outboxNote{last: 4711, at: at, from: "ABCDEF"}
	got, ok := parseOutboxNote(n.String())
	if !ok || got.last != 4711 || !got.at.Equal(at) || got.from != "ABCDEF" {
		t.Errorf("round trip of %q: %+v, %v", n.String(), got, ok)
	}
	for _, bad := range []string{"", "4711", "4711 x ABC", "x 1 ABC", "1 2 3 4"} {
		if _, ok := parseOutboxNote(bad); ok {
			t.Errorf("%q parsed as a note", bad)
		}
	}
}
