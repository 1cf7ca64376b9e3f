package demo

import (
	"image"
	"image/color"
	"math"
)

// Colours of painted things before the light dims them.
var (
	containerColours = []color.RGBA{rgb(176, 72, 52), rgb(40, 76, 130), rgb(32, 128, 120), rgb(204, 150, 52), rgb(120, 124, 130)}
	fieldColours     = []color.RGBA{rgb(104, 142, 64), rgb(196, 174, 92), rgb(138, 168, 80), rgb(86, 120, 60), rgb(170, 150, 76)}
	brick            = rgb(150, 78, 60)
	white            = rgb(242, 240, 232)
	red              = rgb(196, 52, 44)
	grass, grass2    = rgb(60, 132, 64), rgb(74, 150, 76)
)

func (c *canvas) skyline() {
	horizon := int(float64(c.h) * c.between(0.68, 0.76))
	sx, _ := c.sky(horizon)
	far := mix(c.l.land, c.l.skyBottom, 0.5)
	for x := -10; x < c.w; {
		bw, bh := 18+c.rng.IntN(40), 30+c.rng.IntN(80)
		c.fill(image.Rect(x, horizon-bh, x+bw, horizon), far)
		x += bw + c.rng.IntN(5)
	}
	for x := -10; x < c.w; {
		bw, bh := 28+c.rng.IntN(46), 50+c.rng.IntN(140)
		r := image.Rect(x, horizon-bh, x+bw, horizon)
		c.fill(r, c.l.land)
		switch c.rng.IntN(4) {
		case 0: // a mast on the roof
			c.line(float64(x+bw/2), float64(r.Min.Y), float64(x+bw/2), float64(r.Min.Y-20), 2, c.l.land)
		case 1: // a gable
			c.poly(c.l.land, point{float64(x), float64(r.Min.Y)}, point{float64(x + bw/2), float64(r.Min.Y - bw/3)}, point{float64(x + bw), float64(r.Min.Y)})
		}
		if c.l.lit {
			c.windows(r, c.l.window, 0.35)
		}
		x += bw + 2 + c.rng.IntN(8)
	}
	c.water(horizon, sx)
	c.fill(image.Rect(0, horizon, c.w, horizon+3), c.l.land)
}

func (c *canvas) harbour() {
	horizon := int(float64(c.h) * 0.58)
	sx, _ := c.sky(horizon)
	c.ridge(float64(horizon)-8, 6, mix(c.l.land, c.l.skyBottom, 0.55))
	c.water(horizon, sx)
	quay := int(float64(c.h) * 0.8)
	edge := int(float64(c.w) * c.between(0.5, 0.65))
	c.fill(image.Rect(0, quay, edge, c.h), c.tint(rgb(90, 92, 96)))
	c.fill(image.Rect(0, quay, edge, quay+3), c.tint(rgb(200, 190, 150)))
	for x := 10; x+40 < edge-20; x += 44 {
		for row := range 1 + c.rng.IntN(3) {
			y := quay - 16*(row+1)
			c.fill(image.Rect(x, y, x+40, y+15), c.tint(containerColours[c.rng.IntN(len(containerColours))]))
		}
	}
	crane := c.tint(rgb(214, 170, 60))
	for i := range 2 + c.rng.IntN(2) {
		x := float64(40 + i*int(float64(edge)/2.6))
		top := float64(quay) - c.between(120, 160)
		c.line(x, float64(quay), x+6, top, 4, crane)
		c.line(x+40, float64(quay), x+34, top, 4, crane)
		c.fill(image.Rect(int(x-30), int(top-8), int(x)+150, int(top)), crane)
		c.fill(image.Rect(int(x+8), int(top), int(x+32), int(top)+14), c.l.land)
		hook := x + c.between(70, 140)
		c.line(hook, top, hook, top+c.between(30, 90), 1, c.l.land)
	}
}

func (c *canvas) sea() {
	horizon := int(float64(c.h) * c.between(0.52, 0.6))
	sx, _ := c.sky(horizon)
	c.water(horizon, sx)
	for range 1 + c.rng.IntN(3) {
		x := c.between(40, float64(c.w)-200)
		y := float64(horizon) + c.between(20, 90)
		s := 0.6 + (y-float64(horizon))/120
		c.poly(c.l.land, point{x, y}, point{x + 60*s, y}, point{x + 50*s, y + 10*s}, point{x + 8*s, y + 10*s})
		c.poly(c.tint(white), point{x + 30*s, y - 2}, point{x + 30*s, y - 60*s}, point{x + 54*s, y - 4})
		c.poly(c.tint(white), point{x + 27*s, y - 4}, point{x + 27*s, y - 46*s}, point{x + 8*s, y - 4})
	}
	land := c.l.land
	right := float64(c.w)
	c.poly(land, point{right - 190, float64(c.h)}, point{right - 150, float64(horizon) + 20}, point{right - 90, float64(horizon) - 6}, point{right, float64(horizon) - 14}, point{right, float64(c.h)})
	lx, base := right-70, float64(horizon)-8
	c.poly(c.tint(white), point{lx - 9, base}, point{lx - 6, base - 80}, point{lx + 6, base - 80}, point{lx + 9, base})
	for i := range 3 {
		y := base - 16 - float64(i)*24
		c.poly(c.tint(red), point{lx - 8.4, y}, point{lx - 7.6, y - 10}, point{lx + 7.6, y - 10}, point{lx + 8.4, y})
	}
	c.fill(image.Rect(int(lx-8), int(base-96), int(lx+8), int(base-80)), land)
	lamp := rgb(255, 236, 170)
	if c.l.lit {
		c.disc(lx, base-88, 16, fade(lamp, 0.35))
	}
	c.disc(lx, base-88, 5, lamp)
}

func (c *canvas) fields() {
	horizon := int(float64(c.h) * c.between(0.42, 0.52))
	c.sky(horizon + 20)
	c.ridge(float64(horizon), 10, mix(c.l.land, c.l.skyBottom, 0.45))
	first := c.rng.IntN(len(fieldColours))
	for i := range 6 {
		base := float64(horizon) + 10 + float64(i*i)*9 + float64(i)*8
		c.ridge(base, 6+float64(i)*2, c.tint(fieldColours[(first+i)%len(fieldColours)]))
	}
	tree := c.tint(rgb(52, 90, 48))
	for range 3 + c.rng.IntN(4) {
		x := c.between(20, float64(c.w)-20)
		y := float64(horizon) + c.between(20, 60)
		r := c.between(7, 14)
		c.fill(image.Rect(int(x-1), int(y), int(x+2), int(y+r*1.4)), c.l.land)
		c.disc(x, y, r, tree)
	}
	hx, hy := c.between(80, float64(c.w)-140), float64(horizon)+40
	c.fill(image.Rect(int(hx), int(hy), int(hx+50), int(hy+26)), c.tint(white))
	c.poly(c.tint(red), point{hx - 4, hy}, point{hx + 25, hy - 18}, point{hx + 54, hy})
	if c.l.lit {
		c.fill(image.Rect(int(hx+10), int(hy+8), int(hx+18), int(hy+16)), c.l.window)
	}
}

func (c *canvas) hills() {
	horizon := int(float64(c.h) * 0.55)
	c.sky(horizon + 40)
	n := 5
	for i := range n {
		t := float64(i+1) / float64(n)
		col := mix(c.l.skyBottom, c.l.land, 0.25+0.75*t)
		c.ridge(float64(horizon)-30+float64(i)*38, 30-float64(i)*3, col)
	}
}

func (c *canvas) pitch() {
	horizon := int(float64(c.h) * 0.42)
	c.sky(horizon)
	stand := c.tint(rgb(70, 74, 84))
	c.fill(image.Rect(0, horizon-50, c.w, horizon+24), stand)
	c.poly(stand, point{-10, float64(horizon - 50)}, point{float64(c.w) + 10, float64(horizon - 50)}, point{float64(c.w) + 10, float64(horizon - 62)}, point{-10, float64(horizon - 62)})
	crowd := []color.RGBA{rgb(200, 40, 48), rgb(240, 236, 228), rgb(30, 60, 140)}
	for y := horizon - 44; y < horizon+20; y += 6 {
		for x := 2; x < c.w; x += 4 + c.rng.IntN(3) {
			c.fill(image.Rect(x, y, x+2, y+3), c.tint(crowd[c.rng.IntN(len(crowd))]))
		}
	}
	top := horizon + 24
	for i, y := 0, top; y < c.h; i++ {
		band := 8 + i*5
		col := grass
		if i%2 == 1 {
			col = grass2
		}
		c.fill(image.Rect(0, y, c.w, y+band), c.tint(col))
		y += band
	}
	line := fade(c.tint(white), 0.9)
	c.line(0, float64(top+10), float64(c.w), float64(top+10), 2, line)
	mid := float64(c.w) / 2
	c.line(mid-60, float64(top+10), mid-160, float64(c.h), 2, line)
	for _, x := range []float64{30, float64(c.w) - 30} {
		c.line(x, float64(horizon-40), x, 20, 4, c.l.land)
		c.fill(image.Rect(int(x-16), 8, int(x+16), 24), c.l.land)
		for k := range 4 {
			c.disc(x-12+float64(k)*8, 16, 3, rgb(255, 250, 220))
		}
		if c.l.lit {
			c.disc(x, 16, 36, fade(rgb(255, 250, 220), 0.15))
		}
	}
}

func (c *canvas) bridge() {
	horizon := int(float64(c.h) * 0.6)
	sx, _ := c.sky(horizon)
	c.ridge(float64(horizon)-10, 8, mix(c.l.land, c.l.skyBottom, 0.4))
	c.water(horizon, sx)
	deck := float64(horizon) - 30
	steel := c.tint(rgb(180, 70, 50))
	a, b := c.between(60, 140), float64(c.w)-c.between(60, 140)
	mid, half, rise := (a+b)/2, (b-a)/2, c.between(90, 130)
	archY := func(x float64) float64 { return deck - rise*(1-math.Pow((x-mid)/half, 2)) }
	for x := a; x < b; x += 16 {
		c.line(x, archY(x), x, deck, 1.5, steel)
	}
	for x := int(a); x < int(b); x++ {
		y := archY(float64(x))
		c.fill(image.Rect(x, int(y), x+1, int(y)+8), steel)
	}
	c.fill(image.Rect(0, int(deck), c.w, int(deck)+8), c.l.land)
	for _, x := range []float64{a, b} {
		c.fill(image.Rect(int(x-10), int(deck), int(x+10), horizon+40), c.l.land)
	}
	if c.l.lit {
		for x := 8; x < c.w; x += 40 {
			c.disc(float64(x), deck-4, 2, c.l.window)
		}
	}
}

func (c *canvas) rails() {
	horizon := int(float64(c.h) * 0.45)
	c.sky(horizon)
	far := mix(c.l.land, c.l.skyBottom, 0.5)
	for x := 0; x < c.w; {
		bw, bh := 10+c.rng.IntN(24), 8+c.rng.IntN(30)
		c.fill(image.Rect(x, horizon-bh, x+bw, horizon), far)
		x += bw + c.rng.IntN(10)
	}
	c.gradient(horizon, c.h, c.tint(rgb(120, 116, 104)), c.tint(rgb(70, 66, 60)))
	vx, vy := float64(c.w)*c.between(0.4, 0.6), float64(horizon)
	sleeper := c.tint(rgb(96, 70, 50))
	for i := 1; i <= 24; i++ {
		t := math.Pow(float64(i)/24, 2)
		y := vy + t*(float64(c.h)-vy)
		hw := 4 + t*220
		c.fill(image.Rect(int(vx-hw), int(y), int(vx+hw), int(y+1+t*10)), sleeper)
	}
	steel := c.tint(rgb(200, 204, 210))
	c.line(vx-2, vy, vx-170, float64(c.h), 3, steel)
	c.line(vx+2, vy, vx+170, float64(c.h), 3, steel)
	pole := c.l.land
	for i := 1; i <= 6; i++ {
		t := math.Pow(float64(i)/6, 2)
		x := vx + 8 + t*(float64(c.w)-vx+40)
		y := vy + t*(float64(c.h)-vy)*0.7
		ht := 20 + t*200
		c.line(x, y, x, y-ht, 1+t*5, pole)
		c.line(x, y-ht+4, x-20-t*120, y-ht+4, 1+t*3, pole)
	}
	c.line(vx, vy-18, float64(c.w), vy-200, 1, pole)
}

func (c *canvas) storm() {
	c.l = storm
	horizon := int(float64(c.h) * 0.55)
	c.gradient(0, horizon, c.l.skyTop, c.l.skyBottom)
	for range 14 {
		x, y := c.between(0, float64(c.w)), c.between(10, float64(horizon)*0.6)
		c.disc(x, y, c.between(30, 70), fade(mix(c.l.skyTop, rgb(0, 0, 0), 0.3), 0.35))
	}
	c.gradient(horizon, c.h, c.l.waterTop, c.l.waterBottom)
	for range 90 {
		x, y := c.rng.IntN(c.w), horizon+4+c.rng.IntN(c.h-horizon-4)
		wd := 4 + (y-horizon)/8
		c.fill(image.Rect(x, y, x+wd, y+2), fade(white, 0.7))
	}
	wall := c.l.land
	c.poly(wall, point{0, float64(c.h)}, point{0, float64(horizon) + 40}, point{float64(c.w) * 0.45, float64(c.h) - 50}, point{float64(c.w) * 0.5, float64(c.h)})
	cx, cy := float64(c.w)*c.between(0.3, 0.4), float64(c.h)-90
	for range 18 {
		c.disc(cx+c.between(-60, 60), cy+c.between(-70, 20), c.between(10, 30), fade(white, 0.45))
	}
	for range 120 {
		x, y := c.between(0, float64(c.w)), c.between(0, float64(c.h))
		c.line(x, y, x-6, y+16, 1, fade(rgb(210, 216, 224), 0.35))
	}
}

func (c *canvas) night() {
	c.l = night
	horizon := int(float64(c.h) * 0.72)
	c.sky(horizon + 30)
	hx, hy := c.between(0.2, 0.7)*float64(c.w), c.between(40, 110)
	for i := range 8 {
		t := float64(i) / 8
		c.line(hx, hy, hx+140+t*20, hy-30+t*50, 10-float64(i), fade(rgb(200, 230, 255), 0.12))
	}
	c.disc(hx, hy, 4, rgb(230, 246, 255))
	top := c.ridge(float64(horizon), 14, c.l.land)
	dx := 120 + c.rng.IntN(c.w-240)
	dy := float64(top[dx])
	dome := rgb(150, 156, 170)
	c.fill(image.Rect(dx-22, int(dy)-30, dx+22, int(dy)+2), dome)
	c.disc(float64(dx), dy-30, 22, dome)
	c.line(float64(dx)-2, dy-52, float64(dx)+12, dy-44, 6, c.l.skyTop)
	c.fill(image.Rect(dx-4, int(dy)-18, dx+4, int(dy)-10), c.l.window)
}

func (c *canvas) campus() {
	horizon := int(float64(c.h) * 0.7)
	c.sky(horizon)
	c.gradient(horizon, c.h, c.tint(grass2), c.tint(grass))
	bx0, bx1 := int(float64(c.w)*c.between(0.12, 0.24)), int(float64(c.w)*c.between(0.76, 0.88))
	top := horizon - 80 - 34*c.rng.IntN(2)
	wall := c.tint(brick)
	c.fill(image.Rect(bx0, top, bx1, horizon), wall)
	c.fill(image.Rect(bx0-6, top-6, bx1+6, top), c.tint(rgb(80, 70, 66)))
	pane := c.tint(rgb(200, 220, 232))
	if c.l.lit {
		pane = c.l.window
	}
	for y := top + 14; y+24 < horizon; y += 34 {
		for x := bx0 + 14; x+16 < bx1; x += 30 {
			c.fill(image.Rect(x-2, y-2, x+18, y+24), c.tint(white))
			if c.l.lit && c.rng.Float64() < 0.4 {
				c.fill(image.Rect(x, y, x+16, y+22), c.tint(rgb(200, 220, 232)))
				continue
			}
			c.fill(image.Rect(x, y, x+16, y+22), pane)
		}
	}
	mx := (bx0 + bx1) / 2
	c.fill(image.Rect(mx-24, top-70, mx+24, horizon), wall)
	c.poly(c.tint(rgb(70, 90, 96)), point{float64(mx - 30), float64(top - 70)}, point{float64(mx), float64(top - 112)}, point{float64(mx + 30), float64(top - 70)})
	c.disc(float64(mx), float64(top-40), 14, c.tint(white))
	c.line(float64(mx), float64(top-40), float64(mx), float64(top-50), 2, c.l.land)
	c.line(float64(mx), float64(top-40), float64(mx+7), float64(top-36), 2, c.l.land)
	c.fill(image.Rect(mx-14, horizon-36, mx+14, horizon), c.tint(rgb(60, 44, 36)))
	c.poly(c.tint(rgb(210, 196, 170)), point{float64(mx - 14), float64(horizon)}, point{float64(mx + 14), float64(horizon)}, point{float64(mx + 90), float64(c.h)}, point{float64(mx - 90), float64(c.h)})
	for _, x := range []float64{float64(bx0) - c.between(20, 50), float64(bx1) + c.between(20, 50)} {
		r := c.between(22, 34)
		c.fill(image.Rect(int(x-3), horizon-40, int(x+3), horizon+6), c.l.land)
		c.disc(x, float64(horizon-26)-r, r, c.tint(rgb(52, 100, 52)))
	}
}
