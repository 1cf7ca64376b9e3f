package photo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Spec says which renditions every photo gets: each width (never wider
// than the photo, or its crop) of the whole photo and of a crop for each
// ratio, each in JPEG and in WebP.
type Spec struct {
	Widths      []int
	Crops       []Ratio
	JPEGQuality int // 1–100
	WebPQuality int // 1–100
}

// Default qualities of renditions.
const (
	DefaultJPEGQuality = 82
	DefaultWebPQuality = 80
)

// MaxWidth bounds the widths a Spec may ask for.
const MaxWidth = 4096

// DefaultSpec returns the default renditions: widths 320, 640, 1024, 1600
// and 2048, crops 16:9, 4:3 and 1:1.
func DefaultSpec() Spec {
	return Spec{Widths: []int{320, 640, 1024, 1600, 2048}, Crops: []Ratio{{W: 16, H: 9}, {W: 4, H: 3}, {W: 1, H: 1}},
		JPEGQuality: DefaultJPEGQuality, WebPQuality: DefaultWebPQuality}
}

// Validate checks the spec: one to 12 widths from 16 to MaxWidth, at most
// 8 crops, no duplicates, qualities from 1 to 100.
func (s Spec) Validate() error {
	if len(s.Widths) == 0 || len(s.Widths) > 12 {
		return fmt.Errorf("renditions: give between 1 and 12 widths")
	}
	for i, w := range s.Widths {
		if w < 16 || w > MaxWidth {
			return fmt.Errorf("renditions: width %d is not between 16 and %d", w, MaxWidth)
		}
		if slices.Contains(s.Widths[:i], w) {
			return fmt.Errorf("renditions: width %d is given twice", w)
		}
	}
	if len(s.Crops) > 8 {
		return fmt.Errorf("renditions: give at most 8 crops")
	}
	for i, r := range s.Crops {
		if r.W < 1 || r.H < 1 {
			return fmt.Errorf("renditions: crop %d has no ratio", i+1)
		}
		if slices.Contains(s.Crops[:i], r) {
			return fmt.Errorf("renditions: crop %s is given twice", r)
		}
	}
	if s.JPEGQuality < 1 || s.JPEGQuality > 100 || s.WebPQuality < 1 || s.WebPQuality > 100 {
		return fmt.Errorf("renditions: qualities must be between 1 and 100")
	}
	return nil
}

// renderVersion names how this package makes renditions; it is part of
// every Key, so that a change of filter or encoder makes them again.
const renderVersion = "1"

// Key names everything about the spec that decides the renditions' files:
// renditions made under another key are out of date.
func (s Spec) Key() string {
	ws := slices.Sorted(slices.Values(s.Widths))
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = strconv.Itoa(w)
	}
	crops := make([]string, len(s.Crops))
	for i, r := range s.Crops {
		crops[i] = r.String()
	}
	return "v" + renderVersion + " w=" + strings.Join(parts, ",") + " crops=" + strings.Join(crops, ",") +
		" q=" + strconv.Itoa(s.JPEGQuality) + "/" + strconv.Itoa(s.WebPQuality)
}

// Variant is one rendition: a size of the whole photo (Crop zero) or of a
// crop, in one format.
type Variant struct {
	Crop          Ratio
	Width, Height int
	Format        Format
}

// sizes returns the widths to make of something w pixels wide, widest
// first: the spec's widths up to w, or w alone when all are wider.
func (s Spec) sizes(w int) []int {
	var out []int
	for _, x := range s.Widths {
		if x <= w {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		out = []int{w}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// heightFor is the height of a rendition width wide of something w×h.
func heightFor(width, w, h int) int {
	return max(int(math.Round(float64(width)*float64(h)/float64(w))), 1)
}

// Plan lists the renditions of a photo of w×h pixels, in the order Build
// makes them: the whole photo, then each crop, widest first, JPEG before
// WebP. Nothing is wider than what it is made from.
func (s Spec) Plan(w, h int) []Variant {
	var out []Variant
	for _, g := range s.groups(w, h) {
		for _, width := range g.widths {
			hh := heightFor(width, g.rw, g.rh)
			out = append(out, Variant{g.crop, width, hh, JPEG}, Variant{g.crop, width, hh, WebP})
		}
	}
	return out
}

// group is the whole photo or one crop, and the widths made of it.
type group struct {
	crop   Ratio
	w, h   int // the size of what it is made from
	rw, rh int // the proportions of its renditions
	widths []int
}

func (s Spec) groups(w, h int) []group {
	gs := []group{{w: w, h: h, rw: w, rh: h, widths: s.sizes(w)}}
	for _, r := range s.Crops {
		cw, ch := CropSize(w, h, r)
		gs = append(gs, group{crop: r, w: cw, h: ch, rw: r.W, rh: r.H, widths: s.sizes(cw)})
	}
	return gs
}

// masterScale is the scale of the one reduced copy of a w×h photo that
// Build cuts every rendition from: the smallest that still gives each
// group's widest rendition from at least as many pixels as it has. It is 1
// (no copy) when that is close to the photo itself.
func (s Spec) masterScale(w, h int) float64 {
	need := 0.0
	for _, g := range s.groups(w, h) {
		need = max(need, float64(g.widths[0])/float64(g.w))
	}
	if need > 0.75 {
		return 1
	}
	return need
}

// masterSize is the size of the reduced copy at scale k.
func masterSize(w, h int, k float64) (int, int) {
	if k >= 1 {
		return w, h
	}
	return max(int(math.Ceil(float64(w)*k)), 1), max(int(math.Ceil(float64(h)*k)), 1)
}

// BuildCost is the memory Build takes for a w×h photo besides the decoded
// photo itself: the reduced copy, the largest rendition, a smaller one
// made from it, and the WebP encoder's copy and planes.
func (s Spec) BuildCost(w, h int) int64 {
	var largest int64
	for _, v := range s.Plan(w, h) {
		largest = max(largest, int64(v.Width)*int64(v.Height))
	}
	cost := 22 * largest
	if k := s.masterScale(w, h); k < 1 {
		mw, mh := masterSize(w, h, k)
		cost += 4 * int64(mw) * int64(mh)
	}
	return cost
}

// Build makes every rendition that Plan(w, h) lists of img (w×h, as Decode
// returns it), crops centred on the focal point f, and passes each to emit
// with its encoded bytes, in Plan's order. The photo is first reduced once
// to the smallest size every group's widest rendition can be cut from;
// each group's widest rendition is scaled from that, the narrower ones
// from the widest. It stops at the first error of emit, or when ctx ends.
func (s Spec) Build(ctx context.Context, img image.Image, f Focus, emit func(v Variant, data []byte) error) error {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var master image.Image = img
	mrect := b
	if k := s.masterScale(w, h); k < 1 {
		mw, mh := masterSize(w, h, k)
		m := Resize(img, b, mw, mh)
		master, mrect = m, m.Rect
	}
	mw, mh := mrect.Dx(), mrect.Dy()
	var buf bytes.Buffer
	for _, g := range s.groups(w, h) {
		region := mrect
		if g.crop != (Ratio{}) {
			region = CropRect(mw, mh, g.crop, f).Add(mrect.Min)
		}
		var widest *image.NRGBA
		for i, width := range g.widths {
			if err := ctx.Err(); err != nil {
				return err
			}
			hh := heightFor(width, g.rw, g.rh)
			var m *image.NRGBA
			if i == 0 {
				widest = Resize(master, region, width, hh)
				m = widest
			} else {
				m = Resize(widest, widest.Rect, width, hh)
			}
			for _, format := range []Format{JPEG, WebP} {
				buf.Reset()
				var err error
				if format == JPEG {
					err = encodeJPEG(&buf, m, s.JPEGQuality)
				} else {
					err = encodeWebP(&buf, m, s.WebPQuality, false)
				}
				if err != nil {
					return fmt.Errorf("encode %s rendition %d×%d: %w", format, width, hh, err)
				}
				if err := emit(Variant{g.crop, width, hh, format}, bytes.Clone(buf.Bytes())); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
