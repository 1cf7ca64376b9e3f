package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dateline/content"
)

// Store is what the dispatcher needs from storage.
type Store interface {
	FanOutEvents(ctx context.Context, limit int) (int, error)
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]content.Delivery, error)
	FinishDelivery(ctx context.Context, id string, a content.Attempt) error
	NextDeliveryAt(ctx context.Context) (time.Time, bool, error)
}

// DefaultBackoff is the wait after the 1st, 2nd, … failed attempt; the
// last value repeats.
var DefaultBackoff = []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour}

// Options configure a Dispatcher. Zero fields take the defaults.
type Options struct {
	AllowPrivate bool             // allow private, loopback and link-local targets
	Timeout      time.Duration    // per attempt; default 10 s
	Client       *http.Client     // default NewClient(AllowPrivate, Timeout)
	Backoff      []time.Duration  // default DefaultBackoff
	MaxAttempts  int              // give up after this many; default 8
	Poll         time.Duration    // look for work at least this often; default 5 s
	Workers      int              // concurrent attempts; default 4
	Now          func() time.Time // default time.Now
	Log          *slog.Logger
	// Wake, if set, signals that events may have been written
	// (sqlite.DB.EventsWritten): the dispatcher looks for work.
	Wake <-chan struct{}
}

// Dispatcher sends pending deliveries. Deliveries are rows made from outbox
// events (FanOutEvents), so nothing is lost across restarts; a delivery is
// claimed with a lease before it is sent, so it may be sent again only if
// this process dies mid-attempt (at-least-once, with a stable webhook-id).
type Dispatcher struct {
	store Store
	opt   Options
	lease time.Duration
	kick  chan struct{}
	count *prometheus.CounterVec
}

// New returns a dispatcher over store. It starts nothing: call Run.
func New(store Store, opt Options) *Dispatcher {
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	if opt.Client == nil {
		opt.Client = NewClient(opt.AllowPrivate, opt.Timeout)
	}
	if len(opt.Backoff) == 0 {
		opt.Backoff = DefaultBackoff
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 8
	}
	if opt.Poll <= 0 {
		opt.Poll = 5 * time.Second
	}
	if opt.Workers <= 0 {
		opt.Workers = 4
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Dispatcher{
		store: store, opt: opt, lease: opt.Timeout + time.Minute,
		kick: make(chan struct{}, 1),
		count: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_webhook_deliveries_total",
			Help: "Webhook delivery attempts by result: delivered, retry, failed (gave up or refused) or gone (410, hook disabled).",
		}, []string{"result"}),
	}
}

// Kick wakes the dispatcher, e.g. after an event was written; it never
// blocks; Options.Wake does the same from the store.
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is cancelled: at every kick, when the next retry is
// due and at least every Poll.
func (d *Dispatcher) Run(ctx context.Context) {
	for {
		if err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.opt.Log.Error("webhook dispatch", "err", err)
		}
		wait := d.opt.Poll
		if next, ok, err := d.store.NextDeliveryAt(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(d.opt.Now()), 0))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-d.kick:
		case <-d.opt.Wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// RunOnce fans out new events and sends every delivery due now, returning
// when none is left due.
func (d *Dispatcher) RunOnce(ctx context.Context) error {
	for {
		n, err := d.store.FanOutEvents(ctx, 500)
		if err != nil {
			return fmt.Errorf("fan out events: %w", err)
		}
		if n < 500 {
			break
		}
	}
	for ctx.Err() == nil {
		batch, err := d.store.ClaimDeliveries(ctx, d.opt.Now(), d.lease, 4*d.opt.Workers)
		if err != nil {
			return fmt.Errorf("claim deliveries: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		var wg sync.WaitGroup
		sem := make(chan struct{}, d.opt.Workers)
		for _, dl := range batch {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				d.attempt(ctx, dl)
			}()
		}
		wg.Wait()
	}
	return ctx.Err()
}

// attempt sends dl once and records the outcome, even when ctx is
// cancelled meanwhile.
func (d *Dispatcher) attempt(ctx context.Context, dl content.Delivery) {
	code, err := d.send(ctx, dl)
	a := content.Attempt{At: d.opt.Now(), StatusCode: code}
	result := "delivered"
	switch {
	case err == nil && code >= 200 && code < 300:
		a.Delivered = true
	case code == http.StatusGone:
		a.Err, a.DisableHook, result = "410 Gone: the receiver asked to stop", true, "gone"
	case errors.Is(err, ErrPrivateTarget):
		a.Err, result = err.Error(), "failed"
	default:
		a.Err = fmt.Sprintf("HTTP %d", code)
		if err != nil {
			a.Err = err.Error()
		}
		if dl.Attempts < d.opt.MaxAttempts {
			wait := d.opt.Backoff[min(dl.Attempts, len(d.opt.Backoff))-1]
			retry := a.At.Add(wait)
			a.RetryAt, result = &retry, "retry"
		} else {
			result = "failed"
		}
	}
	d.count.WithLabelValues(result).Inc()
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := d.store.FinishDelivery(fctx, dl.ID, a); err != nil {
		d.opt.Log.Error("record webhook attempt", "delivery", dl.ID, "err", err)
	}
	if result != "delivered" && result != "retry" {
		d.opt.Log.Warn("webhook delivery given up", "delivery", dl.ID, "webhook", dl.WebhookID, "attempts", dl.Attempts, "err", a.Err)
	}
}

// send makes one attempt and returns the response status (0 for none).
func (d *Dispatcher) send(ctx context.Context, dl content.Delivery) (int, error) {
	body, err := Body(dl.Event)
	if err != nil {
		return 0, err
	}
	ts := d.opt.Now()
	sig, err := Sign(dl.Secret, dl.ID, ts, body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dl.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Dateline-Webhooks/1")
	req.Header.Set(HeaderID, dl.ID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set(HeaderSignature, sig)
	resp, err := d.opt.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// Body returns the JSON body of a delivery of ev:
// {"type", "timestamp", "data": {"id", "slug", …payload}}: a story's id
// and slug, or for a tag's or author's event their slug, with the payload
// (which for those carries "id" and "surrogate_keys"). It depends only
// on ev, so every attempt sends the same bytes.
func Body(ev content.Event) ([]byte, error) {
	data := map[string]any{}
	for k, v := range ev.Payload {
		data[k] = v
	}
	if ev.ArticleID != "" {
		data["id"] = ev.ArticleID
	}
	if ev.Slug != "" {
		data["slug"] = ev.Slug // a tag's or author's slug on their events
	}
	return json.Marshal(struct {
		Type      string         `json:"type"`
		Timestamp time.Time      `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}{ev.Type, ev.OccurredAt.UTC(), data})
}

// NewCollector returns the dispatcher's metrics for registration:
// dateline_webhook_deliveries_total{result}.
func NewCollector(d *Dispatcher) prometheus.Collector { return d.count }
