package photo

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"
)

// scene paints a w×h photograph-like YCbCr image: smooth light, edges of
// shapes and fine grain, so that encoders work as hard as on a photo.
func scene(w, h int) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	seed := uint32(2463534242)
	for y := range h {
		for x := range w {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			v := 128 + 60*math.Sin(float64(x)/float64(w)*7) + 40*math.Cos(float64(y)/float64(h)*5)
			if (x/97+y/61)%5 == 0 {
				v -= 50
			}
			v += float64(seed%23) - 11
			m.Y[y*m.YStride+x] = uint8(min(max(v, 0), 255))
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			m.Cb[y*m.CStride+x] = uint8(128 + 40*math.Sin(float64(x)/50))
			m.Cr[y*m.CStride+x] = uint8(128 + 40*math.Cos(float64(y)/70))
		}
	}
	return m
}

// sceneJPEG is scene(w, h) as a JPEG of quality 90.
func sceneJPEG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scene(w, h), &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
