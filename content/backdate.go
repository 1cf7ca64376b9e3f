package content

import "time"

// CheckPublishedAsOf is the rule of publishing "as of" a past instant:
// asOf must not be after now (a future time is a schedule), and a story
// that was ever published keeps its first publication (published is its
// published_at, nil when never published), since published_at is set
// once. It returns a validation error naming published_at, or a conflict.
func CheckPublishedAsOf(asOf, now time.Time, published *time.Time) error {
	if asOf.After(now) {
		var p Problems
		p.Add("published_at", "must not be in the future; schedule the story to publish it later")
		return p.Err()
	}
	if published != nil {
		return Errorf(ECONFLICT, "the story was first published at %s and keeps that date; only a story never published can be published as of a past time",
			published.UTC().Format(time.RFC3339))
	}
	return nil
}
