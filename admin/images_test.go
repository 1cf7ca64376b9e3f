package admin

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func riffChunk(typ string, data []byte) []byte {
	b := append([]byte(typ), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func TestWebPLosesExifAndXMP(t *testing.T) {
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 | 0x04   // EXIF and XMP present
	vp8x[4], vp8x[7] = 3, 2 // canvas 4×3 (stored minus one)
	var body []byte
	body = append(body, riffChunk("VP8X", vp8x)...)
	body = append(body, riffChunk("EXIF", []byte("MM\x00\x2aGPS-secret"))...)
	body = append(body, riffChunk("XMP ", []byte("<x:xmpmeta>GPS-secret</x:xmpmeta>"))...)
	body = append(body, riffChunk("VP8L", []byte{0x2f, 1, 2, 3, 4})...)
	in := append([]byte("RIFF\x00\x00\x00\x00WEBP"), body...)
	binary.LittleEndian.PutUint32(in[4:], uint32(len(in)-8))

	img, err := checkImage(in)
	if err != nil {
		t.Fatalf("checkImage: %v", err)
	}
	out := img.data
	if img.kind.format != "webp" || img.width != 4 || img.height != 3 {
		t.Errorf("image = %s %d×%d, want webp 4×3", img.kind.format, img.width, img.height)
	}
	if bytes.Contains(out, []byte("GPS-secret")) || bytes.Contains(out, []byte("EXIF")) || bytes.Contains(out, []byte("XMP ")) {
		t.Error("metadata chunks survived")
	}
	if got := binary.LittleEndian.Uint32(out[4:]); int(got) != len(out)-8 {
		t.Errorf("RIFF size = %d, want %d", got, len(out)-8)
	}
	if out[20]&(0x08|0x04) != 0 {
		t.Errorf("VP8X flags = %#x, want the metadata bits cleared", out[20])
	}
	if !bytes.Contains(out, []byte("VP8L")) {
		t.Error("the image chunk was dropped")
	}
}

func TestDamagedContainersAreRefused(t *testing.T) {
	for name, b := range map[string][]byte{
		"a PNG cut in its first chunk":             []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00"),
		"a WebP with a chunk longer than the file": append([]byte("RIFF\x20\x00\x00\x00WEBPVP8X"), 0xff, 0xff, 0xff, 0x7f),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := checkImage(b); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// FuzzCheckImage checks that no upload makes the image checks panic and
// that whatever passes is one of the accepted formats within the limits.
func FuzzCheckImage(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"))
	f.Add([]byte("RIFF\x20\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x0c\x00\x00\x00\x03\x00\x00\x02\x00\x00"))
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Add([]byte("\xFF\xD8\xFF\xE0"))
	f.Add(withSegments(smallJPEG(f), exifSegment("MM", orientationEntry(6))))
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := checkImage(b)
		if err != nil {
			return
		}
		if img.width < 1 || img.height < 1 || img.width > MaxDimension || img.height > MaxDimension {
			t.Fatalf("accepted %d×%d", img.width, img.height)
		}
		if _, ok := sniffImage(img.data); !ok {
			t.Fatalf("the cleaned %s is no longer recognisable", img.kind.format)
		}
	})
}
