package rendition_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/mediafile"
	"dateline/content/photo"
	"dateline/content/rendition"
	"dateline/content/sqlite"
)

// env is a real, migrated SQLite file and media directory with a clock
// the test moves.
type env struct {
	db    *sqlite.DB
	dir   mediafile.Dir
	clock time.Time
	n     int // media items stored
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{dir: mediafile.Dir(t.TempDir()), clock: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"), sqlite.Options{Now: func() time.Time { return e.clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e.db = db
	return e
}

// spec is a small spec, so that tests run quickly under the race detector.
var spec = photo.Spec{Widths: []int{64, 160}, Crops: []photo.Ratio{{W: 1, H: 1}}, JPEGQuality: 80, WebPQuality: 75}

func (e *env) worker(files mediafile.Files) *rendition.Worker {
	return rendition.New(e.db, files, rendition.Options{Spec: spec, Now: func() time.Time { return e.clock },
		Backoff: time.Minute, MaxAttempts: 3, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// upload stores a w×h JPEG, white on the left and red on the right, as a
// media item.
func (e *env) upload(t *testing.T, w, h int) content.Media {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			if x >= w*2/3 {
				c = color.RGBA{220, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return e.store(t, buf.Bytes(), w, h)
}

func (e *env) store(t *testing.T, data []byte, w, h int) content.Media {
	t.Helper()
	e.n++
	id := fmt.Sprintf("0190f8a2-0000-7000-8000-%012d", e.n)
	name := id + ".jpg"
	if err := mediafile.WriteBytes(e.dir, name, data); err != nil {
		t.Fatal(err)
	}
	m, err := e.db.CreateMedia(context.Background(), content.Media{ID: id, FileName: name, ContentType: "image/jpeg", Width: w, Height: h, Size: int64(len(data))})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *env) files(t *testing.T) []string {
	t.Helper()
	des, err := os.ReadDir(string(e.dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

func TestAJobMakesEveryRenditionDurablyUnderContentNames(t *testing.T) {
	e := newEnv(t)
	m := e.upload(t, 300, 200)
	n, err := e.worker(e.dir).RunOnce(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("ran %d jobs: %v", n, err)
	}
	got, err := e.db.MediaItem(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	plan := spec.Plan(300, 200)
	if len(got.Renditions) != len(plan) || got.RenditionsPending {
		t.Fatalf("renditions %d (pending %v), want %d", len(got.Renditions), got.RenditionsPending, len(plan))
	}
	for _, r := range got.Renditions {
		b, err := os.ReadFile(filepath.Join(string(e.dir), r.FileName))
		if err != nil {
			t.Fatal(err)
		}
		f, ok := photo.Sniff(b)
		if !ok || f.ContentType() != r.ContentType || int64(len(b)) != r.Size {
			t.Errorf("%s: %s, %d bytes; recorded %s, %d bytes", r.FileName, f, len(b), r.ContentType, r.Size)
		}
		crop, _ := photo.ParseRatio(r.Crop)
		v := photo.Variant{Crop: crop, Width: r.Width, Height: r.Height, Format: f}
		if r.FileName != rendition.FileName(m.ID, v, b) {
			t.Errorf("%s is not named by its content", r.FileName)
		}
	}
	if got.ThumbnailURL == m.URL || !strings.HasSuffix(got.ThumbnailURL, ".webp") {
		t.Errorf("thumbnail = %s, want a WebP rendition", got.ThumbnailURL)
	}
	for _, name := range e.files(t) {
		if strings.HasPrefix(name, ".") {
			t.Errorf("a temporary file stayed: %s", name)
		}
	}
}

func TestAJobWhoseWorkerDiedIsDoneAgain(t *testing.T) {
	e := newEnv(t)
	m := e.upload(t, 200, 100)
	// A worker claims the job and dies: nothing else happens.
	if _, ok, err := e.db.ClaimRenditionJob(context.Background(), 10*time.Minute); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	w := e.worker(e.dir)
	if n, err := w.RunOnce(context.Background()); n != 0 || err != nil {
		t.Fatalf("a leased job was run again at once: %d %v", n, err)
	}
	e.clock = e.clock.Add(11 * time.Minute)
	if n, err := w.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("after the lease: ran %d, %v", n, err)
	}
	got, _ := e.db.MediaItem(context.Background(), m.ID)
	if len(got.Renditions) == 0 || got.RenditionsPending {
		t.Errorf("renditions %d, pending %v", len(got.Renditions), got.RenditionsPending)
	}
}

func TestANewFocalPointMakesTheCropsAgainAndRemovesTheOldFiles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	m := e.upload(t, 300, 100)
	w := e.worker(e.dir)
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := e.db.MediaItem(ctx, m.ID)
	right := content.Focus{X: 0.9, Y: 0.5}
	if _, err := e.db.UpdateMedia(ctx, m.ID, content.MediaUpdate{Focus: &right}); err != nil {
		t.Fatal(err)
	}
	if n, err := w.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("ran %d, %v", n, err)
	}
	after, _ := e.db.MediaItem(ctx, m.ID)
	changed := 0
	for i, r := range after.Renditions {
		old := before.Renditions[i]
		if r.Crop == "" && r.FileName != old.FileName {
			t.Errorf("the whole image changed with the focal point: %s → %s", old.FileName, r.FileName)
		}
		if r.Crop != "" && r.FileName != old.FileName {
			changed++
			if _, err := os.Stat(filepath.Join(string(e.dir), old.FileName)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the old crop %s stayed: %v", old.FileName, err)
			}
		}
	}
	if changed == 0 {
		t.Error("no crop changed with the focal point")
	}
	if got := len(e.files(t)); got != 1+len(after.Renditions) {
		t.Errorf("%d files in the media directory, want the original and %d renditions", got, len(after.Renditions))
	}
}

func TestAResultForAnOlderRequestIsNotStored(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	m := e.upload(t, 200, 100)
	job, _, err := e.db.ClaimRenditionJob(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	left := content.Focus{X: 0.1, Y: 0.5}
	if _, err := e.db.UpdateMedia(ctx, m.ID, content.MediaUpdate{Focus: &left}); err != nil {
		t.Fatal(err)
	}
	rs := []content.Rendition{{FileName: "stale-64x32.webp", ContentType: "image/webp", Width: 64, Height: 32, Size: 10}}
	unused, stored, err := e.db.FinishRenditions(ctx, job, spec.Key(), rs)
	if err != nil || stored || len(unused) != 1 || unused[0] != "stale-64x32.webp" {
		t.Errorf("finish of the older request: stored %v, unused %v, %v", stored, unused, err)
	}
	got, _ := e.db.MediaItem(ctx, m.ID)
	if len(got.Renditions) != 0 || !got.RenditionsPending {
		t.Errorf("renditions %d, pending %v; want none stored and the newer request queued", len(got.Renditions), got.RenditionsPending)
	}
}

// flakyFiles fails to open originals while fail is set.
type flakyFiles struct {
	mediafile.Dir
	fail bool
}

func (f *flakyFiles) Open(name string) (io.ReadCloser, error) {
	if f.fail {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("input/output error")}
	}
	return f.Dir.Open(name)
}

func TestFailedJobsAreRetriedThenGivenUp(t *testing.T) {
	t.Run("an error reading the original is retried after a backoff", func(t *testing.T) {
		e := newEnv(t)
		ctx := context.Background()
		m := e.upload(t, 100, 100)
		files := &flakyFiles{Dir: e.dir, fail: true}
		w := e.worker(files)
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("ran %d, %v", n, err)
		}
		if got, _ := e.db.MediaItem(ctx, m.ID); !got.RenditionsPending || got.RenditionsError != "" {
			t.Fatalf("after a failure: pending %v, error %q", got.RenditionsPending, got.RenditionsError)
		}
		files.fail = false
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Error("retried before the backoff")
		}
		e.clock = e.clock.Add(2 * time.Minute)
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("retry: %d %v", n, err)
		}
		if got, _ := e.db.MediaItem(ctx, m.ID); got.RenditionsPending || len(got.Renditions) == 0 {
			t.Errorf("after the retry: pending %v, %d renditions", got.RenditionsPending, len(got.Renditions))
		}
	})
	t.Run("an original that does not decode is given up at once and says why", func(t *testing.T) {
		e := newEnv(t)
		ctx := context.Background()
		m := e.store(t, []byte("\xFF\xD8\xFF\xE0 not a jpeg at all"), 10, 10)
		if n, err := e.worker(e.dir).RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("ran %d, %v", n, err)
		}
		got, _ := e.db.MediaItem(ctx, m.ID)
		if got.RenditionsPending || !strings.Contains(got.RenditionsError, "not a readable jpeg") {
			t.Errorf("pending %v, error %q", got.RenditionsPending, got.RenditionsError)
		}
	})
}

func TestQueueRenditionsQueuesOnlyWhatIsOutOfDate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.upload(t, 100, 100)
	e.upload(t, 100, 100)
	w := e.worker(e.dir)
	if n, _ := w.RunOnce(ctx); n != 2 {
		t.Fatalf("ran %d", n)
	}
	if n, err := e.db.QueueRenditions(ctx, w.Key(), false); n != 0 || err != nil {
		t.Errorf("queued %d under the same key: %v", n, err)
	}
	if n, err := e.db.QueueRenditions(ctx, "another spec", false); n != 2 || err != nil {
		t.Errorf("queued %d under another key: %v", n, err)
	}
	if n, err := e.db.QueueRenditions(ctx, "another spec", true); n != 0 || err != nil {
		t.Errorf("queued %d again while queued: %v", n, err)
	}
}
