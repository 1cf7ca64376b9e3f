package admin

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	_ "image/gif" // registers the GIF decoder for image.DecodeConfig
	"image/jpeg"
	_ "image/png" // registers the PNG decoder

	_ "golang.org/x/image/webp" // registers the WebP decoder

	"dateline/content"
)

// Limits on uploaded images. Dimensions are checked from the header before
// anything is decoded.
const (
	MaxUpload    = 10 << 20 // bytes of the image file
	MaxDimension = 12000    // pixels, each side
	MaxPixels    = 50_000_000
)

// imageKind is an accepted image format.
type imageKind struct {
	format      string // as image.DecodeConfig names it
	contentType string
	ext         string
}

// sniffImage tells the format from the magic bytes, never from a name or a
// client's content type. Anything but JPEG, PNG, GIF and WebP (SVG, HTML,
// ...) is refused.
func sniffImage(b []byte) (imageKind, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return imageKind{"jpeg", "image/jpeg", ".jpg"}, true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return imageKind{"png", "image/png", ".png"}, true
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return imageKind{"gif", "image/gif", ".gif"}, true
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return imageKind{"webp", "image/webp", ".webp"}, true
	}
	return imageKind{}, false
}

// checkedImage is an upload that passed the checks, with its metadata
// stripped.
type checkedImage struct {
	kind          imageKind
	width, height int
	data          []byte
}

// checkImage validates an upload by content and returns it cleaned: JPEG is
// decoded, turned or mirrored as its EXIF Orientation says (so width and
// height are those of the upright image) and re-encoded, which drops EXIF,
// including GPS, and every other metadata segment; PNG loses its text and
// eXIf chunks; WebP loses its EXIF and XMP chunks; GIF is kept as it is.
func checkImage(b []byte) (checkedImage, error) {
	kind, ok := sniffImage(b)
	if !ok {
		return checkedImage{}, content.Errorf(codeUnsupported, "only JPEG, PNG, WebP and GIF images are accepted (the file's content is none of them)")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || format != kind.format {
		return checkedImage{}, badImage("is not a readable %s image", kind.format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxDimension || cfg.Height > MaxDimension ||
		int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return checkedImage{}, badImage("is %d×%d pixels; at most %d on each side and %d megapixels are accepted",
			cfg.Width, cfg.Height, MaxDimension, MaxPixels/1_000_000)
	}
	out := checkedImage{kind: kind, width: cfg.Width, height: cfg.Height}
	switch kind.format {
	case "jpeg":
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			return checkedImage{}, badImage("is not a readable jpeg image")
		}
		img = orient(img, jpegOrientation(b))
		out.width, out.height = img.Bounds().Dx(), img.Bounds().Dy()
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
			return checkedImage{}, fmt.Errorf("re-encode jpeg: %w", err)
		}
		out.data = buf.Bytes()
	case "png":
		if out.data, err = stripPNG(b); err != nil {
			return checkedImage{}, err
		}
	case "webp":
		if out.data, err = stripWebP(b); err != nil {
			return checkedImage{}, err
		}
	default:
		out.data = b
	}
	return out, nil
}

func badImage(format string, args ...any) error {
	return &content.Error{Code: content.EINVALID, Message: "invalid image",
		Fields: []content.FieldError{{Field: "file", Message: fmt.Sprintf(format, args...)}}}
}

// pngDropped are the ancillary chunks that carry text or EXIF metadata.
func pngDropped(typ string) bool {
	switch typ {
	case "tEXt", "zTXt", "iTXt", "eXIf", "tIME":
		return true
	}
	return false
}

// stripPNG copies a PNG without its text, time and eXIf chunks, and without
// anything after IEND.
func stripPNG(b []byte) ([]byte, error) {
	const sig = 8
	out := append(make([]byte, 0, len(b)), b[:sig]...)
	for i := sig; ; {
		if i+8 > len(b) {
			return nil, badImage("is a truncated png image")
		}
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		end := i + 12 + n
		if n < 0 || n > len(b) || end > len(b) || end < i {
			return nil, badImage("is a damaged png image")
		}
		if !pngDropped(typ) {
			out = append(out, b[i:end]...)
		}
		if typ == "IEND" {
			return out, nil
		}
		i = end
	}
}

// stripWebP copies a WebP RIFF container without its EXIF and XMP chunks,
// clearing their flags in the VP8X header and fixing the RIFF size.
func stripWebP(b []byte) ([]byte, error) {
	out := append(make([]byte, 0, len(b)), b[:12]...)
	size := int(binary.LittleEndian.Uint32(b[4:8]))
	if size+8 < len(b) && size >= 4 {
		b = b[:size+8] // ignore anything after the RIFF chunk
	}
	for i := 12; i < len(b); {
		if i+8 > len(b) {
			return nil, badImage("is a damaged webp image")
		}
		typ := string(b[i : i+4])
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		end := i + 8 + n + n%2
		if n < 0 || n > len(b) || end > len(b)+n%2 {
			return nil, badImage("is a damaged webp image")
		}
		end = min(end, len(b))
		switch typ {
		case "EXIF", "XMP ":
		case "VP8X":
			chunk := append([]byte(nil), b[i:end]...)
			if n > 0 {
				chunk[8] &^= 0x08 | 0x04 // EXIF and XMP metadata flags
			}
			out = append(out, chunk...)
		default:
			out = append(out, b[i:end]...)
		}
		i = end
	}
	binary.LittleEndian.PutUint32(out[4:8], uint32(len(out)-8))
	return out, nil
}
