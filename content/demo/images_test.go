package demo

import (
	"bytes"
	"fmt"
	"testing"
)

func TestPaintIsDeterministicAndVaries(t *testing.T) {
	t.Parallel()
	for sc := range sceneCount {
		t.Run(fmt.Sprintf("scene %d", sc), func(t *testing.T) {
			a, b, other := paint(sc, atDusk, 7), paint(sc, atDusk, 7), paint(sc, atDusk, 8)
			if !bytes.Equal(a.Pix, b.Pix) {
				t.Error("the same seed painted two different pictures")
			}
			if bytes.Equal(a.Pix, other.Pix) {
				t.Error("two seeds painted the same picture")
			}
			for i := 3; i < len(a.Pix); i += 4 {
				if a.Pix[i] != 0xff {
					t.Fatalf("pixel %d is not opaque: part of the picture was left unpainted", i/4)
				}
			}
		})
	}
}
