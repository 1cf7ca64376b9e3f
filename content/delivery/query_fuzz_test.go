package delivery

import (
	"errors"
	"net/url"
	"testing"

	"dateline/content"
)

// FuzzParseListQuery feeds arbitrary query strings to the list parser: it
// must never panic; what it accepts asks for published stories only with a
// limit in range and valid tag slugs; what it refuses is a validation error
// naming the fields at fault.
func FuzzParseListQuery(f *testing.F) {
	for _, s := range []string{
		"",
		"tag=harbour&limit=5",
		"tag=a,b&tag=c&featured=true&since=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00%2B03:00",
		"limit=0", "limit=101", "limit=ten", "limit=-1",
		"cursor=bm9wZQ", "cursor=eyJ0IjoxLCJpIjoiYSJ9",
		"status=draft", "tag=Not%20ok", "tag=,,,", "author=jane-roe", "author=%00",
		"featured=maybe", "since=yesterday",
		"tag=a&tag=b&tag=c&tag=d&tag=e&tag=f&tag=g&tag=h&tag=i&tag=j&tag=k&tag=l&tag=m&tag=n&tag=o&tag=p&tag=q&tag=r&tag=s&tag=t&tag=u",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		filter, err := parseListQuery(q)
		if err != nil {
			var e *content.Error
			if !errors.As(err, &e) || e.Code != content.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("parseListQuery(%q) = %v, want a validation error with fields", raw, err)
			}
			return
		}
		if !filter.Published() {
			t.Fatalf("parseListQuery(%q) admits statuses %v", raw, filter.Statuses)
		}
		if content.CheckLimit(filter.Limit) != nil {
			t.Fatalf("parseListQuery(%q) accepted limit %d", raw, filter.Limit)
		}
		if len(filter.Tags) > content.MaxTags {
			t.Fatalf("parseListQuery(%q) accepted %d tags", raw, len(filter.Tags))
		}
		for _, tag := range filter.Tags {
			if !content.ValidSlug(tag) {
				t.Fatalf("parseListQuery(%q) accepted tag %q", raw, tag)
			}
		}
	})
}
