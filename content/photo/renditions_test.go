package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/content"
)

func TestCropRectIsTheLargestOfItsRatioAroundTheFocalPoint(t *testing.T) {
	cases := []struct {
		name string
		w, h int
		r    Ratio
		f    Focus
		want image.Rectangle
	}{
		{"a 16:9 crop of a 4:3 photo, centred, takes the full width", 1600, 1200, Ratio{16, 9}, Centre, image.Rect(0, 150, 1600, 1050)},
		{"a square crop of a landscape photo takes the full height", 1600, 900, Ratio{1, 1}, Centre, image.Rect(350, 0, 1250, 900)},
		{"a focal point on the left moves the crop left", 1600, 900, Ratio{1, 1}, Focus{X: 0.3, Y: 0.5}, image.Rect(30, 0, 930, 900)},
		{"a focal point near the edge stops the crop at the edge", 1600, 900, Ratio{1, 1}, Focus{X: 0.02, Y: 0.5}, image.Rect(0, 0, 900, 900)},
		{"a focal point at the bottom right corner puts the crop there", 1600, 1200, Ratio{16, 9}, Focus{X: 1, Y: 1}, image.Rect(0, 300, 1600, 1200)},
		{"an invalid focal point counts as the centre", 1600, 900, Ratio{1, 1}, Focus{X: 2, Y: -1}, image.Rect(350, 0, 1250, 900)},
		{"the photo's own ratio is the whole photo", 1600, 900, Ratio{16, 9}, Focus{X: 0, Y: 0}, image.Rect(0, 0, 1600, 900)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := CropRect(tc.w, tc.h, tc.r, tc.f); got != tc.want {
				t.Errorf("crop = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlanNeverUpscales(t *testing.T) {
	spec := DefaultSpec()
	cases := []struct {
		name string
		w, h int
		want []string // crop/width×height of the JPEGs
	}{
		{"a 24-megapixel photo gets every width of everything", 6000, 4000, []string{
			"/2048×1365", "/1600×1067", "/1024×683", "/640×427", "/320×213",
			"16:9/2048×1152", "16:9/1600×900", "16:9/1024×576", "16:9/640×360", "16:9/320×180",
			"4:3/2048×1536", "4:3/1600×1200", "4:3/1024×768", "4:3/640×480", "4:3/320×240",
			"1:1/2048×2048", "1:1/1600×1600", "1:1/1024×1024", "1:1/640×640", "1:1/320×320"}},
		{"a 640×360 photo gets no wider renditions", 640, 360, []string{
			"/640×360", "/320×180", "16:9/640×360", "16:9/320×180", "4:3/320×240", "1:1/320×320"}},
		{"a photo narrower than every width gets one at its own width", 200, 150, []string{
			"/200×150", "16:9/200×113", "4:3/200×150", "1:1/150×150"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, v := range spec.Plan(tc.w, tc.h) {
				if v.Format == JPEG {
					got = append(got, v.Crop.String()+"/"+itoa(v.Width)+"×"+itoa(v.Height))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("plan = %v\nwant   %v", got, tc.want)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// pngHeader declares w×h pixels and holds no image data.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	out := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	return append(out, pngChunk("IEND", nil)...)
}

func TestBuildMakesEveryPlannedRenditionFromTheFocalPoint(t *testing.T) {
	// A photo that is white but for a red square on the right: a square
	// crop around a focal point in that square is mostly red, one around
	// the centre is white.
	w, h := 900, 400
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			if x >= 600 {
				c = color.RGBA{220, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	spec := Spec{Widths: []int{100, 300}, Crops: []Ratio{{1, 1}}, JPEGQuality: 85, WebPQuality: 80}
	for _, tc := range []struct {
		name    string
		f       Focus
		wantRed bool
	}{{"a focal point on the red square crops it", Focus{X: 0.85, Y: 0.5}, true}, {"the centre crops the white", Centre, false}} {
		t.Run(tc.name, func(t *testing.T) {
			var got []Variant
			err := spec.Build(context.Background(), img, tc.f, func(v Variant, data []byte) error {
				got = append(got, v)
				if _, ok := Sniff(data); !ok {
					t.Errorf("%+v: not an image", v)
				}
				if v.Format == JPEG && v.Crop == (Ratio{1, 1}) && v.Width == 100 {
					m, err := jpeg.Decode(bytes.NewReader(data))
					if err != nil {
						t.Fatal(err)
					}
					if m.Bounds().Dx() != 100 || m.Bounds().Dy() != 100 {
						t.Errorf("square is %v", m.Bounds())
					}
					r, g, _, _ := m.At(50, 50).RGBA()
					if red := r > 0xC000 && g < 0x4000; red != tc.wantRed {
						t.Errorf("centre of the square crop is %v, want red %v", m.At(50, 50), tc.wantRed)
					}
				}
				if v.Format == WebP {
					m, err := Decode(bytes.NewReader(data), Info{Format: WebP, Width: v.Width, Height: v.Height})
					if err != nil {
						t.Errorf("%+v: %v", v, err)
					} else if m.Bounds().Dx() != v.Width {
						t.Errorf("%+v: decoded %v", v, m.Bounds())
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if want := spec.Plan(w, h); !slices.Equal(got, want) {
				t.Errorf("built %v\nplanned %v", got, want)
			}
		})
	}
}

func TestResizeKeepsFlatColoursAndAlpha(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 301, 97))
	for i := 0; i < len(src.Pix); i += 4 {
		copy(src.Pix[i:], []byte{10, 120, 240, 255})
	}
	// A transparent band whose hidden colour is black must not darken the
	// blue next to it.
	for y := range 97 {
		for x := 200; x < 301; x++ {
			copy(src.Pix[src.PixOffset(x, y):], []byte{0, 0, 0, 0})
		}
	}
	for _, size := range [][2]int{{150, 48}, {40, 13}, {301, 97}, {600, 200}} {
		out := Resize(src, src.Rect, size[0], size[1])
		if out.Rect.Dx() != size[0] || out.Rect.Dy() != size[1] {
			t.Fatalf("size %v", out.Rect)
		}
		for x := range out.Rect.Dx() {
			p := out.NRGBAAt(x, out.Rect.Dy()/2)
			if p.A > 8 && (absDiff(p.R, 10) > 3 || absDiff(p.G, 120) > 3 || absDiff(p.B, 240) > 3) {
				t.Fatalf("%v: pixel %d = %v, want the flat blue", size, x, p)
			}
		}
		if p := out.NRGBAAt(0, 0); p.A != 255 {
			t.Errorf("%v: the opaque edge has alpha %d", size, p.A)
		}
		if p := out.NRGBAAt(out.Rect.Dx()-1, 0); p.A != 0 {
			t.Errorf("%v: the transparent edge has alpha %d", size, p.A)
		}
	}
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestBudgetAdmitsWithinItsSize(t *testing.T) {
	b := NewBudget(100)
	r1, err := b.Acquire(context.Background(), 60)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a cost that does not fit waits and then is busy", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := b.Acquire(ctx, 50)
		if content.ErrorCode(err) != content.EUNAVAILABLE {
			t.Errorf("err = %v, want unavailable", err)
		}
	})
	t.Run("a cost over the whole budget is refused at once", func(t *testing.T) {
		_, err := b.Acquire(context.Background(), 101)
		if content.ErrorCode(err) != content.EINVALID || !strings.Contains(err.Error(), "memory") {
			t.Errorf("err = %v, want invalid", err)
		}
	})
	t.Run("a waiter is admitted when memory is given back", func(t *testing.T) {
		got := make(chan error, 1)
		go func() {
			r, err := b.Acquire(context.Background(), 50)
			if err == nil {
				r()
			}
			got <- err
		}()
		time.Sleep(10 * time.Millisecond)
		if b.InUse() != 60 {
			t.Errorf("in use = %d while waiting, want 60", b.InUse())
		}
		r1()
		r1() // a second release gives nothing back twice
		if err := <-got; err != nil {
			t.Fatal(err)
		}
		if b.InUse() != 0 {
			t.Errorf("in use = %d, want 0", b.InUse())
		}
	})
}

func TestProbeReadsTheHeaderOfEveryFormat(t *testing.T) {
	var j, p bytes.Buffer
	jpeg.Encode(&j, scene(40, 30), nil)
	if err := png.Encode(&p, image.NewRGBA(image.Rect(0, 0, 7, 5))); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		b    []byte
		want Info
		err  string
	}{
		{"a JPEG", j.Bytes(), Info{Format: JPEG, Width: 40, Height: 30, Orientation: 1, Frames: 1}, ""},
		{"a PNG", p.Bytes(), Info{Format: PNG, Width: 7, Height: 5, Frames: 1}, ""},
		{"an SVG is none of the formats", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), Info{}, "only JPEG"},
		{"HTML is none of the formats", []byte("<!doctype html><script>"), Info{}, "only JPEG"},
		{"a JPEG header on garbage is refused", []byte("\xFF\xD8\xFF garbage"), Info{}, "not a readable jpeg"},
		{"an arithmetic-coded JPEG is refused", append([]byte{0xFF, 0xD8}, jpegSegment(0xC9, []byte{8, 0, 8, 0, 8, 1, 1, 0x11, 0})...), Info{}, "coding"},
		{"a PNG of 100000² pixels is refused before decoding", pngHeader(100000, 100000), Info{}, "at most 12000"},
		{"a PNG over 50 megapixels is refused", pngHeader(10000, 6000), Info{}, "50 megapixels"},
		{"a PNG cut in its first chunk is refused", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00"), Info{}, "not a readable png"},
		{"a WebP with a chunk longer than the file is refused", append([]byte("RIFF\x20\x00\x00\x00WEBPVP8X"), 0xff, 0xff, 0xff, 0x7f), Info{}, "not a readable webp"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Probe(bytes.NewReader(tc.b), Limits{})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err = %v, want %q", err, tc.err)
				}
				if strings.Contains(tc.err, "only JPEG") && !errors.Is(err, ErrUnsupported) {
					t.Errorf("err = %v, want ErrUnsupported", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.Cost = 0
			if got != tc.want {
				t.Errorf("info = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// FuzzProbe checks that no input makes the header reader panic, and that
// whatever it accepts is within the limits and decodes (or is refused)
// without a panic within its cost.
func FuzzProbe(f *testing.F) {
	var j bytes.Buffer
	jpeg.Encode(&j, scene(16, 8), nil)
	f.Add(j.Bytes())
	f.Add(pngHeader(4, 4))
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
	f.Add([]byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		lim := Limits{MaxSide: 512, MaxPixels: 1 << 16, MaxFrames: 16}
		info, err := Probe(bytes.NewReader(b), lim)
		if err != nil {
			return
		}
		if info.Width < 1 || info.Height < 1 || info.Width > 512 || info.Height > 512 || info.Cost < 1 {
			t.Fatalf("accepted %+v", info)
		}
		if img, err := Decode(bytes.NewReader(b), info); err == nil {
			w, h := info.Upright()
			if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
				t.Fatalf("decoded %v for %+v", img.Bounds(), info)
			}
		}
	})
}
