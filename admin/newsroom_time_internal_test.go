package admin

import (
	"testing"
	"time"
)

func TestEveryTimeTheAppShowsFollowsTheNewsroomsClock(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 3, 9, 46, 0, 0, time.UTC) // 18:46 in Tokyo
	for _, tc := range []struct {
		clock12 bool
		ui      string
		preview string
	}{
		{false, "3 Dec 2026 18:46", "3 Dec 2026 18:46 (Asia/Tokyo)"},
		{true, "3 Dec 2026 6:46 PM", "3 Dec 2026 6:46 PM (Asia/Tokyo)"},
	} {
		ui := &UI{Zone: tokyo, Clock12: tc.clock12}
		if got := ui.local(at); got != tc.ui {
			t.Errorf("12-hour %v: a page shows %q, want %q", tc.clock12, got, tc.ui)
		}
		p := &PreviewLinks{Zone: tokyo, Clock12: tc.clock12}
		if got := p.local(at); got != tc.preview {
			t.Errorf("12-hour %v: a preview link expires %q, want %q", tc.clock12, got, tc.preview)
		}
	}
}
