package photo

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
)

// EXIF orientation of uploaded JPEGs. Re-encoding drops the EXIF segment
// (and with it the GPS position), so the rotation or mirroring a camera
// recorded there is applied to the pixels instead: the stored image
// displays upright without any metadata.

// maxJPEGSegments bounds the marker segments jpegOrientation looks
// through before the image data.
const maxJPEGSegments = 64

// jpegOrientation returns the EXIF Orientation (1–8) of the JPEG b: the
// value in IFD0 of the first APP1 "Exif" segment before the image data. It
// returns 1 (as stored) when there is none, and for anything malformed or
// out of range. It reads only within b and never panics.
func jpegOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 1
	}
	for i, n := 2, 0; n < maxJPEGSegments; n++ {
		// A marker is 0xFF, optionally more 0xFF fill bytes, then its code.
		if i >= len(b) || b[i] != 0xFF {
			return 1
		}
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return 1
		}
		marker := b[i]
		i++
		switch {
		case marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			continue // no length, no payload
		case marker == 0xDA || marker == 0xD9:
			return 1 // the image data (or its end) comes before any EXIF
		}
		if i+2 > len(b) {
			return 1
		}
		size := int(binary.BigEndian.Uint16(b[i:]))
		if size < 2 || i+size > len(b) {
			return 1
		}
		payload := b[i+2 : i+size]
		i += size
		if marker == 0xE1 && bytes.HasPrefix(payload, []byte("Exif\x00\x00")) {
			return tiffOrientation(payload[6:])
		}
	}
	return 1
}

// tiffOrientation reads the Orientation tag (0x0112) of IFD0 of the TIFF
// structure t (an EXIF payload after "Exif\0\0"); 1 if it is absent or
// malformed.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return 1
	}
	ifd := order.Uint32(t[4:])
	if ifd < 8 || uint64(ifd)+2 > uint64(len(t)) {
		return 1
	}
	entries := int(order.Uint16(t[ifd:]))
	start := int(ifd) + 2
	for k := range entries {
		e := start + 12*k
		if e+12 > len(t) {
			return 1
		}
		if order.Uint16(t[e:]) != 0x0112 {
			continue
		}
		typ, count := order.Uint16(t[e+2:]), order.Uint32(t[e+4:])
		var v uint32
		switch {
		case typ == 3 && count == 1: // SHORT, the type the standard gives it
			v = uint32(order.Uint16(t[e+8:]))
		case typ == 4 && count == 1: // LONG, as some writers store it
			v = order.Uint32(t[e+8:])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return int(v)
	}
	return 1
}

// orient returns img as EXIF orientation o says it should be displayed:
// mirrored (2, 4), turned half way (3), or transposed and so with width and
// height swapped (5–8). Orientation 1 and any other value return img as it
// is. YCbCr (with a subsampling whose planes transpose), gray and CMYK
// images keep their type; anything else becomes RGBA.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	if b.Min == (image.Point{}) {
		switch m := img.(type) {
		case *image.YCbCr:
			if out, ok := orientYCbCr(m, o, dw, dh); ok {
				return out
			}
		case *image.Gray:
			out := image.NewGray(image.Rect(0, 0, dw, dh))
			orientPlane(out.Pix, out.Stride, m.Pix, m.Stride, w, h, 1, o)
			return out
		case *image.CMYK:
			out := image.NewCMYK(image.Rect(0, 0, dw, dh))
			orientPlane(out.Pix, out.Stride, m.Pix, m.Stride, w, h, 4, o)
			return out
		}
	}
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			dx, dy := orientPoint(x, y, w, h, o)
			out.Set(dx, dy, color.RGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)))
		}
	}
	return out
}

// orientYCbCr orients each plane of m on its own. The chroma planes of a
// transposed image are the transposed chroma planes, so a horizontal
// subsampling becomes a vertical one (4:2:2 ↔ 4:4:0); 4:1:1 and 4:1:0 have
// no transposed ratio and are not handled (ok false).
func orientYCbCr(m *image.YCbCr, o, dw, dh int) (image.Image, bool) {
	ratio := m.SubsampleRatio
	if o >= 5 {
		switch ratio {
		case image.YCbCrSubsampleRatio422:
			ratio = image.YCbCrSubsampleRatio440
		case image.YCbCrSubsampleRatio440:
			ratio = image.YCbCrSubsampleRatio422
		case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420:
		default:
			return nil, false
		}
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	cw, ch := chromaSize(m)
	out := image.NewYCbCr(image.Rect(0, 0, dw, dh), ratio)
	ocw, och := chromaSize(out)
	if o >= 5 {
		ocw, och = och, ocw
	}
	if ocw != cw || och != ch {
		return nil, false
	}
	orientPlane(out.Y, out.YStride, m.Y, m.YStride, w, h, 1, o)
	orientPlane(out.Cb, out.CStride, m.Cb, m.CStride, cw, ch, 1, o)
	orientPlane(out.Cr, out.CStride, m.Cr, m.CStride, cw, ch, 1, o)
	return out, true
}

// chromaSize is the width and height of m's chroma planes.
func chromaSize(m *image.YCbCr) (int, int) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// orientPlane copies the w×h plane src (bpp bytes a pixel) into dst,
// oriented by o; dst must hold the oriented plane.
func orientPlane(dst []byte, dstStride int, src []byte, srcStride, w, h, bpp, o int) {
	for y := range h {
		row := src[y*srcStride:]
		for x := range w {
			dx, dy := orientPoint(x, y, w, h, o)
			copy(dst[dy*dstStride+dx*bpp:dy*dstStride+dx*bpp+bpp], row[x*bpp:x*bpp+bpp])
		}
	}
}

// orientPoint maps the stored pixel (x, y) of a w×h image to where
// orientation o displays it.
func orientPoint(x, y, w, h, o int) (int, int) {
	switch o {
	case 2: // mirrored left to right
		return w - 1 - x, y
	case 3: // turned 180°
		return w - 1 - x, h - 1 - y
	case 4: // mirrored top to bottom
		return x, h - 1 - y
	case 5: // mirrored along the top-left to bottom-right diagonal
		return y, x
	case 6: // turned 90° clockwise
		return h - 1 - y, x
	case 7: // mirrored along the top-right to bottom-left diagonal
		return h - 1 - y, w - 1 - x
	case 8: // turned 90° counter-clockwise
		return y, w - 1 - x
	}
	return x, y
}
