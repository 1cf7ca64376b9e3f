package content

import "time"

// RevisionMark is what the autosave rule needs to know of a story's
// current revision.
type RevisionMark struct {
	Autosave  bool      // it holds one or more autosaves
	By        string    // who saved it
	StartedAt time.Time // with Autosave: when the run's first autosave was made
	Sealed    bool      // readers saw its state, or a workflow step left it
	HeldUntil time.Time // a preview link names it until then; zero: none
}

// FoldAutosave reports whether save s, made at now, replaces the story's
// current revision cur instead of adding a revision. It does when s is an
// autosave readers do not see (visible is false: the story is not
// published) and cur is an autosave by the same user, neither sealed nor
// held by a preview link at now, whose run began less than window ago. A
// window of 0 folds nothing.
func FoldAutosave(cur RevisionMark, s Save, visible bool, now time.Time, window time.Duration) bool {
	return s.Autosave && !visible && window > 0 &&
		cur.Autosave && cur.By == s.By && !cur.Sealed &&
		!cur.HeldUntil.After(now) &&
		now.Sub(cur.StartedAt) < window
}
