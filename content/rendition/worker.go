// Package rendition makes the renditions of uploaded images in the
// background: a bounded pool of workers claims durable jobs from the store,
// decodes each original within the shared memory budget, makes every
// rendition the spec lists, writes each file durably under a name that
// holds a hash of its content, and hands them to the store, which records
// them and re-renders the stories that show the image in one transaction.
// A job whose worker dies is claimed again when its lease runs out. It is
// started from cmd with a cancellable context; New starts nothing.
package rendition

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dateline/content"
	"dateline/content/mediafile"
	"dateline/content/photo"
)

// Store is what the workers need from storage.
type Store interface {
	ClaimRenditionJob(ctx context.Context, lease time.Duration) (content.RenditionJob, bool, error)
	FinishRenditions(ctx context.Context, job content.RenditionJob, key string, rs []content.Rendition) (unused []string, stored bool, err error)
	FailRenditionJob(ctx context.Context, job content.RenditionJob, msg string, retry time.Time, final bool) error
	ReleaseRenditionJob(ctx context.Context, job content.RenditionJob) error
	NextRenditionJobAt(ctx context.Context) (time.Time, bool, error)
}

// Options configure a Worker. Zero fields take the defaults.
type Options struct {
	Spec        photo.Spec    // default photo.DefaultSpec()
	Budget      *photo.Budget // shared with uploads; default one of DefaultBudget
	Limits      photo.Limits
	Workers     int           // jobs run at once; default 1
	Lease       time.Duration // how long a claimed job is a worker's; default 10 min
	Poll        time.Duration // look for due jobs at least this often; default 30 s
	MaxAttempts int           // give up a job after this many failures; default 5
	Backoff     time.Duration // wait before the first retry, doubling; default 10 s
	Now         func() time.Time
	Log         *slog.Logger
}

// DefaultBudget is the memory budget of a Worker given none.
const DefaultBudget = 256 << 20

// Worker runs rendition jobs.
type Worker struct {
	store Store
	files mediafile.Files
	opt   Options
	key   string
	kick  chan struct{}
	count *prometheus.CounterVec
}

// New returns workers over store writing into files. It starts nothing:
// call Run, or RunOnce.
func New(store Store, files mediafile.Files, opt Options) *Worker {
	if opt.Spec.Widths == nil {
		opt.Spec = photo.DefaultSpec()
	}
	if opt.Budget == nil {
		opt.Budget = photo.NewBudget(DefaultBudget)
	}
	if opt.Workers <= 0 {
		opt.Workers = 1
	}
	if opt.Lease <= 0 {
		opt.Lease = 10 * time.Minute
	}
	if opt.Poll <= 0 {
		opt.Poll = 30 * time.Second
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 5
	}
	if opt.Backoff <= 0 {
		opt.Backoff = 10 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Worker{store: store, files: files, opt: opt, key: opt.Spec.Key(), kick: make(chan struct{}, 1),
		count: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_rendition_jobs_total",
			Help: "Rendition jobs by result: done, stale (asked for again meanwhile), retry or failed (given up).",
		}, []string{"result"})}
}

// Key is the key of the spec the workers make renditions under.
func (w *Worker) Key() string { return w.key }

// Collectors returns the workers' Prometheus collectors.
func (w *Worker) Collectors() []prometheus.Collector { return []prometheus.Collector{w.count} }

// Kick wakes the workers, e.g. after an upload queued a job; it never
// blocks.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run runs jobs until ctx is cancelled: at every kick, when a queued job
// falls due and at least every Poll; Workers jobs at a time. It returns
// once every job in progress has stopped.
func (w *Worker) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range w.opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx)
		}()
	}
	wg.Wait()
}

func (w *Worker) loop(ctx context.Context) {
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.opt.Log.Error("renditions", "err", err)
		}
		wait := w.opt.Poll
		if next, ok, err := w.store.NextRenditionJobAt(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(w.opt.Now()), 0)+10*time.Millisecond)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.kick:
			// Pass the wake-up on, so that another idle worker looks too.
			w.Kick()
		case <-t.C:
		}
		t.Stop()
	}
}

// RunOnce runs jobs one after another until none is due, and returns how
// many it finished. It stops at the first error of the store, or when ctx
// ends; a job's own failure is recorded on the job and does not stop it.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	done := 0
	for ctx.Err() == nil {
		job, ok, err := w.store.ClaimRenditionJob(ctx, w.opt.Lease)
		if err != nil {
			return done, fmt.Errorf("claim rendition job: %w", err)
		}
		if !ok {
			return done, nil
		}
		if err := w.run(ctx, job); err != nil {
			return done, err
		}
		done++
	}
	return done, ctx.Err()
}

// run makes one job's renditions and records the outcome. It returns an
// error only when the store cannot record it.
func (w *Worker) run(ctx context.Context, job content.RenditionJob) error {
	start := w.opt.Now()
	rs, err := w.make(ctx, job.Media)
	if err != nil {
		if ctx.Err() != nil {
			// Stopped, not failed: the next worker (after a restart, or a
			// backfill run again) takes the job at once.
			w.remove(rs, job.Media.Renditions)
			release, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := w.store.ReleaseRenditionJob(release, job); err != nil {
				w.opt.Log.Warn("release rendition job", "media", job.MediaID, "err", err)
			}
			return ctx.Err()
		}
		w.remove(rs, job.Media.Renditions)
		final := job.Attempts >= w.opt.MaxAttempts || content.ErrorCode(err) == content.EINVALID
		msg := content.ErrorMessage(err)
		if content.ErrorCode(err) == content.EINVALID {
			msg = err.Error()
		}
		retry := w.opt.Now().Add(w.opt.Backoff << min(job.Attempts-1, 10))
		w.opt.Log.Warn("renditions failed", "media", job.MediaID, "attempt", job.Attempts, "final", final, "err", err)
		if final {
			w.count.WithLabelValues("failed").Inc()
		} else {
			w.count.WithLabelValues("retry").Inc()
		}
		if err := w.store.FailRenditionJob(ctx, job, msg, retry, final); err != nil {
			return fmt.Errorf("record failed rendition job %s: %w", job.MediaID, err)
		}
		return nil
	}
	unused, stored, err := w.store.FinishRenditions(ctx, job, w.key, rs)
	if err != nil {
		w.remove(rs, job.Media.Renditions)
		return fmt.Errorf("store renditions of %s: %w", job.MediaID, err)
	}
	for _, name := range unused {
		if err := w.files.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			w.opt.Log.Warn("remove old rendition", "file", name, "err", err)
		}
	}
	if !stored {
		w.count.WithLabelValues("stale").Inc()
		return nil
	}
	w.count.WithLabelValues("done").Inc()
	w.opt.Log.Info("renditions made", "media", job.MediaID, "files", len(rs), "took", w.opt.Now().Sub(start).Round(time.Millisecond))
	return nil
}

// remove removes the files written for renditions that will not be
// recorded, but for those the item's stored renditions refer to: a name
// holds a hash of the content, so making the same file again writes the
// same name.
func (w *Worker) remove(rs, live []content.Rendition) {
	for _, r := range rs {
		if !slices.ContainsFunc(live, func(l content.Rendition) bool { return l.FileName == r.FileName }) {
			w.files.Remove(r.FileName)
		}
	}
}

// make decodes m's original within the budget and writes every rendition
// the spec lists, returning them in the spec's order. On error it returns
// the renditions written so far, for the caller to remove.
func (w *Worker) make(ctx context.Context, m content.Media) ([]content.Rendition, error) {
	f, err := w.files.Open(m.FileName)
	if err != nil {
		return nil, fmt.Errorf("open original %s: %w", m.FileName, err)
	}
	info, err := photo.Probe(f, w.opt.Limits)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("original %s: %w", m.FileName, err)
	}
	w0, h0 := info.Upright()
	// Uploads go first; an accepted image is made however much it needs:
	// at worst it takes the whole budget.
	release, err := w.opt.Budget.AcquireBackground(ctx, info.Cost+w.opt.Spec.BuildCost(w0, h0))
	if err != nil {
		return nil, err
	}
	defer release()
	if f, err = w.files.Open(m.FileName); err != nil {
		return nil, fmt.Errorf("open original %s: %w", m.FileName, err)
	}
	img, err := photo.Decode(f, info)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("original %s: %w", m.FileName, err)
	}
	focus := m.Focus
	if !focus.Valid() {
		focus = content.Centre
	}
	var rs []content.Rendition
	err = w.opt.Spec.Build(ctx, img, focus, func(v photo.Variant, data []byte) error {
		name := FileName(m.ID, v, data)
		if err := mediafile.WriteBytes(w.files, name, data); err != nil {
			return err
		}
		rs = append(rs, content.Rendition{FileName: name, URL: "/media/" + name, ContentType: v.Format.ContentType(),
			Width: v.Width, Height: v.Height, Size: int64(len(data)), Crop: v.Crop.String()})
		return nil
	})
	return rs, err
}

// FileName is the name of a rendition's file: a hash of the media id, the
// crop and the file's bytes, and its size, so that a new file (a new focal
// point, spec or encoder) always has a new name, no two renditions share a
// file, and a name can be served as immutable.
func FileName(mediaID string, v photo.Variant, data []byte) string {
	h := sha256.New()
	h.Write([]byte(mediaID + "\x00" + v.Crop.String() + "\x00"))
	h.Write(data)
	return fmt.Sprintf("%s-%dx%d%s", hex.EncodeToString(h.Sum(nil))[:24], v.Width, v.Height, v.Format.Ext())
}
