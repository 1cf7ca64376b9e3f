package photo

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/gen2brain/webp"
)

// Hostile files: each fixture hides text (HTML with a script, or a GPS
// position) where its format allows metadata, or after the image. Clean
// must return a file whose every segment, chunk or block is one that holds
// pixels or their coding, with nothing after its end, and in which none of
// the hidden text occurs.

const (
	script = "<script>alert(document.cookie)</script>"
	gps    = "GPSLatitude=55.7558N GPSLongitude=37.6173E"
)

// clean probes and cleans b, failing the test on any error.
func clean(t *testing.T, b []byte) ([]byte, Info) {
	t.Helper()
	info, err := Probe(bytes.NewReader(b), Limits{})
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	var out bytes.Buffer
	if _, _, err := Clean(&out, bytes.NewReader(b), info); err != nil {
		t.Fatalf("clean: %v", err)
	}
	return out.Bytes(), info
}

func noSecrets(t *testing.T, out []byte) {
	t.Helper()
	for _, s := range []string{script, gps, "<script", "GPS", "xmpmeta", "Exif", "PK\x03\x04"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("the cleaned file still holds %q", s)
		}
	}
}

// ---------------------------------------------------------------- JPEG

func jpegSegment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// jpegMarkers lists the markers of a JPEG up to EOI and returns what
// follows it.
func jpegMarkers(t *testing.T, b []byte) ([]byte, []byte) {
	t.Helper()
	var markers []byte
	i := 0
	for i+1 < len(b) {
		if b[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		m := b[i+1]
		markers = append(markers, m)
		i += 2
		switch {
		case m == 0xD8:
			continue
		case m == 0xD9:
			return markers, b[i:]
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		i += n
		if m == 0xDA { // entropy-coded data up to the next marker that is not RST or stuffing
			for i+1 < len(b) && (b[i] != 0xFF || b[i+1] == 0 || (b[i+1] >= 0xD0 && b[i+1] <= 0xD7)) {
				i++
			}
		}
	}
	t.Fatal("no EOI")
	return nil, nil
}

func TestJPEGKeepsOnlyItsPixels(t *testing.T) {
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, scene(64, 48), nil); err != nil {
		t.Fatal(err)
	}
	j := plain.Bytes()
	exif := append([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00"), gps...)
	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>"), gps+"</x:xmpmeta>"...)
	in := slices.Concat(j[:2], jpegSegment(0xE1, exif), jpegSegment(0xE1, xmp), jpegSegment(0xFE, []byte(script)),
		jpegSegment(0xED, []byte("Photoshop 3.0\x008BIM"+gps)), jpegSegment(0xE2, []byte("ICC_PROFILE\x00"+script)),
		j[2:], []byte("PK\x03\x04"+script))
	out, _ := clean(t, in)
	markers, rest := jpegMarkers(t, out)
	for _, m := range markers {
		switch m {
		case 0xD8, 0xDB, 0xC0, 0xC4, 0xDA, 0xD9: // SOI, DQT, SOF0, DHT, SOS, EOI
		default:
			t.Errorf("the cleaned JPEG has a segment with marker %#x", m)
		}
	}
	if len(rest) != 0 {
		t.Errorf("%d bytes follow EOI", len(rest))
	}
	noSecrets(t, out)
	if _, err := jpeg.Decode(bytes.NewReader(out)); err != nil {
		t.Errorf("the cleaned JPEG does not decode: %v", err)
	}
}

// ---------------------------------------------------------------- PNG

func pngChunk(typ string, data []byte) []byte {
	b := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(b, uint32(len(data)))
	copy(b[4:], typ)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// pngChunks lists the chunk types of a PNG and returns what follows IEND.
func pngChunks(t *testing.T, b []byte) ([]string, []byte) {
	t.Helper()
	var types []string
	for i := 8; i+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		types = append(types, typ)
		i += 12 + n
		if typ == "IEND" {
			return types, b[i:]
		}
	}
	t.Fatal("no IEND")
	return nil, nil
}

func TestPNGKeepsOnlyItsPixels(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 20, 10))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 7)
	}
	var plain bytes.Buffer
	if err := png.Encode(&plain, src); err != nil {
		t.Fatal(err)
	}
	p := plain.Bytes()
	iend := len(p) - 12
	extra := slices.Concat(
		pngChunk("tEXt", []byte("Comment\x00"+script)),
		pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>"+gps+"</x:xmpmeta>")),
		pngChunk("eXIf", []byte("MM\x00\x2a"+gps)),
		pngChunk("zxIf", []byte(gps)),
		pngChunk("htMl", []byte(script)),
		pngChunk("tIME", []byte{7, 234, 1, 2, 3, 4, 5}))
	in := slices.Concat(p[:33], extra, p[33:iend], extra, p[iend:], []byte("<html>"+script))
	out, _ := clean(t, in)
	types, rest := pngChunks(t, out)
	for _, typ := range types {
		if !slices.Contains([]string{"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}, typ) {
			t.Errorf("the cleaned PNG has a %s chunk", typ)
		}
	}
	if len(rest) != 0 {
		t.Errorf("%d bytes follow IEND", len(rest))
	}
	noSecrets(t, out)
	got, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the cleaned PNG does not decode: %v", err)
	}
	for y := range 10 {
		for x := range 20 {
			if a, b := color.NRGBAModel.Convert(got.At(x, y)), src.NRGBAAt(x, y); a != b {
				t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, a, b)
			}
		}
	}
}

// ---------------------------------------------------------------- GIF

// gifFile builds a GIF with a w×h screen and a global palette of four
// colours from its parts: blocks are put between the screen descriptor
// and the trailer.
func gifFile(w, h int, blocks ...[]byte) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, uint16(w))
	b = binary.LittleEndian.AppendUint16(b, uint16(h))
	b = append(b, 0x81, 0, 0) // global table of 4 colours
	b = append(b, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255)
	for _, bl := range blocks {
		b = append(b, bl...)
	}
	return append(b, 0x3B)
}

// subBlocks splits data into GIF data sub-blocks with the terminator.
func subBlocks(data []byte) []byte {
	var b []byte
	for len(data) > 0 {
		n := min(len(data), 255)
		b = append(b, byte(n))
		b = append(b, data[:n]...)
		data = data[n:]
	}
	return append(b, 0)
}

// gifFrame is an image descriptor for a w×h frame at (x, y) with LZW data
// of one colour (index 1), made by the standard library's encoder.
func gifFrame(t *testing.T, x, y, w, h int) []byte {
	t.Helper()
	m := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Black, color.White, color.Gray{128}, color.Gray{64}})
	for i := range m.Pix {
		m.Pix[i] = 1
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	enc := buf.Bytes()
	// The encoder writes header, screen, global table (4 colours), then
	// the image descriptor; take the descriptor onwards, minus the trailer.
	i := bytes.IndexByte(enc[13+12:], 0x2C) + 13 + 12
	d := slices.Clone(enc[i : len(enc)-1])
	binary.LittleEndian.PutUint16(d[1:], uint16(x))
	binary.LittleEndian.PutUint16(d[3:], uint16(y))
	return d
}

// gifBlocks lists the blocks of a GIF (extensions by label) and returns
// what follows the trailer.
func gifBlocks(t *testing.T, b []byte) ([]string, []byte) {
	t.Helper()
	i := 13
	if b[10]&0x80 != 0 {
		i += 3 << (int(b[10]&7) + 1)
	}
	skip := func() {
		for i < len(b) && b[i] != 0 {
			i += int(b[i]) + 1
		}
		i++
	}
	var blocks []string
	for i < len(b) {
		switch b[i] {
		case 0x21:
			label := b[i+1]
			name := map[byte]string{0xF9: "graphic-control", 0xFE: "comment", 0x01: "plain-text", 0xFF: "application"}[label]
			if label == 0xFF {
				name += ":" + string(b[i+3:i+14])
			}
			blocks = append(blocks, name)
			i += 2
			skip()
		case 0x2C:
			blocks = append(blocks, "image")
			flags := b[i+9]
			i += 10
			if flags&0x80 != 0 {
				i += 3 << (int(flags&7) + 1)
			}
			i++
			skip()
		case 0x3B:
			return blocks, b[i+1:]
		default:
			t.Fatalf("unknown GIF block %#x at %d", b[i], i)
		}
	}
	t.Fatal("no trailer")
	return nil, nil
}

func TestGIFKeepsOnlyItsFrames(t *testing.T) {
	comment := append([]byte{0x21, 0xFE}, subBlocks([]byte(script))...)
	xmp := append([]byte{0x21, 0xFF, 11}, []byte("XMP DataXMP")...)
	xmp = append(xmp, subBlocks([]byte("<x:xmpmeta>"+gps+"</x:xmpmeta>"))...)
	plainText := append([]byte{0x21, 0x01, 12, 0, 0, 0, 0, 8, 0, 8, 0, 8, 8, 1, 0}, subBlocks([]byte(script))...)
	loop := append([]byte{0x21, 0xFF, 11}, []byte("NETSCAPE2.0")...)
	loop = append(loop, 3, 1, 0, 0, 0)
	delay := []byte{0x21, 0xF9, 4, 0x08, 10, 0, 0, 0} // restore to background, 0.1 s
	in := gifFile(8, 6, comment, xmp, loop, delay, gifFrame(t, 0, 0, 8, 6), plainText, delay, gifFrame(t, 2, 1, 3, 3), comment)
	in = append(in, []byte("<html>"+script)...)
	out, info := clean(t, in)
	if info.Frames != 2 {
		t.Errorf("frames = %d, want 2", info.Frames)
	}
	blocks, rest := gifBlocks(t, out)
	for _, bl := range blocks {
		if bl != "image" && bl != "graphic-control" && bl != "application:NETSCAPE2.0" {
			t.Errorf("the cleaned GIF has a %s block", bl)
		}
	}
	if n := strings.Count(strings.Join(blocks, " "), "image"); n != 2 {
		t.Errorf("the cleaned GIF has %d frames, want 2: %v", n, blocks)
	}
	if len(rest) != 0 {
		t.Errorf("%d bytes follow the trailer", len(rest))
	}
	noSecrets(t, out)
	g, err := gif.DecodeAll(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the cleaned GIF does not decode: %v", err)
	}
	if len(g.Image) != 2 || g.Delay[0] != 10 || g.Image[1].Rect != image.Rect(2, 1, 5, 4) || g.LoopCount != 0 {
		t.Errorf("frames %d, delay %v, second frame %v, loop %d", len(g.Image), g.Delay, g.Image[1].Rect, g.LoopCount)
	}
}

func TestGIFFramesAreCheckedBeforeDecoding(t *testing.T) {
	// A frame descriptor declaring 60000×60000 pixels and no image data:
	// the header walk refuses it without decompressing anything.
	huge := []byte{0x2C, 0, 0, 0, 0, 0x60, 0xEA, 0x60, 0xEA, 0, 2}
	huge = append(huge, subBlocks([]byte{0x44, 0x01})...)
	many := make([][]byte, 0, DefaultMaxFrames+1)
	for range DefaultMaxFrames + 1 {
		many = append(many, gifFrame(t, 0, 0, 1, 1))
	}
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"a 60000² frame on a 1×1 screen is refused", gifFile(1, 1, huge), "outside its 1×1 screen"},
		{"a frame that starts inside the screen and runs past it is refused", gifFile(8, 8, gifFrame(t, 6, 6, 4, 4)), "outside"},
		{"more frames than the limit are refused", gifFile(1, 1, many...), "more than 500 frames"},
		{"a screen of no pixels is refused", gifFile(0, 5, gifFrame(t, 0, 0, 1, 1)), "logical screen"},
		{"a GIF without frames is refused", gifFile(4, 4), "no image"},
		{"a GIF cut before its trailer is refused", cutTrailer(gifFile(4, 4, gifFrame(t, 0, 0, 4, 4))), "truncated"},
		{"a GIF cut inside a frame is refused", gifFile(4, 4, gifFrame(t, 0, 0, 4, 4))[:40], "not a readable gif"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Probe(bytes.NewReader(tc.b), Limits{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
	t.Run("frames of more pixels in all than the limit are refused", func(t *testing.T) {
		b := gifFile(100, 100, gifFrame(t, 0, 0, 100, 100), gifFrame(t, 0, 0, 100, 100))
		if _, err := Probe(bytes.NewReader(b), Limits{MaxPixels: 15_000}); err == nil || !strings.Contains(err.Error(), "in all") {
			t.Errorf("err = %v", err)
		}
	})
}

// ---------------------------------------------------------------- WebP

func riffChunk(typ string, data []byte) []byte {
	b := append([]byte(typ), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// riffChunks lists the chunks of a WebP, checking the RIFF size, and
// returns what follows the RIFF chunk.
func riffChunks(t *testing.T, b []byte) ([]string, []byte) {
	t.Helper()
	size := int(binary.LittleEndian.Uint32(b[4:]))
	if size+8 > len(b) {
		t.Fatalf("RIFF size %d for %d bytes", size, len(b))
	}
	var types []string
	for i := 12; i < size+8; {
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		types = append(types, string(b[i:i+4]))
		i += 8 + n + n%2
	}
	return types, b[size+8:]
}

func TestWebPKeepsOnlyItsPixels(t *testing.T) {
	for _, lossless := range []bool{false, true} {
		name := map[bool]string{false: "a lossy WebP", true: "a lossless WebP"}[lossless]
		t.Run(name+" keeps only its image", func(t *testing.T) {
			src := image.NewNRGBA(image.Rect(0, 0, 16, 12))
			for i := range src.Pix {
				src.Pix[i] = 255
			}
			var plain bytes.Buffer
			if err := webp.Encode(&plain, src, webp.Options{Lossless: lossless, Quality: 90}); err != nil {
				t.Fatal(err)
			}
			p := plain.Bytes()
			vp8x := make([]byte, 10)
			vp8x[0] = 0x08 | 0x04 // EXIF and XMP present
			vp8x[4], vp8x[7] = 15, 11
			in := slices.Concat([]byte("RIFF\x00\x00\x00\x00WEBP"), riffChunk("VP8X", vp8x),
				riffChunk("EXIF", []byte("MM\x00\x2a"+gps)), p[12:],
				riffChunk("XMP ", []byte("<x:xmpmeta>"+gps+"</x:xmpmeta>")), riffChunk("htMl", []byte(script)))
			binary.LittleEndian.PutUint32(in[4:], uint32(len(in)-8))
			in = append(in, []byte("PK\x03\x04"+script)...)
			out, info := clean(t, in)
			if info.Lossless != lossless || info.Width != 16 || info.Height != 12 {
				t.Errorf("info = %+v", info)
			}
			types, rest := riffChunks(t, out)
			for _, typ := range types {
				if !slices.Contains([]string{"VP8 ", "VP8L", "VP8X", "ALPH"}, typ) {
					t.Errorf("the cleaned WebP has a %q chunk", typ)
				}
			}
			if len(rest) != 0 {
				t.Errorf("%d bytes follow the RIFF chunk", len(rest))
			}
			noSecrets(t, out)
			if _, err := Decode(bytes.NewReader(out), Info{Format: WebP, Width: 16, Height: 12}); err != nil {
				t.Errorf("the cleaned WebP does not decode: %v", err)
			}
		})
	}
	t.Run("an animated WebP is refused", func(t *testing.T) {
		vp8x := make([]byte, 10)
		vp8x[0] = 0x02
		in := slices.Concat([]byte("RIFF\x00\x00\x00\x00WEBP"), riffChunk("VP8X", vp8x), riffChunk("ANIM", make([]byte, 6)))
		binary.LittleEndian.PutUint32(in[4:], uint32(len(in)-8))
		if _, err := Probe(bytes.NewReader(in), Limits{}); err == nil || !strings.Contains(err.Error(), "animated") {
			t.Errorf("err = %v", err)
		}
	})
}

// ---------------------------------------------------------------- polyglots

func TestPolyglotsLoseWhatFollowsTheImage(t *testing.T) {
	// A GIF whose screen size bytes open a script comment ("/*"), the
	// trick of GIF/JavaScript polyglots, is refused: what follows its
	// screen is script, not GIF blocks. A real GIF with a script and an
	// archive after its trailer keeps neither.
	js := []byte("GIF89a/*\x00\x01\x80\x00\x00*/=alert(1);/*")
	if _, err := Probe(bytes.NewReader(append(js, 0x3B)), Limits{}); err == nil {
		t.Error("the GIF/JavaScript polyglot header was accepted")
	}
	in := append(gifFile(4, 4, gifFrame(t, 0, 0, 4, 4)), []byte("*/alert(1);<html>"+script+"PK\x03\x04")...)
	out, _ := clean(t, in)
	if _, rest := gifBlocks(t, out); len(rest) != 0 {
		t.Errorf("%d bytes follow the trailer", len(rest))
	}
	noSecrets(t, out)
}

func cutTrailer(b []byte) []byte { return b[:len(b)-1] }
