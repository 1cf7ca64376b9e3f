package schedule

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// collector exposes the scheduler's health as Prometheus metrics.
type collector struct {
	s       *Scheduler
	nextDue *prometheus.Desc
	late    *prometheus.Desc
}

// NewCollector returns the scheduler's metrics for registration:
// dateline_schedule_next_due_seconds (seconds until the next due item,
// negative when it is overdue; absent when nothing is scheduled),
// dateline_schedule_late (items due longer than the grace period ago, up to
// 100), dateline_schedule_failed_total and the dateline_publish_lag_seconds
// histogram.
func NewCollector(s *Scheduler) prometheus.Collector {
	return &collector{
		s: s,
		nextDue: prometheus.NewDesc("dateline_schedule_next_due_seconds",
			"Seconds until the next scheduled publication or withdrawal; negative when overdue.", nil, nil),
		late: prometheus.NewDesc("dateline_schedule_late",
			"Scheduled items due longer than the grace period ago and not yet carried out (at most 100).", nil, nil),
	}
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.nextDue
	ch <- c.late
	c.s.lag.Describe(ch)
	c.s.failedMetric.Describe(ch)
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if h, err := c.s.Health(ctx); err == nil {
		if h.NextDue != nil {
			ch <- prometheus.MustNewConstMetric(c.nextDue, prometheus.GaugeValue, h.NextDue.Sub(h.Now).Seconds())
		}
		ch <- prometheus.MustNewConstMetric(c.late, prometheus.GaugeValue, float64(len(h.Late)))
	} else {
		c.s.opt.Log.Warn("schedule metrics", "err", err)
	}
	c.s.lag.Collect(ch)
	c.s.failedMetric.Collect(ch)
}
