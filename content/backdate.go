package content

import "time"

// CheckPublishedAsOf is the rule of publishing "as of" a past instant:
// asOf must not be after now (a future time is a schedule; a zero now is
// not checked), and a story that was ever published (published) keeps its
// first publication, since published_at is set once. It returns a
// validation error naming published_at, or a conflict.
func CheckPublishedAsOf(asOf, now time.Time, published bool) error {
	if !now.IsZero() && asOf.After(now) {
		var p Problems
		p.Add("published_at", "must not be in the future; schedule the story to publish it later")
		return p.Err()
	}
	if published {
		return Errorf(ECONFLICT, "the story was published before and keeps its first publication; only a story never published can be published as of a past time")
	}
	return nil
}
