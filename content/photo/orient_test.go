package photo

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// exifSegment is an APP1 Exif segment whose IFD0 holds the given entries
// (tag, type, count, value) in the byte order bo ("II" or "MM").
func exifSegment(bo string, entries ...[4]uint32) []byte {
	var order binary.AppendByteOrder = binary.BigEndian
	tiff := []byte("MM\x00*\x00\x00\x00\x08")
	if bo == "II" {
		order = binary.LittleEndian
		tiff = []byte("II*\x00\x08\x00\x00\x00")
	}
	tiff = order.AppendUint16(tiff, uint16(len(entries)))
	for _, e := range entries {
		tiff = order.AppendUint16(tiff, uint16(e[0]))
		tiff = order.AppendUint16(tiff, uint16(e[1]))
		tiff = order.AppendUint32(tiff, e[2])
		if e[1] == 3 {
			tiff = order.AppendUint16(tiff, uint16(e[3]))
			tiff = append(tiff, 0, 0)
		} else {
			tiff = order.AppendUint32(tiff, e[3])
		}
	}
	tiff = append(tiff, 0, 0, 0, 0) // no next IFD
	return segment(0xE1, append([]byte("Exif\x00\x00"), tiff...))
}

func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// withSegments puts segments right after the SOI marker of the JPEG j.
func withSegments(j []byte, segs ...[]byte) []byte {
	out := append([]byte{}, j[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, j[2:]...)
}

func smallJPEG(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func orientationEntry(v uint32) [4]uint32 { return [4]uint32{0x0112, 3, 1, v} }

func TestJPEGOrientationIsReadFromTheExifSegment(t *testing.T) {
	j := smallJPEG(t)
	for o := uint32(1); o <= 8; o++ {
		for _, bo := range []string{"II", "MM"} {
			if got := jpegOrientation(withSegments(j, exifSegment(bo, [4]uint32{0x010F, 2, 4, 0}, orientationEntry(o)))); got != int(o) {
				t.Errorf("orientation %d in %s order read as %d", o, bo, got)
			}
		}
	}
	jfif := segment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
	xmp := segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))
	cases := []struct {
		name string
		b    []byte
		want int
	}{
		{"no EXIF is as stored", j, 1},
		{"EXIF after JFIF and XMP segments and fill bytes is found", withSegments(j, jfif, xmp, []byte{0xFF}, exifSegment("MM", orientationEntry(6))), 6},
		{"a LONG orientation is read", withSegments(j, exifSegment("II", [4]uint32{0x0112, 4, 1, 8})), 8},
		{"an orientation out of range is as stored", withSegments(j, exifSegment("II", orientationEntry(9))), 1},
		{"orientation zero is as stored", withSegments(j, exifSegment("MM", orientationEntry(0))), 1},
		{"an orientation of another type is as stored", withSegments(j, exifSegment("MM", [4]uint32{0x0112, 2, 1, 6})), 1},
		{"an orientation with a count of two is as stored", withSegments(j, exifSegment("MM", [4]uint32{0x0112, 3, 2, 6})), 1},
		{"an unknown byte order is as stored", bytes.Replace(withSegments(j, exifSegment("MM", orientationEntry(6))), []byte("MM\x00*"), []byte("XX\x00*"), 1), 1},
		{"EXIF after the image data is ignored", append(j[:len(j)-2:len(j)-2], append(exifSegment("MM", orientationEntry(6)), 0xFF, 0xD9)...), 1},
		{"a segment longer than the file is as stored", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f', 0, 0}, 1},
		{"a segment length below two is as stored", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01, 0xFF, 0xD9}, 1},
		{"no marker where one belongs is as stored", []byte{0xFF, 0xD8, 0x00, 0xE1}, 1},
		{"an IFD beyond the payload is as stored", withSegments(j, segment(0xE1, []byte("Exif\x00\x00MM\x00*\x7f\xff\xff\xff"))), 1},
		{"an IFD offset inside the header is as stored", withSegments(j, segment(0xE1, []byte("Exif\x00\x00MM\x00*\x00\x00\x00\x02\x00\x01"))), 1},
		{"more entries than the payload holds is as stored", withSegments(j, segment(0xE1, []byte("Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff\x01\x12"))), 1},
		{"a cut TIFF header is as stored", withSegments(j, segment(0xE1, []byte("Exif\x00\x00MM\x00"))), 1},
		{"not a JPEG is as stored", []byte("\x89PNG\r\n\x1a\n"), 1},
		{"nothing is as stored", nil, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := jpegOrientation(tc.b); got != tc.want {
				t.Errorf("orientation = %d, want %d", got, tc.want)
			}
		})
	}
	t.Run("every prefix of a JPEG with EXIF is read without a panic", func(t *testing.T) {
		b := withSegments(j, jfif, exifSegment("II", orientationEntry(7)))
		for n := range len(b) {
			if got := jpegOrientation(b[:n]); got < 1 || got > 8 {
				t.Fatalf("prefix of %d bytes: orientation %d", n, got)
			}
		}
	})
}

// FuzzJPEGOrientation checks that no input makes the EXIF reader panic or
// return anything but an orientation from 1 to 8.
func FuzzJPEGOrientation(f *testing.F) {
	j := smallJPEG(f)
	f.Add(j)
	f.Add(withSegments(j, exifSegment("MM", orientationEntry(6))))
	f.Add(withSegments(j, exifSegment("II", [4]uint32{0x010F, 2, 4, 0}, orientationEntry(8))))
	f.Add([]byte("\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00II*\x00\x08\x00\x00\x00"))
	f.Add([]byte("\xFF\xD8\xFF\xFF\xFF\xE1\x00\x02\xFF\xDA"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if o := jpegOrientation(b); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

func TestOrientMovesEveryPixelWhereTheOrientationSays(t *testing.T) {
	const w, h = 7, 5 // odd sizes catch off-by-one errors in subsampled planes
	value := func(x, y int) uint8 { return uint8(1 + x + y*w) }
	sources := map[string]func() (image.Image, func(image.Image, int, int) uint8){
		"gray": func() (image.Image, func(image.Image, int, int) uint8) {
			m := image.NewGray(image.Rect(0, 0, w, h))
			for y := range h {
				for x := range w {
					m.SetGray(x, y, color.Gray{value(x, y)})
				}
			}
			return m, func(img image.Image, x, y int) uint8 { return img.(*image.Gray).GrayAt(x, y).Y }
		},
		"cmyk": func() (image.Image, func(image.Image, int, int) uint8) {
			m := image.NewCMYK(image.Rect(0, 0, w, h))
			for y := range h {
				for x := range w {
					m.SetCMYK(x, y, color.CMYK{value(x, y), 0, 0, 0})
				}
			}
			return m, func(img image.Image, x, y int) uint8 { return img.(*image.CMYK).CMYKAt(x, y).C }
		},
		"nrgba, through the general path": func() (image.Image, func(image.Image, int, int) uint8) {
			m := image.NewNRGBA(image.Rect(0, 0, w, h))
			for y := range h {
				for x := range w {
					m.SetNRGBA(x, y, color.NRGBA{value(x, y), 0, 0, 255})
				}
			}
			return m, func(img image.Image, x, y int) uint8 {
				if n, ok := img.(*image.NRGBA); ok { // orientation 1 returns the image itself
					return n.NRGBAAt(x, y).R
				}
				return img.(*image.RGBA).RGBAAt(x, y).R
			}
		},
	}
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		sources["ycbcr "+ratio.String()] = func() (image.Image, func(image.Image, int, int) uint8) {
			m := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
			for y := range h {
				for x := range w {
					m.Y[m.YOffset(x, y)] = value(x, y)
				}
			}
			for i := range m.Cb {
				m.Cb[i], m.Cr[i] = 128, 128 // gray, so the general path keeps Y
			}
			return m, func(img image.Image, x, y int) uint8 {
				switch o := img.(type) {
				case *image.YCbCr:
					return o.Y[o.YOffset(x, y)]
				case *image.RGBA:
					return o.RGBAAt(x, y).G
				}
				t.Fatalf("oriented into %T", img)
				return 0
			}
		}
	}
	for name, build := range sources {
		for o := 1; o <= 8; o++ {
			src, at := build()
			out := orient(src, o)
			wantW, wantH := w, h
			if o >= 5 {
				wantW, wantH = h, w
			}
			if b := out.Bounds(); b != image.Rect(0, 0, wantW, wantH) {
				t.Errorf("%s, orientation %d: bounds %v, want %dx%d", name, o, b, wantW, wantH)
				continue
			}
			for y := range h {
				for x := range w {
					dx, dy := orientPoint(x, y, w, h, o)
					if got := at(out, dx, dy); got != value(x, y) {
						t.Fatalf("%s, orientation %d: pixel (%d,%d) shows %d at (%d,%d), want %d", name, o, x, y, got, dx, dy, value(x, y))
					}
				}
			}
		}
	}
}

func TestOrientKeepsTheSubsamplingOfTransposedPlanes(t *testing.T) {
	for in, want := range map[image.YCbCrSubsampleRatio]image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio420: image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio422: image.YCbCrSubsampleRatio440,
		image.YCbCrSubsampleRatio440: image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio444: image.YCbCrSubsampleRatio444,
	} {
		out, ok := orient(image.NewYCbCr(image.Rect(0, 0, 9, 4), in), 6).(*image.YCbCr)
		if !ok || out.SubsampleRatio != want {
			t.Errorf("%v turned: %T %v, want YCbCr %v", in, out, out.SubsampleRatio, want)
		}
	}
}
