package photo

import (
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// Decode decodes the image file r that Probe described as info and
// returns what it shows: a JPEG turned upright as its EXIF orientation
// says, a GIF's first frame drawn on its logical screen. Call it within a
// Budget holding info.Cost. A file whose pixels disagree with its header
// is refused with an error from Invalid.
func Decode(r io.Reader, info Info) (image.Image, error) {
	var img image.Image
	var err error
	switch info.Format {
	case JPEG:
		img, err = jpeg.Decode(r)
		if err == nil {
			img = orient(img, info.Orientation)
		}
	case PNG:
		img, err = png.Decode(r)
	case WebP:
		img, err = webp.Decode(r)
	case GIF:
		var g *gif.GIF
		if g, err = decodeGIF(r, info); err == nil {
			img = gifStill(g, info)
		}
	default:
		return nil, fmt.Errorf("decode: %w", ErrUnsupported)
	}
	if err != nil {
		return nil, Invalid("is not a readable %s image", info.Format)
	}
	w, h := info.Upright()
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		return nil, Invalid("is not a readable %s image (its pixels are %d×%d, its header says %d×%d)", info.Format, b.Dx(), b.Dy(), w, h)
	}
	return img, nil
}

// decodeGIF decodes every frame of a GIF, which Probe walked already, and
// checks that it holds what the walk counted.
func decodeGIF(r io.Reader, info Info) (*gif.GIF, error) {
	g, err := gif.DecodeAll(r)
	if err != nil {
		return nil, err
	}
	screen := image.Rect(0, 0, info.Width, info.Height)
	if len(g.Image) != info.Frames || g.Config.Width != info.Width || g.Config.Height != info.Height {
		return nil, errTooManyFrames
	}
	for _, m := range g.Image {
		if !m.Rect.In(screen) {
			return nil, errTooManyFrames
		}
	}
	return g, nil
}

// gifStill draws the first frame of g on a transparent canvas of the
// logical screen's size.
func gifStill(g *gif.GIF, info Info) image.Image {
	first := g.Image[0]
	if first.Rect == image.Rect(0, 0, info.Width, info.Height) {
		return first
	}
	canvas := image.NewNRGBA(image.Rect(0, 0, info.Width, info.Height))
	draw.Draw(canvas, first.Rect, first, first.Rect.Min, draw.Over)
	return canvas
}
