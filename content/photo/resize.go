package photo

import (
	"image"
	"math"
)

// Resampling. Resize scales a region of any image with a Catmull-Rom
// (bicubic) filter widened by the scale factor when shrinking, so that
// every source pixel counts and fine detail does not alias. It works in
// two passes, rows then columns, and keeps only the horizontally scaled
// rows the current output row needs: besides the source and the result it
// holds a few output-wide rows, never a copy of the source. Colours are
// resampled premultiplied by alpha, so transparent pixels do not darken
// their neighbours.

// catmullRom is the filter kernel; its support is 2.
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

// taps are the source positions and weights of one output position.
type taps struct {
	start int       // first source index, relative to the region
	w     []float32 // weights of start, start+1, ...; they sum to 1
}

// weights returns the taps of every output position when n source
// positions become m.
func weights(n, m int) []taps {
	scale := float64(n) / float64(m)
	support := 2.0
	stretch := 1.0
	if scale > 1 {
		support *= scale
		stretch = scale
	}
	out := make([]taps, m)
	for i := range out {
		centre := (float64(i)+0.5)*scale - 0.5
		lo := max(int(math.Ceil(centre-support)), 0)
		hi := min(int(math.Floor(centre+support)), n-1)
		if hi < lo {
			lo, hi = min(max(int(math.Round(centre)), 0), n-1), min(max(int(math.Round(centre)), 0), n-1)
		}
		w := make([]float32, hi-lo+1)
		var sum float64
		for j := lo; j <= hi; j++ {
			v := catmullRom((float64(j) - centre) / stretch)
			w[j-lo] = float32(v)
			sum += v
		}
		if sum == 0 {
			w[len(w)/2] = 1
		} else {
			for k := range w {
				w[k] = float32(float64(w[k]) / sum)
			}
		}
		out[i] = taps{start: lo, w: w}
	}
	return out
}

// Resize returns the region r of src scaled to w×h pixels. Shrinking by
// a factor of two or more first averages whole blocks of k×k source pixels
// (k the whole part of the factor) as rows are read, so that the filter
// runs on at most twice the output size; this costs no memory and keeps
// every source pixel in the average.
func Resize(src image.Image, r image.Rectangle, w, h int) *image.NRGBA {
	r = r.Intersect(src.Bounds())
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	if r.Empty() || w <= 0 || h <= 0 {
		return dst
	}
	sw, sh := r.Dx(), r.Dy()
	read := rowReader(src, r)
	if k := min(sw/w, sh/h); k >= 2 {
		sw, sh, read = shrink(read, sw, sh, k)
	}
	xt, yt := weights(sw, w), weights(sh, h)
	line := make([]float32, 4*sw)

	// ring holds horizontally scaled source rows, by source row modulo its
	// length, which covers the widest vertical window.
	window := 0
	for _, t := range yt {
		window = max(window, len(t.w))
	}
	ring := make([][]float32, window)
	for i := range ring {
		ring[i] = make([]float32, 4*w)
	}
	next := 0 // the next source row to scale into the ring
	acc := make([]float32, 4*w)
	for y, t := range yt {
		for ; next < t.start+len(t.w); next++ {
			read(next, line)
			scaleRow(ring[next%window], line, xt)
		}
		clear(acc)
		for k, wt := range t.w {
			row := ring[(t.start+k)%window]
			row = row[:len(acc)]
			for i := range acc {
				acc[i] += wt * row[i]
			}
		}
		out := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x := range w {
			a := acc[4*x+3]
			if a <= 0.5 {
				out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = 0, 0, 0, 0
				continue
			}
			k := 255 / a
			out[4*x] = clamp8(acc[4*x] * k)
			out[4*x+1] = clamp8(acc[4*x+1] * k)
			out[4*x+2] = clamp8(acc[4*x+2] * k)
			out[4*x+3] = clamp8(a)
		}
	}
	return dst
}

// shrink wraps a reader of sw×sh source rows into one of the source
// averaged over blocks of k×k pixels (the last ones cut short at the
// edges): it returns the shrunk size and its reader, which must be called
// for rows in increasing order, as Resize does.
func shrink(read func(int, []float32), sw, sh, k int) (int, int, func(int, []float32)) {
	vw, vh := (sw+k-1)/k, (sh+k-1)/k
	src := make([]float32, 4*sw)
	sum := make([]float32, 4*sw)
	return vw, vh, func(y int, line []float32) {
		clear(sum)
		rows := 0
		for sy := y * k; sy < min(y*k+k, sh); sy++ {
			read(sy, src)
			for i := range sum {
				sum[i] += src[i]
			}
			rows++
		}
		for x := range vw {
			lo, hi := x*k, min(x*k+k, sw)
			var r, g, b, a float32
			for i := lo; i < hi; i++ {
				r += sum[4*i]
				g += sum[4*i+1]
				b += sum[4*i+2]
				a += sum[4*i+3]
			}
			n := float32(rows * (hi - lo))
			line[4*x], line[4*x+1], line[4*x+2], line[4*x+3] = r/n, g/n, b/n, a/n
		}
	}
}

// scaleRow scales one row of premultiplied RGBA samples by the taps xt.
func scaleRow(dst, src []float32, xt []taps) {
	for x, t := range xt {
		var r, g, b, a float32
		s := src[4*t.start:]
		for k, wt := range t.w {
			p := s[4*k : 4*k+4]
			r += wt * p[0]
			g += wt * p[1]
			b += wt * p[2]
			a += wt * p[3]
		}
		dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = r, g, b, a
	}
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// rowReader returns a function that fills line with row y (relative to r)
// of the region r of src as premultiplied RGBA samples from 0 to 255. The
// common decoded types are read directly; anything else through At.
func rowReader(src image.Image, r image.Rectangle) func(y int, line []float32) {
	switch m := src.(type) {
	case *image.YCbCr:
		return func(y int, line []float32) {
			sy := r.Min.Y + y
			yrow := m.Y[m.YOffset(r.Min.X, sy):]
			for x := range r.Dx() {
				ci := m.COffset(r.Min.X+x, sy)
				cr, cg, cb := ycc(yrow[x], m.Cb[ci], m.Cr[ci])
				line[4*x], line[4*x+1], line[4*x+2], line[4*x+3] = cr, cg, cb, 255
			}
		}
	case *image.RGBA:
		return func(y int, line []float32) {
			p := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			for i := range 4 * r.Dx() {
				line[i] = float32(p[i])
			}
		}
	case *image.NRGBA:
		return func(y int, line []float32) {
			p := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			for x := range r.Dx() {
				a := float32(p[4*x+3])
				k := a / 255
				line[4*x], line[4*x+1], line[4*x+2], line[4*x+3] = float32(p[4*x])*k, float32(p[4*x+1])*k, float32(p[4*x+2])*k, a
			}
		}
	case *image.Gray:
		return func(y int, line []float32) {
			p := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			for x := range r.Dx() {
				v := float32(p[x])
				line[4*x], line[4*x+1], line[4*x+2], line[4*x+3] = v, v, v, 255
			}
		}
	case *image.Paletted:
		table := make([][4]float32, 256)
		for i, c := range m.Palette {
			cr, cg, cb, ca := c.RGBA()
			table[i] = [4]float32{float32(cr) / 257, float32(cg) / 257, float32(cb) / 257, float32(ca) / 257}
		}
		return func(y int, line []float32) {
			p := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			for x := range r.Dx() {
				copy(line[4*x:4*x+4], table[p[x]][:])
			}
		}
	}
	return func(y int, line []float32) {
		for x := range r.Dx() {
			cr, cg, cb, ca := src.At(r.Min.X+x, r.Min.Y+y).RGBA()
			line[4*x], line[4*x+1], line[4*x+2], line[4*x+3] = float32(cr)/257, float32(cg)/257, float32(cb)/257, float32(ca)/257
		}
	}
}

// ycc converts a YCbCr sample to RGB as JFIF defines it (the conversion
// of image/color), without rounding to bytes.
func ycc(y, cb, cr uint8) (float32, float32, float32) {
	fy := float32(y)
	fb, fr := float32(cb)-128, float32(cr)-128
	return fy + 1.402*fr, fy - 0.344136*fb - 0.714136*fr, fy + 1.772*fb
}
