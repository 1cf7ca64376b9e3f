package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"dateline/content"
)

// cancelOnLine is a log writer that cancels a context once a line
// containing what has been written.
type cancelOnLine struct {
	what   string
	cancel context.CancelFunc
	mu     sync.Mutex
	buf    bytes.Buffer
}

func (w *cancelOnLine) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.what) {
		w.cancel()
	}
	return len(p), nil
}

// infoConfig writes a config file that logs at info level, so that the
// log shows every photo whose renditions were made.
func infoConfig(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cfg.yaml")
	if err := os.WriteFile(p, []byte("log_level: info\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMediaRenditionsBackfillsTheDemoAndPicksUpWhereItStopped(t *testing.T) {
	data := t.TempDir()
	env := envOf(map[string]string{"DATELINE_CONFIG": infoConfig(t),
		"DATELINE_RENDITION_WIDTHS": "96", "DATELINE_RENDITION_CROPS": "1:1"})
	ctx := context.Background()
	a, err := openApp(ctx, commonFlags{data: data}, env, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.seedDemo(ctx, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	photos, err := a.db.RenditionJobs(ctx)
	if err != nil || photos == 0 {
		t.Fatalf("the demo queued %d jobs: %v", photos, err)
	}
	a.db.Close()

	t.Run("a run stopped after its first photo leaves the rest queued", func(t *testing.T) {
		stopped, cancel := context.WithCancel(ctx)
		defer cancel()
		var out bytes.Buffer
		err := run(stopped, []string{"media", "renditions", "--data", data}, env, &out, &cancelOnLine{what: "renditions made", cancel: cancel})
		if !errors.Is(err, context.Canceled) || !strings.Contains(out.String(), "stopped after") {
			t.Fatalf("err %v, output %q", err, out.String())
		}
	})
	t.Run("the next run makes the rest and nothing twice", func(t *testing.T) {
		var out, logs bytes.Buffer
		if err := run(ctx, []string{"media", "renditions", "--data", data}, env, &out, &logs); err != nil {
			t.Fatalf("%v\n%s", err, logs.String())
		}
		if !strings.Contains(out.String(), "0 photos queued now") || strings.Contains(out.String(), "still queued") {
			t.Errorf("output %q", out.String())
		}
		made := strings.Count(logs.String(), "renditions made")
		if made == 0 || made >= photos {
			t.Errorf("the second run made %d photos of %d", made, photos)
		}
	})
	t.Run("every demo photo then has its renditions", func(t *testing.T) {
		b, err := openApp(ctx, commonFlags{data: data}, env, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		defer b.db.Close()
		ms, err := b.db.MediaItems(ctx, content.MediaFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			// 96 wide of the whole photo and of its square crop, in JPEG and WebP.
			if len(m.Renditions) != 4 || m.RenditionsPending {
				t.Errorf("%s: %d renditions, pending %v", m.FileName, len(m.Renditions), m.RenditionsPending)
			}
		}
	})
	t.Run("other widths queue every photo again", func(t *testing.T) {
		env := envOf(map[string]string{"DATELINE_CONFIG": infoConfig(t),
			"DATELINE_RENDITION_WIDTHS": "96,128", "DATELINE_RENDITION_CROPS": "1:1"})
		var out bytes.Buffer
		if err := run(ctx, []string{"media", "renditions", "--data", data}, env, &out, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		if want := "Renditions: " + strconv.Itoa(photos) + " photos queued now"; !strings.HasPrefix(out.String(), want) {
			t.Errorf("output %q, want it to start %q", out.String(), want)
		}
	})
	t.Run("a wrong subcommand is a usage error", func(t *testing.T) {
		err := run(ctx, []string{"media", "thumbnails", "--data", data}, env, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || exitCode(err) != 2 {
			t.Errorf("err %v, exit %d", err, exitCode(err))
		}
	})
}
