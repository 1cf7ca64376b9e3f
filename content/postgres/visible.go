package postgres

import "time"

// public is the condition under which the article row aliased alias is
// one readers see: published and not deleted.
func public(alias string) string {
	return alias + ".status = 'published' AND " + alias + ".deleted_at IS NULL"
}

// stamp is how story times are stored: UTC, to the second, as
// content/sqlite stores them.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// optStamp is stamp of an optional instant.
func optStamp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	s := stamp(*t)
	return &s
}

// optDue is an optional instant to come (publish_at, unpublish_at) as
// stored: rounded up to the second, so that nothing happens before the
// instant asked for.
func optDue(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := stamp(*t)
	if d.Before(t.UTC()) {
		d = d.Add(time.Second)
	}
	return &d
}
