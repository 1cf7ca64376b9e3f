package sqlite

import "time"

// Publication times are stored in whole seconds: a story's published_at,
// updated_at, created_at, deleted_at, publish_at and unpublish_at, its
// corrections' times and its events' times (migration 0013 brought older
// rows to the same precision). The delivery API shows them in RFC 3339
// without fractions, in UTC and with the dateline's offset; storing the
// second it shows keeps the two equal and keeps cursors, which carry a
// stored time, exact. Other stored times (sessions, locks, tokens,
// deliveries) keep microseconds.

// stamp returns t cut to the second, as stored: for instants that have
// happened (a publication, an edit, a correction, an event).
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// stampText formats stamp(t) for storage.
func stampText(t time.Time) string { return timeText(stamp(t)) }

// optStamp formats an optional past instant for storage, cut to the second.
func optStamp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := stampText(*t)
	return &s
}

// optDue formats an optional instant to come (publish_at, unpublish_at)
// for storage, rounded up to the second, so that nothing happens before
// the instant asked for.
func optDue(t *time.Time) *string {
	if t == nil {
		return nil
	}
	d := stamp(*t)
	if d.Before(t.UTC()) {
		d = d.Add(time.Second)
	}
	s := timeText(d)
	return &s
}
