package admin_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dateline/admin"
	"dateline/auth"
	"dateline/content"
	"dateline/content/photo"
)

// gifWithComment is a 6×4 GIF with a comment block holding a script.
func gifWithComment(tb testing.TB) []byte {
	tb.Helper()
	m := image.NewPaletted(image.Rect(0, 0, 6, 4), color.Palette{color.Black, color.White})
	var buf bytes.Buffer
	if err := gif.Encode(&buf, m, nil); err != nil {
		tb.Fatal(err)
	}
	b := buf.Bytes()
	comment := append([]byte{0x21, 0xFE, 30}, []byte("<script>alert(1)</script>.....")...)
	comment = append(comment, 0)
	i := 13 + 6 // header, screen and a global table of 2 colours
	return append(append(append([]byte{}, b[:i]...), comment...), b[i:]...)
}

// gifHugeFrame has a 1×1 screen and a frame declaring 60000×60000 pixels.
func gifHugeFrame() []byte {
	b := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00")
	d := []byte{0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B}
	binary.LittleEndian.PutUint16(d[5:], 60000)
	binary.LittleEndian.PutUint16(d[7:], 60000)
	return append(b, d...)
}

func TestUploadsAreReencodedFromPixelsWithinTheMemoryBudget(t *testing.T) {
	var kicks atomic.Int32
	e := newEnvWith(t, admin.Photos{Kick: func() { kicks.Add(1) }})
	co := e.role[auth.RoleContributor]

	t.Run("a GIF keeps its pixels and loses its comment, and queues renditions", func(t *testing.T) {
		w := e.upload(t, co, "anim.gif", "image/gif", gifWithComment(t), nil)
		if w.Code != http.StatusCreated {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		m := decode[struct {
			FileName          string `json:"file_name"`
			RenditionsPending bool   `json:"renditions_pending"`
			ThumbnailURL      string `json:"thumbnail_url"`
			URL               string `json:"url"`
		}](t, w)
		stored, err := os.ReadFile(filepath.Join(e.mediaDir, m.FileName))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(stored, []byte("<script")) || bytes.Contains(stored, []byte{0x21, 0xFE}) {
			t.Error("the stored GIF still has its comment")
		}
		if _, err := gif.Decode(bytes.NewReader(stored)); err != nil {
			t.Errorf("the stored GIF does not decode: %v", err)
		}
		if !m.RenditionsPending || m.ThumbnailURL != m.URL || kicks.Load() != 1 {
			t.Errorf("pending %v, thumbnail %q, kicks %d: want renditions queued, the original as thumbnail, the workers woken",
				m.RenditionsPending, m.ThumbnailURL, kicks.Load())
		}
	})
	t.Run("a GIF with a 1×1 screen and a 60000² frame is refused before decoding", func(t *testing.T) {
		p := wantProblem(t, e.upload(t, co, "huge.gif", "image/gif", gifHugeFrame(), nil), http.StatusBadRequest, "file")
		if !strings.Contains(p.Errors[0].Message, "outside its 1×1 screen") {
			t.Errorf("message %q", p.Errors[0].Message)
		}
	})
	spool, _ := os.ReadDir(filepath.Join(filepath.Dir(e.mediaDir), "spool"))
	if len(spool) != 0 {
		t.Errorf("uploads left in the spool: %v", spool)
	}
}

func TestAFullMemoryBudgetAnswers503WithRetryAfter(t *testing.T) {
	budget := photo.NewBudget(1 << 20)
	e := newEnvWith(t, admin.Photos{Budget: budget, Wait: 50 * time.Millisecond})
	co := e.role[auth.RoleContributor]
	release, err := budget.Acquire(context.Background(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	w := e.upload(t, co, "photo.jpg", "image/jpeg", jpegBytes(t), nil)
	p := wantProblem(t, w, http.StatusServiceUnavailable, "")
	if w.Header().Get("Retry-After") == "" || p.Code != content.EUNAVAILABLE || !strings.Contains(p.Detail, "processing other images") {
		t.Errorf("Retry-After %q, problem %+v", w.Header().Get("Retry-After"), p)
	}
	release()
	if w := e.upload(t, co, "photo.jpg", "image/jpeg", jpegBytes(t), nil); w.Code != http.StatusCreated {
		t.Errorf("after the budget emptied: %d %s", w.Code, w.Body)
	}
	t.Run("an image needing more than the whole budget is refused saying so", func(t *testing.T) {
		big := pngHeader(2000, 2000) // 16 MB of RGBA
		p := wantProblem(t, e.upload(t, co, "big.png", "image/png", big, nil), http.StatusBadRequest, "file")
		if !strings.Contains(p.Errors[0].Message, "memory") {
			t.Errorf("message %q", p.Errors[0].Message)
		}
	})
}

func TestTheFocalPointIsSetAndQueuesTheCrops(t *testing.T) {
	var kicks atomic.Int32
	e := newEnvWith(t, admin.Photos{Kick: func() { kicks.Add(1) }})
	co, ed := e.role[auth.RoleContributor], e.role[auth.RoleEditor]
	m := decode[mediaBody](t, e.upload(t, co, "photo.jpg", "image/jpeg", jpegBytes(t), nil))
	// The upload's job is done (by hand here): the focal point then queues
	// a new one.
	job, ok, err := e.db.ClaimRenditionJob(context.Background(), time.Minute)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if _, _, err := e.db.FinishRenditions(context.Background(), job, "k", nil); err != nil {
		t.Fatal(err)
	}
	kicks.Store(0)
	cases := []struct {
		name    string
		body    string
		status  int
		field   string
		pending bool
	}{
		{"a point outside the photo is refused naming the field", `{"focal_point":{"x":1.5,"y":0.2}}`, http.StatusBadRequest, "focal_point", false},
		{"a point given as text is refused", `{"focal_point":{"x":"left","y":0.2}}`, http.StatusBadRequest, "focal_point.x", false},
		{"a new point is stored and queues the crops", `{"focal_point":{"x":0.25,"y":0.75}}`, http.StatusOK, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := e.do(t, ed, "PATCH", "/media/"+m.ID, tc.body)
			if tc.status != http.StatusOK {
				wantProblem(t, w, tc.status, tc.field)
				return
			}
			got := decode[struct {
				Focus             content.Focus `json:"focal_point"`
				RenditionsPending bool          `json:"renditions_pending"`
			}](t, w)
			if w.Code != http.StatusOK || got.Focus != (content.Focus{X: 0.25, Y: 0.75}) || got.RenditionsPending != tc.pending || kicks.Load() != 1 {
				t.Errorf("%d %+v, kicks %d", w.Code, got, kicks.Load())
			}
		})
	}
	t.Run("the stories that use it are listed", func(t *testing.T) {
		s := storyEdit("Quay at dusk")
		s.Photos = []content.Photo{{MediaID: m.ID, URL: m.URL, Caption: "Quay", Credit: "© Cora/Agency", Alt: "The quay"}}
		a := e.create(t, co, s)
		got := decode[struct {
			Uses []content.MediaUse `json:"uses"`
		}](t, e.do(t, co, "GET", "/media/"+m.ID+"/uses", nil))
		if len(got.Uses) != 1 || got.Uses[0].ArticleID != a.ID || got.Uses[0].Headline != "Quay at dusk" {
			t.Errorf("uses = %+v", got.Uses)
		}
	})
}

func TestDeletingAPhotoRemovesItsRenditions(t *testing.T) {
	e := newEnv(t)
	ed := e.role[auth.RoleEditor]
	m := decode[mediaBody](t, e.upload(t, ed, "photo.jpg", "image/jpeg", jpegBytes(t), nil))
	job, _, err := e.db.ClaimRenditionJob(context.Background(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	r := content.Rendition{FileName: "aa11-4x3.webp", URL: "/media/aa11-4x3.webp", ContentType: "image/webp", Width: 4, Height: 3, Size: 3}
	if err := os.WriteFile(filepath.Join(e.mediaDir, r.FileName), []byte("RIF"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.db.FinishRenditions(context.Background(), job, "k", []content.Rendition{r}); err != nil {
		t.Fatal(err)
	}
	if w := e.do(t, ed, "DELETE", "/media/"+m.ID, nil); w.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	for _, name := range []string{m.FileName, r.FileName} {
		if _, err := os.Stat(filepath.Join(e.mediaDir, name)); !os.IsNotExist(err) {
			t.Errorf("%s stayed: %v", name, err)
		}
	}
}
