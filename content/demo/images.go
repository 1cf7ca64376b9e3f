package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"math/rand/v2"
)

// The size of every generated photo.
const (
	photoWidth  = 640
	photoHeight = 360
)

// scene is what a generated photo shows.
type scene int

const (
	sceneSkyline scene = iota // a waterfront skyline
	sceneHarbour              // quay, containers and cranes
	sceneSea                  // open sea, boats and a lighthouse
	sceneFields               // farmland in bands
	sceneHills                // ranges fading into haze
	scenePitch                // a floodlit football ground
	sceneBridge               // an arch bridge over the estuary
	sceneRails                // tram tracks to the horizon
	sceneStorm                // a wave breaking on the sea wall
	sceneNight                // a starry sky with a comet and an observatory
	sceneCampus               // a school building on a lawn
	sceneCount
)

// timeOfDay is the light a photo is painted in. The storm and night scenes
// bring their own.
type timeOfDay int

const (
	atDawn timeOfDay = iota
	byDay
	atDusk
	underCloud
	atNight
)

// light is the palette of a time of day.
type light struct {
	skyTop, skyBottom     color.RGBA
	sun                   color.RGBA
	moon                  bool // the sun is a moon, and there are stars
	land                  color.RGBA
	waterTop, waterBottom color.RGBA
	window                color.RGBA
	lit                   bool    // windows and lamps are on
	dim                   float64 // how far colours of things fade into land
	sunHeight             float64 // fraction of the sky above the horizon
	veiled                bool    // the sun shows only faintly through cloud
}

var (
	dawn = light{
		skyTop: rgb(44, 62, 112), skyBottom: rgb(247, 183, 140), sun: rgb(255, 226, 170),
		land: rgb(46, 42, 64), waterTop: rgb(226, 160, 140), waterBottom: rgb(58, 70, 110),
		window: rgb(255, 214, 140), lit: true, dim: 0.3, sunHeight: 0.2,
	}
	day = light{
		skyTop: rgb(58, 128, 214), skyBottom: rgb(196, 228, 246), sun: rgb(255, 248, 214),
		land: rgb(54, 78, 92), waterTop: rgb(120, 180, 210), waterBottom: rgb(26, 84, 128),
		window: rgb(210, 230, 244), dim: 0, sunHeight: 0.7,
	}
	dusk = light{
		skyTop: rgb(30, 40, 88), skyBottom: rgb(255, 140, 92), sun: rgb(255, 204, 120),
		land: rgb(34, 26, 44), waterTop: rgb(230, 130, 100), waterBottom: rgb(40, 40, 80),
		window: rgb(255, 200, 110), lit: true, dim: 0.45, sunHeight: 0.15,
	}
	overcast = light{
		skyTop: rgb(110, 122, 136), skyBottom: rgb(202, 210, 216), sun: rgb(236, 236, 232),
		land: rgb(64, 72, 80), waterTop: rgb(150, 162, 170), waterBottom: rgb(70, 84, 96),
		window: rgb(230, 230, 210), dim: 0.2, sunHeight: 0.6, veiled: true,
	}
	night = light{
		skyTop: rgb(8, 14, 38), skyBottom: rgb(40, 56, 104), sun: rgb(240, 240, 220), moon: true,
		land: rgb(12, 14, 26), waterTop: rgb(40, 56, 100), waterBottom: rgb(6, 10, 28),
		window: rgb(255, 210, 120), lit: true, dim: 0.75, sunHeight: 0.65,
	}
	storm = light{
		skyTop: rgb(52, 58, 70), skyBottom: rgb(128, 136, 144), sun: rgb(200, 204, 208),
		land: rgb(36, 40, 46), waterTop: rgb(96, 110, 116), waterBottom: rgb(30, 44, 52),
		window: rgb(240, 220, 160), lit: true, dim: 0.35, sunHeight: 0.6,
	}
	lights = [...]light{atDawn: dawn, byDay: day, atDusk: dusk, underCloud: overcast, atNight: night}
)

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

// mix returns the colour a fraction t of the way from a to b.
func mix(a, b color.RGBA, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}

// fade returns c with opacity a (0–1).
func fade(c color.RGBA, a float64) color.NRGBA {
	return color.NRGBA{c.R, c.G, c.B, uint8(math.Round(255 * math.Max(0, math.Min(1, a))))}
}

// canvas is a picture being painted with a deterministic random source.
type canvas struct {
	*image.RGBA
	rng  *rand.Rand
	l    light
	w, h int
}

// photoPNG paints scene sc in light tod with details chosen from seed and
// returns it PNG-encoded. The same arguments always give the same bytes.
func photoPNG(sc scene, tod timeOfDay, seed uint64) ([]byte, error) {
	img := paint(sc, tod, seed)
	var buf bytes.Buffer
	var enc png.Encoder
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode photo: %w", err)
	}
	return buf.Bytes(), nil
}

// paint draws scene sc in light tod with details chosen from seed.
func paint(sc scene, tod timeOfDay, seed uint64) *image.RGBA {
	c := &canvas{
		RGBA: image.NewRGBA(image.Rect(0, 0, photoWidth, photoHeight)),
		rng:  rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		w:    photoWidth,
		h:    photoHeight,
	}
	c.l = lights[tod]
	switch sc {
	case sceneSkyline:
		c.skyline()
	case sceneHarbour:
		c.harbour()
	case sceneSea:
		c.sea()
	case sceneFields:
		c.fields()
	case sceneHills:
		c.hills()
	case scenePitch:
		c.pitch()
	case sceneBridge:
		c.bridge()
	case sceneRails:
		c.rails()
	case sceneStorm:
		c.storm()
	case sceneNight:
		c.night()
	default:
		c.campus()
	}
	return c.RGBA
}

// between returns a random float in [lo, hi).
func (c *canvas) between(lo, hi float64) float64 { return lo + c.rng.Float64()*(hi-lo) }

// fill paints rectangle r (clipped to the canvas) in col, blending.
func (c *canvas) fill(r image.Rectangle, col color.Color) {
	draw.Draw(c.RGBA, r.Intersect(c.Bounds()), image.NewUniform(col), image.Point{}, draw.Over)
}

// gradient paints full-width rows y0 to y1 from top to bottom.
func (c *canvas) gradient(y0, y1 int, top, bottom color.RGBA) {
	for y := y0; y < y1; y++ {
		t := float64(y-y0) / float64(max(1, y1-y0-1))
		c.fill(image.Rect(0, y, c.w, y+1), mix(top, bottom, t))
	}
}

// disc paints a circle with a soft one-pixel edge.
func (c *canvas) disc(cx, cy, r float64, col color.Color) {
	b := image.Rect(int(cx-r-1), int(cy-r-1), int(cx+r+2), int(cy+r+2))
	draw.DrawMask(c.RGBA, b.Intersect(c.Bounds()), image.NewUniform(col), image.Point{}, circle{cx, cy, r}, b.Intersect(c.Bounds()).Min, draw.Over)
}

// poly paints the polygon through pts (even-odd rule).
func (c *canvas) poly(col color.Color, pts ...point) {
	m := polygon(pts)
	b := m.Bounds().Intersect(c.Bounds())
	draw.DrawMask(c.RGBA, b, image.NewUniform(col), image.Point{}, m, b.Min, draw.Over)
}

// line paints a straight stroke of width wd.
func (c *canvas) line(x0, y0, x1, y1, wd float64, col color.Color) {
	dx, dy := x1-x0, y1-y0
	n := math.Hypot(dx, dy)
	if n == 0 {
		return
	}
	ox, oy := -dy/n*wd/2, dx/n*wd/2
	c.poly(col, point{x0 + ox, y0 + oy}, point{x1 + ox, y1 + oy}, point{x1 - ox, y1 - oy}, point{x0 - ox, y0 - oy})
}

// ridge paints land from a wavy outline around base down to the bottom
// edge and returns the outline.
func (c *canvas) ridge(base, amp float64, col color.Color) []int {
	type wave struct{ f, p, a float64 }
	waves := make([]wave, 3)
	for i := range waves {
		waves[i] = wave{f: c.between(0.004, 0.012) * float64(i+1), p: c.between(0, 2*math.Pi), a: amp / float64(i+1)}
	}
	top := make([]int, c.w)
	for x := range c.w {
		y := base
		for _, wv := range waves {
			y += wv.a * math.Sin(wv.f*float64(x)+wv.p)
		}
		top[x] = int(math.Round(y))
		c.fill(image.Rect(x, top[x], x+1, c.h), col)
	}
	return top
}

// sky paints the sky down to the horizon and the sun or moon with its glow,
// and returns where the sun stands.
func (c *canvas) sky(horizon int) (sx, sy float64) {
	c.gradient(0, horizon, c.l.skyTop, c.l.skyBottom)
	sx = c.between(0.15, 0.85) * float64(c.w)
	sy = float64(horizon) * (1 - c.l.sunHeight)
	if c.l.moon {
		for range 140 {
			x, y := c.rng.IntN(c.w), c.rng.IntN(max(1, horizon-10))
			c.fill(image.Rect(x, y, x+1, y+1), fade(c.l.sun, c.between(0.3, 0.9)))
		}
		c.disc(sx, sy, 16, c.l.sun)
		c.disc(sx+6, sy-4, 14, fade(c.l.skyTop, 0.85))
		return sx, sy
	}
	if c.l.veiled {
		c.disc(sx, sy, 40, fade(c.l.sun, 0.12))
		c.disc(sx, sy, 22, fade(c.l.sun, 0.45))
		return sx, sy
	}
	for i := 4; i >= 1; i-- {
		c.disc(sx, sy, 18+float64(i)*14, fade(c.l.sun, 0.08))
	}
	c.disc(sx, sy, 22, c.l.sun)
	return sx, sy
}

// water paints the sea from the horizon down, with the sun's reflection
// broken into bars below sx.
func (c *canvas) water(horizon int, sx float64) {
	c.gradient(horizon, c.h, c.l.waterTop, c.l.waterBottom)
	shine := fade(c.l.sun, 0.55)
	for y := horizon + 3; y < c.h; y += 3 + (y-horizon)/14 {
		half := c.between(6, 30) * (1 + float64(y-horizon)/float64(c.h))
		x := sx + c.between(-12, 12)
		c.fill(image.Rect(int(x-half), y, int(x+half), y+1+(y-horizon)/40), shine)
	}
}

// windows lights a grid of windows on the building in r, when the light
// says they are on.
func (c *canvas) windows(r image.Rectangle, col color.RGBA, chance float64) {
	for y := r.Min.Y + 6; y+6 < r.Max.Y; y += 12 {
		for x := r.Min.X + 4; x+5 < r.Max.X; x += 9 {
			if c.rng.Float64() < chance {
				c.fill(image.Rect(x, y, x+4, y+6), col)
			}
		}
	}
}

// tint returns base darkened toward the land colour as the light dims.
func (c *canvas) tint(base color.RGBA) color.RGBA { return mix(base, c.l.land, c.l.dim) }

// point is a position on the canvas.
type point struct{ x, y float64 }

// circle is an alpha mask of a disc with an antialiased rim.
type circle struct{ cx, cy, r float64 }

func (m circle) ColorModel() color.Model { return color.AlphaModel }

func (m circle) Bounds() image.Rectangle {
	return image.Rect(int(m.cx-m.r-1), int(m.cy-m.r-1), int(m.cx+m.r+2), int(m.cy+m.r+2))
}

func (m circle) At(x, y int) color.Color {
	d := math.Hypot(float64(x)+0.5-m.cx, float64(y)+0.5-m.cy)
	return color.Alpha{uint8(255 * math.Max(0, math.Min(1, m.r-d+0.5)))}
}

// polygon is an alpha mask of a polygon filled by the even-odd rule.
type polygon []point

func (m polygon) ColorModel() color.Model { return color.AlphaModel }

func (m polygon) Bounds() image.Rectangle {
	if len(m) == 0 {
		return image.Rectangle{}
	}
	minX, minY, maxX, maxY := m[0].x, m[0].y, m[0].x, m[0].y
	for _, p := range m[1:] {
		minX, minY = math.Min(minX, p.x), math.Min(minY, p.y)
		maxX, maxY = math.Max(maxX, p.x), math.Max(maxY, p.y)
	}
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1)
}

func (m polygon) At(x, y int) color.Color {
	px, py := float64(x)+0.5, float64(y)+0.5
	in := false
	for i, j := 0, len(m)-1; i < len(m); j, i = i, i+1 {
		a, b := m[i], m[j]
		if (a.y > py) != (b.y > py) && px < (b.x-a.x)*(py-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	if in {
		return color.Alpha{255}
	}
	return color.Alpha{0}
}
