package sqlite

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"testing"
)

// matchinfo builds a matchinfo 'pcy' blob: phrase count, column count and
// per phrase and column the hits.
func matchinfo(cols int, hits ...[]uint32) []byte {
	b := binary.NativeEndian.AppendUint32(nil, uint32(len(hits)))
	b = binary.NativeEndian.AppendUint32(b, uint32(cols))
	for _, h := range hits {
		for _, n := range h {
			b = binary.NativeEndian.AppendUint32(b, n)
		}
	}
	return b
}

func TestRankWeighsColumnsAndCapsHits(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "rank.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		name string
		mi   any
		want int64
	}{
		{"one headline hit scores the headline weight", matchinfo(3, []uint32{1, 0, 0}), 60},
		{"headline hits count at most twice", matchinfo(3, []uint32{7, 0, 0}), 120},
		{"standfirst hits count at most three times", matchinfo(3, []uint32{0, 9, 0}), 36},
		{"body hits count at most ten times", matchinfo(3, []uint32{0, 0, 400}), 20},
		{"every phrase adds its own score", matchinfo(3, []uint32{1, 1, 1}, []uint32{0, 2, 5}), 60 + 12 + 2 + 24 + 10},
		{"one headline hit outranks any hits elsewhere", matchinfo(3, []uint32{0, 100, 100}), 56},
		{"columns past the third are ignored", matchinfo(4, []uint32{0, 0, 1, 50}), 2},
		{"a blob shorter than it claims ranks nothing", matchinfo(3, []uint32{1, 1})[:16], 0},
		{"a header alone ranks nothing", matchinfo(3, []uint32{1, 1, 1})[:8], 0},
		{"a header that would overflow the size ranks nothing", []byte{0, 0, 0, 0x80, 0, 0, 0, 0x80, 1, 0, 0, 0}, 0},
		{"a blob without a header ranks nothing", []byte{1, 0}, 0},
		{"NULL ranks nothing", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got int64
			if err := db.r.QueryRowContext(context.Background(), "SELECT dateline_rank(?)", tc.mi).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("rank %d, want %d", got, tc.want)
			}
		})
	}
}
