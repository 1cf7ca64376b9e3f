package photo

import (
	"bufio"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
)

// OriginalJPEGQuality is the quality a JPEG original is encoded again at.
const OriginalJPEGQuality = 90

// originalWebPQuality is the quality a lossy WebP original is encoded
// again at; a lossless one stays lossless.
const originalWebPQuality = 90

// Clean decodes the image file r that Probe described as info and writes
// its pixels, encoded again in the same format, to w: nothing of the file
// but its pixels survives (no EXIF, XMP, ICC profile, comment, text or
// private chunk, and nothing appended after the image). A JPEG is turned
// upright first, as its EXIF orientation says; every frame of a GIF is
// kept, with its delays and disposal and the loop count. It returns the
// upright width and height. Call it within a Budget holding CleanCost(info).
func Clean(w io.Writer, r io.Reader, info Info) (width, height int, err error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if info.Format == GIF {
		g, err := decodeGIF(r, info)
		if err != nil {
			return 0, 0, Invalid("is not a readable gif image")
		}
		out := &gif.GIF{Image: g.Image, Delay: g.Delay, Disposal: g.Disposal, LoopCount: g.LoopCount,
			Config: g.Config, BackgroundIndex: g.BackgroundIndex}
		if err := gif.EncodeAll(bw, out); err != nil {
			return 0, 0, fmt.Errorf("encode gif: %w", err)
		}
		return info.Width, info.Height, bw.Flush()
	}
	img, err := Decode(r, info)
	if err != nil {
		return 0, 0, err
	}
	switch info.Format {
	case JPEG:
		err = jpeg.Encode(bw, img, &jpeg.Options{Quality: OriginalJPEGQuality})
	case PNG:
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(bw, img)
	case WebP:
		err = encodeWebP(bw, img, originalWebPQuality, info.Lossless)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("encode %s: %w", info.Format, err)
	}
	b := img.Bounds()
	return b.Dx(), b.Dy(), bw.Flush()
}

// CleanCost is the memory Clean takes for info: decoding, and for WebP the
// encoder's copy of the pixels and its working planes.
func CleanCost(info Info) int64 {
	if info.Format != WebP {
		return info.Cost
	}
	px := int64(info.Width) * int64(info.Height)
	if info.Lossless {
		return info.Cost + 24*px
	}
	return info.Cost + 12*px
}

// isOpaque reports whether every pixel of img is opaque.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}
