package photo

import (
	"image"
	"image/draw"
	"image/jpeg"
	"io"

	"github.com/gen2brain/webp"
)

// webpMethod is libwebp's effort, from 0 (fastest) to 6: see README for the
// measurements behind 2.
const webpMethod = 2

// encodeWebP encodes img as WebP with libwebp (compiled to WebAssembly and
// run by wazero, or the system's libwebp where one is installed). The
// encoder reads the pixels as tightly packed, non-premultiplied RGBA from
// the origin, so anything else is copied into such an image first.
func encodeWebP(w io.Writer, img image.Image, quality int, lossless bool) error {
	return webp.Encode(w, packedNRGBA(img), webp.Options{Quality: quality, Lossless: lossless, Method: webpMethod})
}

// packedNRGBA returns img as an NRGBA image at the origin whose rows are
// packed without gaps, copying it unless it is one already.
func packedNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	if m, ok := img.(*image.NRGBA); ok && b.Min == (image.Point{}) && m.Stride == 4*b.Dx() {
		return m
	}
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}

// encodeJPEG encodes m, an opaque or transparent NRGBA rendition, as JPEG:
// transparent parts are laid on white, since JPEG has no alpha.
func encodeJPEG(w io.Writer, m *image.NRGBA, quality int) error {
	rgba := &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
	if !m.Opaque() {
		rgba = image.NewRGBA(m.Rect)
		draw.Draw(rgba, rgba.Rect, image.White, image.Point{}, draw.Src)
		draw.Draw(rgba, rgba.Rect, m, m.Rect.Min, draw.Over)
	}
	return jpeg.Encode(w, rgba, &jpeg.Options{Quality: quality})
}
