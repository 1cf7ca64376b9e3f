package photo

import (
	"dateline/content"
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
)

// Ratio is an aspect ratio of a crop, such as 16:9.
type Ratio struct{ W, H int }

// ParseRatio reads a ratio written as "W:H" with whole numbers from 1 to
// 100, such as "16:9" or "1:1".
func ParseRatio(s string) (Ratio, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
	w, errW := strconv.Atoi(a)
	h, errH := strconv.Atoi(b)
	if !ok || errW != nil || errH != nil || w < 1 || h < 1 || w > 100 || h > 100 {
		return Ratio{}, fmt.Errorf("%q is not an aspect ratio such as 16:9", s)
	}
	return Ratio{w, h}, nil
}

// String writes the ratio as "W:H"; the zero Ratio (no crop) is "".
func (r Ratio) String() string {
	if r.W == 0 || r.H == 0 {
		return ""
	}
	return strconv.Itoa(r.W) + ":" + strconv.Itoa(r.H)
}

// Focus is a photo's focal point (see content.Focus).
type Focus = content.Focus

// Centre is the default focal point, the middle of the photo.
var Centre = content.Centre

// CropSize is the size of the largest rectangle of ratio r that fits in a
// w×h image (at least 1×1).
func CropSize(w, h int, r Ratio) (int, int) {
	cw, ch := w, int(math.Round(float64(w)*float64(r.H)/float64(r.W)))
	if ch > h {
		cw, ch = int(math.Round(float64(h)*float64(r.W)/float64(r.H))), h
	}
	return max(min(cw, w), 1), max(min(ch, h), 1)
}

// CropRect returns the largest rectangle of ratio r within a w×h image,
// placed so that its centre is as near the focal point f as the image's
// edges allow. An invalid f counts as Centre.
func CropRect(w, h int, r Ratio, f Focus) image.Rectangle {
	if !f.Valid() {
		f = Centre
	}
	cw, ch := CropSize(w, h, r)
	x := int(math.Round(f.X*float64(w) - float64(cw)/2))
	y := int(math.Round(f.Y*float64(h) - float64(ch)/2))
	x = min(max(x, 0), w-cw)
	y = min(max(y, 0), h-ch)
	return image.Rect(x, y, x+cw, y+ch)
}
