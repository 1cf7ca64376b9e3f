package photo

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"

	"golang.org/x/image/webp"
)

// Info is what Probe reads from a file's header, without decoding pixels.
type Info struct {
	Format        Format
	Width, Height int // as stored, before any EXIF orientation
	// Orientation is the EXIF orientation of a JPEG (1–8; 1 as stored).
	Orientation int
	Progressive bool // a progressive JPEG
	Frames      int  // images in the file: GIF frames; 1 for the others
	Lossless    bool // a lossless (VP8L) WebP
	// Cost is about how many bytes of memory decoding the file takes at
	// most, with Go's decoders: what a Budget admits.
	Cost int64
}

// Upright is the width and height the image displays at: with its EXIF
// orientation applied.
func (i Info) Upright() (int, int) {
	if i.Orientation >= 5 {
		return i.Height, i.Width
	}
	return i.Width, i.Height
}

// maxHeader bounds the bytes of JPEG segments read before the image data.
const maxHeader = 4 << 20

// Probe reads the header of the image file r (and, for GIF, walks every
// block without decompressing any) and checks it against the limits: a
// known format, a size within MaxSide and MaxPixels, GIF frames that lie
// within the logical screen and are at most MaxFrames with MaxPixels in
// all. It reads r from its start and may stop early; callers decode from a
// fresh reader. Anything else is refused with an error from Invalid, or one
// wrapping ErrUnsupported.
func Probe(r io.Reader, lim Limits) (Info, error) {
	lim = lim.withDefaults()
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(12)
	f, ok := Sniff(head)
	if !ok {
		return Info{}, fmt.Errorf("probe: %w", ErrUnsupported)
	}
	var info Info
	var err error
	switch f {
	case JPEG:
		info, err = probeJPEG(br)
	case PNG:
		info, err = probePNG(br)
	case GIF:
		info, err = probeGIF(br, lim)
	case WebP:
		info, err = probeWebP(br)
	}
	if err != nil {
		return Info{}, err
	}
	info.Format = f
	if info.Width <= 0 || info.Height <= 0 || info.Width > lim.MaxSide || info.Height > lim.MaxSide ||
		int64(info.Width)*int64(info.Height) > lim.MaxPixels {
		return Info{}, Invalid("is %d×%d pixels; at most %d on each side and %d megapixels are accepted",
			info.Width, info.Height, lim.MaxSide, lim.MaxPixels/1_000_000)
	}
	return info, nil
}

// jpegComponent is one component of a JPEG frame: its sampling factors.
type jpegComponent struct{ h, v int }

// probeJPEG reads the segments before the image data: the frame header
// (SOF) for the size, coding and sampling, and EXIF for the orientation.
// Arithmetic, lossless and hierarchical coding, which Go does not decode,
// are refused.
func probeJPEG(br *bufio.Reader) (Info, error) {
	bad := Invalid("is not a readable jpeg image")
	var hdr bytes.Buffer
	var comps []jpegComponent
	info := Info{Frames: 1}
	soi := make([]byte, 2)
	if _, err := io.ReadFull(br, soi); err != nil {
		return Info{}, bad
	}
	hdr.Write(soi)
	for {
		if hdr.Len() > maxHeader {
			return Info{}, Invalid("has more than %d MB of metadata before its image data", maxHeader>>20)
		}
		b, err := br.ReadByte()
		if err != nil || b != 0xFF {
			return Info{}, bad
		}
		marker := byte(0xFF)
		for marker == 0xFF {
			if marker, err = br.ReadByte(); err != nil {
				return Info{}, bad
			}
		}
		hdr.Write([]byte{0xFF, marker})
		if marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8) {
			continue
		}
		if marker == 0xD9 {
			return Info{}, bad
		}
		var size [2]byte
		if _, err := io.ReadFull(br, size[:]); err != nil {
			return Info{}, bad
		}
		n := int(binary.BigEndian.Uint16(size[:]))
		if n < 2 {
			return Info{}, bad
		}
		hdr.Write(size[:])
		payload := make([]byte, n-2)
		if _, err := io.ReadFull(br, payload); err != nil {
			return Info{}, bad
		}
		hdr.Write(payload)
		switch {
		case marker == 0xC0 || marker == 0xC1 || marker == 0xC2:
			if comps != nil {
				return Info{}, bad
			}
			if len(payload) < 6 {
				return Info{}, bad
			}
			info.Progressive = marker == 0xC2
			info.Height = int(binary.BigEndian.Uint16(payload[1:]))
			info.Width = int(binary.BigEndian.Uint16(payload[3:]))
			nc := int(payload[5])
			if (nc != 1 && nc != 3 && nc != 4) || len(payload) < 6+3*nc {
				return Info{}, bad
			}
			for i := range nc {
				hv := payload[6+3*i+1]
				h, v := int(hv>>4), int(hv&0x0F)
				if h < 1 || h > 4 || v < 1 || v > 4 {
					return Info{}, bad
				}
				comps = append(comps, jpegComponent{h, v})
			}
		case marker >= 0xC3 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
			return Info{}, Invalid("uses a JPEG coding (lossless, arithmetic or hierarchical) that is not accepted; save it as a baseline or progressive JPEG")
		case marker == 0xDA:
			if comps == nil {
				return Info{}, bad
			}
			info.Orientation = jpegOrientation(hdr.Bytes())
			info.Cost = jpegCost(info, comps)
			return info, nil
		}
	}
}

// jpegCost is what Go's JPEG decoder allocates for the frame: a plane per
// component at its sampling (whole 8×8 blocks of whole MCUs), a block of
// 64 int32 coefficients for every 64 samples of a progressive image, and
// for four components the CMYK image it converts to; plus a turned copy
// when the orientation is not as stored.
func jpegCost(info Info, comps []jpegComponent) int64 {
	hmax, vmax := 1, 1
	for _, c := range comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	mcuW, mcuH := int64(8*hmax), int64(8*vmax)
	w := (int64(info.Width) + mcuW - 1) / mcuW * mcuW
	h := (int64(info.Height) + mcuH - 1) / mcuH * mcuH
	var samples int64
	for _, c := range comps {
		samples += w * int64(c.h) / int64(hmax) * h * int64(c.v) / int64(vmax)
	}
	cost := samples
	if info.Progressive {
		cost += 4 * samples
	}
	if len(comps) == 4 {
		cost += 4 * w * h
	}
	if info.Orientation >= 2 {
		cost += max(samples, 4*w*h)
	}
	return cost
}

// probePNG reads the IHDR chunk, which must come first.
func probePNG(br *bufio.Reader) (Info, error) {
	b := make([]byte, 8+8+13)
	if _, err := io.ReadFull(br, b); err != nil || string(b[12:16]) != "IHDR" || binary.BigEndian.Uint32(b[8:]) != 13 {
		return Info{}, Invalid("is not a readable png image")
	}
	ihdr := b[16:]
	w, h := binary.BigEndian.Uint32(ihdr[0:]), binary.BigEndian.Uint32(ihdr[4:])
	if w > 1<<30 || h > 1<<30 {
		return Info{}, Invalid("is %d×%d pixels; that is not an image this server takes", w, h)
	}
	depth, colour, interlace := ihdr[8], ihdr[9], ihdr[12]
	var bpp int64 // bytes per pixel of the image Go decodes to
	switch colour {
	case 0: // gray
		bpp = 1
	case 3: // paletted
		bpp = 1
	case 2, 4, 6: // RGB, gray with alpha, RGBA
		bpp = 4
	default:
		return Info{}, Invalid("is not a readable png image")
	}
	if depth == 16 {
		bpp *= 2
	}
	info := Info{Width: int(w), Height: int(h), Frames: 1}
	info.Cost = int64(w) * int64(h) * bpp
	if interlace == 1 {
		info.Cost *= 2 // each pass is decoded into an image of its own first
	}
	return info, nil
}

// probeGIF walks every block of a GIF: it counts the frames and checks that
// each lies within the logical screen, and that all of them together stay
// under the pixel limit, before anything is decompressed. A file without
// its trailer is refused.
func probeGIF(br *bufio.Reader, lim Limits) (Info, error) {
	bad := Invalid("is not a readable gif image")
	b := make([]byte, 13)
	if _, err := io.ReadFull(br, b); err != nil {
		return Info{}, bad
	}
	info := Info{Width: int(binary.LittleEndian.Uint16(b[6:])), Height: int(binary.LittleEndian.Uint16(b[8:]))}
	if info.Width == 0 || info.Height == 0 {
		return Info{}, Invalid("has a logical screen of %d×%d pixels", info.Width, info.Height)
	}
	if b[10]&0x80 != 0 {
		if _, err := br.Discard(3 << (int(b[10]&7) + 1)); err != nil {
			return Info{}, bad
		}
	}
	screen := image.Rect(0, 0, info.Width, info.Height)
	var pixels int64
	for {
		kind, err := br.ReadByte()
		if err != nil {
			return Info{}, Invalid("is a truncated gif image")
		}
		switch kind {
		case 0x21: // extension: a label, then data sub-blocks
			if _, err := br.ReadByte(); err != nil {
				return Info{}, bad
			}
			if err := skipSubBlocks(br); err != nil {
				return Info{}, bad
			}
		case 0x2C: // image descriptor
			d := make([]byte, 9)
			if _, err := io.ReadFull(br, d); err != nil {
				return Info{}, bad
			}
			x, y := int(binary.LittleEndian.Uint16(d[0:])), int(binary.LittleEndian.Uint16(d[2:]))
			w, h := int(binary.LittleEndian.Uint16(d[4:])), int(binary.LittleEndian.Uint16(d[6:]))
			frame := image.Rect(x, y, x+w, y+h)
			if w == 0 || h == 0 || !frame.In(screen) {
				return Info{}, Invalid("has a frame of %d×%d pixels at (%d, %d) outside its %d×%d screen", w, h, x, y, info.Width, info.Height)
			}
			info.Frames++
			pixels += int64(w) * int64(h)
			if info.Frames > lim.MaxFrames {
				return Info{}, Invalid("has more than %d frames", lim.MaxFrames)
			}
			if pixels > lim.MaxPixels {
				return Info{}, Invalid("has frames of more than %d megapixels in all", lim.MaxPixels/1_000_000)
			}
			if d[8]&0x80 != 0 {
				if _, err := br.Discard(3 << (int(d[8]&7) + 1)); err != nil {
					return Info{}, bad
				}
			}
			if _, err := br.ReadByte(); err != nil { // LZW minimum code size
				return Info{}, bad
			}
			if err := skipSubBlocks(br); err != nil {
				return Info{}, bad
			}
		case 0x3B: // trailer
			if info.Frames == 0 {
				return Info{}, Invalid("has no image in it")
			}
			// Every frame is decoded (one byte a pixel), and the first is
			// drawn on a screen-sized canvas for renditions.
			info.Cost = pixels + 4*int64(info.Width)*int64(info.Height)
			return info, nil
		default:
			return Info{}, bad
		}
	}
}

// skipSubBlocks skips data sub-blocks up to and including the terminator.
func skipSubBlocks(br *bufio.Reader) error {
	for {
		n, err := br.ReadByte()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if _, err := br.Discard(int(n)); err != nil {
			return err
		}
	}
}

// maxWebPChunks bounds the chunks probeWebP reads looking for the image.
const maxWebPChunks = 64

// probeWebP reads the RIFF chunks up to the image data: the size, whether
// the image is lossless, and whether it is animated, which is refused.
func probeWebP(br *bufio.Reader) (Info, error) {
	bad := Invalid("is not a readable webp image")
	head, err := br.Peek(30)
	if err != nil && len(head) < 16 {
		return Info{}, bad
	}
	cfg, err := webp.DecodeConfig(bytes.NewReader(head))
	if err != nil {
		return Info{}, bad
	}
	info := Info{Width: cfg.Width, Height: cfg.Height, Frames: 1}
	if _, err := br.Discard(12); err != nil {
		return Info{}, bad
	}
	alpha := false
	for range maxWebPChunks {
		var ch [8]byte
		if _, err := io.ReadFull(br, ch[:]); err != nil {
			return Info{}, bad
		}
		typ, n := string(ch[:4]), int64(binary.LittleEndian.Uint32(ch[4:]))
		switch typ {
		case "VP8X":
			flags, err := br.Peek(1)
			if err != nil {
				return Info{}, bad
			}
			if flags[0]&0x02 != 0 {
				return Info{}, Invalid("is an animated webp image; upload a still image, or an animated GIF")
			}
			alpha = flags[0]&0x10 != 0
		case "ANIM", "ANMF":
			return Info{}, Invalid("is an animated webp image; upload a still image, or an animated GIF")
		case "VP8 ", "VP8L":
			px := int64(info.Width) * int64(info.Height)
			info.Lossless = typ == "VP8L"
			switch {
			case info.Lossless:
				// The decoder's ARGB words, its transforms' copy and the
				// NRGBA image it returns.
				info.Cost = 12 * px
			case alpha:
				// YCbCr planes, the alpha plane and its lossless decoding.
				info.Cost = 7 * px
			default:
				info.Cost = 2 * px
			}
			return info, nil
		}
		if _, err := br.Discard(int(n + n%2)); err != nil {
			return Info{}, bad
		}
	}
	return Info{}, bad
}

// errTooManyFrames is returned by decoders when a file turns out to hold
// more than Probe counted.
var errTooManyFrames = errors.New("more frames than the header walk counted")
