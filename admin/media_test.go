package admin_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
)

// upload posts data as the multipart field "file" with the client's file
// name and content type, plus extra text fields.
func (e *env) upload(tb testing.TB, u auth.User, filename, contentType string, data []byte, fields map[string]string) *httptest.ResponseRecorder {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	h.Set("Content-Type", contentType)
	part, err := mw.CreatePart(h)
	if err != nil {
		tb.Fatal(err)
	}
	part.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", "/api/admin/v1/media", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	e.authorize(tb, req, u)
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}

func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := range 4 {
		img.Set(x, 1, color.RGBA{200, 30, 30, 255})
	}
	return img
}

func jpegBytes(tb testing.TB) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(), nil); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// gpsMarker is the text the hand-made EXIF segment carries.
const gpsMarker = "GPSLatitude=55.7558N;GPSLongitude=37.6173E"

// jpegWithExif inserts an APP1 Exif segment with GPS data after SOI.
func jpegWithExif(tb testing.TB) []byte {
	j := jpegBytes(tb)
	payload := append([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08"), gpsMarker...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, j[2:]...)
}

func pngChunk(typ string, data []byte) []byte {
	b := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(b, uint32(len(data)))
	copy(b[4:], typ)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// pngWithText is a PNG with a tEXt chunk before IEND.
func pngWithText(tb testing.TB) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage()); err != nil {
		tb.Fatal(err)
	}
	b := buf.Bytes()
	iend := len(b) - 12
	out := append([]byte{}, b[:iend]...)
	out = append(out, pngChunk("tEXt", []byte("Comment\x00"+gpsMarker))...)
	return append(out, b[iend:]...)
}

// pngHeader declares w×h pixels and holds no image data.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	out := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	return append(out, pngChunk("IEND", nil)...)
}

type mediaBody struct {
	ID          string `json:"id"`
	FileName    string `json:"file_name"`
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Credit      string `json:"credit"`
	Caption     string `json:"caption"`
}

func TestUploadsAreCheckedByContent(t *testing.T) {
	e := newEnv(t)
	co := e.role[auth.RoleContributor]
	cases := []struct {
		name, filename, contentType string
		data                        []byte
		status                      int
	}{
		{"an SVG is refused", "logo.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), http.StatusUnsupportedMediaType},
		{"HTML renamed .jpg is refused", "photo.jpg", "image/jpeg", []byte("<!doctype html><script>alert(1)</script>"), http.StatusUnsupportedMediaType},
		{"a JPEG header on garbage is refused", "photo.jpg", "image/jpeg", []byte("\xFF\xD8\xFF garbage"), http.StatusBadRequest},
		{"a PNG declaring 100000×100000 pixels is refused before decoding", "huge.png", "image/png", pngHeader(100000, 100000), http.StatusBadRequest},
		{"a PNG over 50 megapixels is refused", "wide.png", "image/png", pngHeader(10000, 6000), http.StatusBadRequest},
		{"a body over 10 MiB is refused", "big.jpg", "image/jpeg", append(jpegBytes(t), make([]byte, 10<<20)...), http.StatusRequestEntityTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := wantProblem(t, e.upload(t, co, tc.filename, tc.contentType, tc.data, nil), tc.status, "")
			if tc.status == http.StatusBadRequest && (len(p.Errors) == 0 || p.Errors[0].Field != "file") {
				t.Errorf("fields = %+v, want file", p.Errors)
			}
		})
	}
	entries, _ := os.ReadDir(e.mediaDir)
	for _, de := range entries {
		if !strings.HasPrefix(de.Name(), ".") {
			t.Errorf("a refused upload left %s behind", de.Name())
		}
	}
}

func TestUploadsAreStoredUnderGeneratedNamesWithoutMetadata(t *testing.T) {
	e := newEnv(t)
	co, au, ed := e.role[auth.RoleContributor], e.role[auth.RoleAuthor], e.role[auth.RoleEditor]

	t.Run("a path in the file name is ignored", func(t *testing.T) {
		w := e.upload(t, co, "../../x.jpg", "text/html", jpegBytes(t), nil)
		if w.Code != http.StatusCreated {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		m := decode[mediaBody](t, w)
		if m.FileName != m.ID+".jpg" || m.URL != "/media/"+m.FileName || m.ContentType != "image/jpeg" || m.Width != 4 || m.Height != 3 {
			t.Errorf("media = %+v", m)
		}
		if _, err := os.Stat(filepath.Join(e.mediaDir, m.FileName)); err != nil {
			t.Errorf("stored file: %v", err)
		}
		for _, p := range []string{filepath.Join(e.mediaDir, "..", "..", "x.jpg"), filepath.Join(e.mediaDir, "..", "x.jpg"), filepath.Join(e.mediaDir, "x.jpg")} {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("the client's name was used: %s exists", p)
			}
		}
	})
	t.Run("EXIF with GPS is removed from a JPEG", func(t *testing.T) {
		in := jpegWithExif(t)
		if !bytes.Contains(in, []byte(gpsMarker)) {
			t.Fatal("the test image lacks its GPS data")
		}
		w := e.upload(t, co, "gps.jpg", "image/jpeg", in, map[string]string{"credit": "© Ann Lee/Agency", "caption": "A street"})
		if w.Code != http.StatusCreated {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		m := decode[mediaBody](t, w)
		stored, err := os.ReadFile(filepath.Join(e.mediaDir, m.FileName))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(stored, []byte("Exif")) || bytes.Contains(stored, []byte(gpsMarker)) {
			t.Error("the stored JPEG still carries EXIF")
		}
		if _, err := jpeg.Decode(bytes.NewReader(stored)); err != nil {
			t.Errorf("the stored JPEG does not decode: %v", err)
		}
		if m.Credit != "© Ann Lee/Agency" || m.Caption != "A street" {
			t.Errorf("defaults = %q %q", m.Credit, m.Caption)
		}
	})
	t.Run("text chunks are removed from a PNG", func(t *testing.T) {
		w := e.upload(t, co, "note.png", "image/png", pngWithText(t), nil)
		if w.Code != http.StatusCreated {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		m := decode[mediaBody](t, w)
		stored, _ := os.ReadFile(filepath.Join(e.mediaDir, m.FileName))
		if bytes.Contains(stored, []byte("tEXt")) || bytes.Contains(stored, []byte(gpsMarker)) {
			t.Error("the stored PNG still carries its text chunk")
		}
		if _, err := png.Decode(bytes.NewReader(stored)); err != nil {
			t.Errorf("the stored PNG does not decode: %v", err)
		}
	})

	list := decode[struct{ Media []mediaBody }](t, e.do(t, au, "GET", "/media", nil))
	if len(list.Media) != 3 {
		t.Fatalf("media list = %d items, want 3", len(list.Media))
	}
	m := list.Media[0]

	t.Run("the uploader sets the default credit, others cannot", func(t *testing.T) {
		wantProblem(t, e.do(t, au, "PATCH", "/media/"+m.ID, map[string]string{"credit": "Mine"}), http.StatusForbidden, "")
		w := e.do(t, co, "PATCH", "/media/"+m.ID, map[string]string{"credit": " © Cora/Agency "})
		if got := decode[mediaBody](t, w); w.Code != 200 || got.Credit != "© Cora/Agency" {
			t.Errorf("%d %+v", w.Code, got)
		}
		wantProblem(t, e.do(t, co, "PATCH", "/media/"+m.ID, map[string]string{"credits": "x"}), http.StatusBadRequest, "credits")
	})
	t.Run("an image used by a story cannot be deleted", func(t *testing.T) {
		s := storyEdit("Street scene")
		s.Photos = []content.Photo{{MediaID: m.ID, URL: m.URL, Caption: "A street", Credit: "© Cora/Agency", Alt: "A street"}}
		a := e.create(t, co, s)
		wantProblem(t, e.do(t, co, "DELETE", "/media/"+m.ID, nil), http.StatusForbidden, "")
		p := wantProblem(t, e.do(t, ed, "DELETE", "/media/"+m.ID, nil), http.StatusConflict, "")
		if !strings.Contains(p.Detail, "Street scene") {
			t.Errorf("detail = %q, want the story named", p.Detail)
		}
		if w := e.do(t, ed, "DELETE", "/articles/"+a.ID, nil); w.Code != http.StatusNoContent {
			t.Fatalf("delete story: %d", w.Code)
		}
		if w := e.do(t, ed, "DELETE", "/media/"+m.ID, nil); w.Code != http.StatusNoContent {
			t.Fatalf("delete media: %d %s", w.Code, w.Body.String())
		}
		if _, err := os.Stat(filepath.Join(e.mediaDir, m.FileName)); !os.IsNotExist(err) {
			t.Errorf("the file stayed: %v", err)
		}
		wantProblem(t, e.do(t, ed, "GET", "/media/"+m.ID, nil), http.StatusNotFound, "")
	})
}

// orientedJPEG is a 48×32 JPEG whose stored top-left 16×16 block is red and
// top-right block blue, on white, with an APP1 Exif segment (in Intel byte
// order for odd orientations, Motorola for even ones) giving orientation o
// and carrying the GPS marker.
func orientedJPEG(tb testing.TB, o int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for y := range 32 {
		for x := range 48 {
			c := color.RGBA{255, 255, 255, 255}
			switch {
			case y < 16 && x < 16:
				c = color.RGBA{255, 0, 0, 255}
			case y < 16 && x >= 32:
				c = color.RGBA{0, 0, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		tb.Fatal(err)
	}
	var order binary.AppendByteOrder = binary.BigEndian
	tiff := []byte("MM\x00*\x00\x00\x00\x08")
	if o%2 == 1 {
		order = binary.LittleEndian
		tiff = []byte("II*\x00\x08\x00\x00\x00")
	}
	tiff = order.AppendUint16(tiff, 1)      // one entry in IFD0
	tiff = order.AppendUint16(tiff, 0x0112) // Orientation
	tiff = order.AppendUint16(tiff, 3)      // SHORT
	tiff = order.AppendUint32(tiff, 1)
	tiff = order.AppendUint16(tiff, uint16(o))
	tiff = append(tiff, 0, 0, 0, 0, 0, 0) // padding, then no next IFD
	payload := append(append([]byte("Exif\x00\x00"), tiff...), gpsMarker...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	j := buf.Bytes()
	out := append([]byte{}, j[:2]...)
	out = append(append(out, seg...), payload...)
	return append(out, j[2:]...)
}

func TestUploadedJPEGsAreTurnedUprightAsTheirExifSays(t *testing.T) {
	e := newEnv(t)
	co := e.role[auth.RoleContributor]
	// Where the red and blue blocks (stored top-left and top-right) are
	// seen in the upright image, as corners: t(op)/b(ottom), l(eft)/r(ight).
	cases := []struct {
		o         int
		name      string
		red, blue string
	}{
		{1, "as stored", "tl", "tr"},
		{2, "mirrored left to right", "tr", "tl"},
		{3, "turned 180°", "br", "bl"},
		{4, "mirrored top to bottom", "bl", "br"},
		{5, "mirrored along the main diagonal", "tl", "bl"},
		{6, "turned 90° clockwise", "tr", "br"},
		{7, "mirrored along the other diagonal", "br", "tr"},
		{8, "turned 90° counter-clockwise", "bl", "tl"},
	}
	for _, tc := range cases {
		t.Run("orientation "+strconv.Itoa(tc.o)+", "+tc.name, func(t *testing.T) {
			w := e.upload(t, co, "phone.jpg", "image/jpeg", orientedJPEG(t, tc.o), nil)
			if w.Code != http.StatusCreated {
				t.Fatalf("%d %s", w.Code, w.Body.String())
			}
			m := decode[mediaBody](t, w)
			wantW, wantH := 48, 32
			if tc.o >= 5 {
				wantW, wantH = 32, 48
			}
			if m.Width != wantW || m.Height != wantH {
				t.Errorf("media is %d×%d, want %d×%d", m.Width, m.Height, wantW, wantH)
			}
			stored, err := os.ReadFile(filepath.Join(e.mediaDir, m.FileName))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(stored, []byte("Exif")) || bytes.Contains(stored, []byte(gpsMarker)) {
				t.Error("the stored JPEG still carries EXIF")
			}
			img, err := jpeg.Decode(bytes.NewReader(stored))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
				t.Fatalf("stored image is %v, want %d×%d", b, wantW, wantH)
			}
			// The centre of the 16×16 block in each corner.
			corner := map[string]image.Point{"tl": {8, 8}, "tr": {wantW - 8, 8}, "bl": {8, wantH - 8}, "br": {wantW - 8, wantH - 8}}
			seen := func(p image.Point) string {
				r, g, b, _ := img.At(p.X, p.Y).RGBA()
				r, g, b = r>>8, g>>8, b>>8
				switch {
				case r > 200 && g < 60 && b < 60:
					return "red"
				case b > 200 && r < 60 && g < 60:
					return "blue"
				case r > 200 && g > 200 && b > 200:
					return "white"
				}
				return "unclear"
			}
			for name, p := range corner {
				want := "white"
				switch name {
				case tc.red:
					want = "red"
				case tc.blue:
					want = "blue"
				}
				if got := seen(p); got != want {
					t.Errorf("corner %s is %s, want %s", name, got, want)
				}
			}
		})
	}
}
