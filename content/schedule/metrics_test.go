package schedule_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dateline/content"
	"dateline/content/schedule"
)

func TestCollectorExposesScheduleHealth(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: at("2026-06-01T09:00:00Z")}
	db := open(t, filepath.Join(t.TempDir(), "d.db"), c)
	p1, p2 := at("2026-06-01T08:59:00Z"), at("2026-06-01T09:10:00Z")
	if _, err := db.Import(ctx, []content.Import{
		{Edit: edit("Done soon"), Status: content.StatusScheduled, PublishAt: &p1},
		{Edit: edit("Later"), Status: content.StatusScheduled, PublishAt: &p2},
	}, ""); err != nil {
		t.Fatal(err)
	}
	s := schedule.New(db, schedule.Options{Now: c.Now, Log: quiet()})
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(schedule.NewCollector(s)); err != nil {
		t.Fatal(err)
	}
	read := func() map[string]float64 {
		t.Helper()
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, mf := range mfs {
			m := mf.GetMetric()[0]
			switch {
			case m.Gauge != nil:
				got[mf.GetName()] = m.Gauge.GetValue()
			case m.Counter != nil:
				got[mf.GetName()] = m.Counter.GetValue()
			case m.Histogram != nil:
				got[mf.GetName()] = float64(m.Histogram.GetSampleCount())
			}
		}
		return got
	}
	before := read()
	if before["dateline_schedule_late"] != 1 || before["dateline_schedule_next_due_seconds"] != -60 || before["dateline_publish_lag_seconds"] != 0 {
		t.Errorf("before the sweep: %v", before)
	}
	if _, ok := before["dateline_schedule_failed_total"]; !ok {
		t.Errorf("no failed counter: %v", before)
	}
	s.Sweep(ctx)
	after := read()
	if after["dateline_schedule_late"] != 0 || after["dateline_schedule_next_due_seconds"] != 600 || after["dateline_publish_lag_seconds"] != 1 {
		t.Errorf("after the sweep: %v", after)
	}
	h, _ := s.Health(ctx)
	if h.LastPublishLag == nil || time.Duration(*h.LastPublishLag*float64(time.Second)) != time.Minute {
		t.Errorf("last lag = %v, want 60 s", h.LastPublishLag)
	}
}
