package content

import (
	"testing"
	"time"
)

func TestFollowStatsCountEveryCatchUpAndTimeOnlyTheTimedOnes(t *testing.T) {
	var r FollowRecorder
	if s := r.Stats(); s.Caught != 0 || s.Timed != 0 || len(s.Buckets) != len(FollowLagBounds()) {
		t.Fatalf("a new recorder: %+v", s)
	}
	r.Caught(3 * time.Millisecond)
	r.Caught(700 * time.Millisecond)
	r.Caught(-1) // found by a poll: not timed
	r.Caught(time.Minute)
	s := r.Stats()
	if s.Caught != 4 || s.Timed != 3 || s.LagSum != 3*time.Millisecond+700*time.Millisecond+time.Minute {
		t.Errorf("stats %+v", s)
	}
	for i, b := range FollowLagBounds() {
		want := uint64(0)
		if b >= 3*time.Millisecond {
			want++
		}
		if b >= 700*time.Millisecond {
			want++
		}
		if s.Buckets[i] != want {
			t.Errorf("bucket ≤ %v holds %d, want %d (cumulative)", b, s.Buckets[i], want)
		}
	}
	s.Buckets[0] = 99
	if r.Stats().Buckets[0] == 99 {
		t.Error("Stats shares its buckets with the recorder")
	}
}
