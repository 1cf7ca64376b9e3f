package content

import (
	"testing"
	"time"
)

func TestFoldAutosave(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	run := RevisionMark{Autosave: true, By: "ann", StartedAt: now.Add(-5 * time.Minute)}
	auto := Save{Autosave: true, By: "ann"}
	with := func(f func(*RevisionMark)) RevisionMark { m := run; f(&m); return m }
	tests := []struct {
		name    string
		cur     RevisionMark
		s       Save
		visible bool
		window  time.Duration
		want    bool
	}{
		{"an autosave joins the same user's run", run, auto, false, 10 * time.Minute, true},
		{"a manual save never joins", run, Save{By: "ann"}, false, 10 * time.Minute, false},
		{"an autosave by another user starts a revision", run, Save{Autosave: true, By: "bob"}, false, 10 * time.Minute, false},
		{"an autosave after a manual save starts a revision", with(func(m *RevisionMark) { m.Autosave = false }), auto, false, 10 * time.Minute, false},
		{"an autosave of a published story keeps its revision", run, auto, true, 10 * time.Minute, false},
		{"a sealed revision is never replaced", with(func(m *RevisionMark) { m.Sealed = true }), auto, false, 10 * time.Minute, false},
		{"a revision a live preview link names is kept", with(func(m *RevisionMark) { m.HeldUntil = now.Add(time.Second) }), auto, false, 10 * time.Minute, false},
		{"a revision whose preview link has expired is replaced", with(func(m *RevisionMark) { m.HeldUntil = now }), auto, false, 10 * time.Minute, true},
		{"a run as old as the window is closed", run, auto, false, 5 * time.Minute, false},
		{"a window of zero folds nothing", run, auto, false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FoldAutosave(tt.cur, tt.s, tt.visible, now, tt.window); got != tt.want {
				t.Errorf("FoldAutosave = %v, want %v", got, tt.want)
			}
		})
	}
}
