package content

import (
	"slices"
	"time"
)

// WorkingCopy is the pending version of a live (published or scheduled)
// story: the saves and autosaves made since it was last updated, which
// readers never see. Update publishes it, Discard drops it. A story has at
// most one; its version continues the story's (every save moves it on),
// and its revisions are the story's revisions.
type WorkingCopy struct {
	ArticleID string    `json:"article_id"`
	Edit      Edit      `json:"edit"`
	Version   int       `json:"version"`      // the version a save, Update or Discard must name
	Base      int       `json:"base_version"` // the story's (live) version when the copy was started
	SavedBy   string    `json:"saved_by"`
	SavedAt   time.Time `json:"saved_at"`
	// PublishAt is a scheduled update: the scheduler publishes the working
	// copy, as it stands then, at this instant, with UpdateCorrection;
	// UpdateBy scheduled it. nil: no update is scheduled.
	PublishAt        *time.Time `json:"publish_at"`
	UpdateCorrection string     `json:"update_correction,omitempty"`
	UpdateBy         string     `json:"update_by,omitempty"`
	// SubmittedBy is the contributor who submitted the changes for review
	// and SubmittedAt when; "" and nil while they are not submitted.
	SubmittedBy string     `json:"submitted_by,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at"`
}

// Update asks to publish a story's working copy. The admin app's Update
// button, the admin API's POST /articles/:id/update and the scheduler's
// scheduled update all come here.
type Update struct {
	// Version is the working copy version the user saw; it must still be
	// the current one. The scheduler (Due) names none.
	Version int
	// Correction is an optional note for readers attached with this
	// update (only to a story that has been published).
	Correction string
	// PublishAt schedules the update for this future instant instead of
	// publishing now (published stories only).
	PublishAt *time.Time
	By        string
	// At is when the update happens (zero: the store's now).
	At time.Time
	// Due is the scheduler's claim: the update applies only if the working
	// copy's scheduled time has come at At, and publishes it as it stands.
	Due bool
}

// UpdatePlan is an Update as content decided it: what the store writes in
// one transaction.
type UpdatePlan struct {
	// Schedule: the update is only scheduled (PublishAt, with Correction,
	// stored on the working copy); nothing else of the plan applies.
	Schedule  bool
	PublishAt *time.Time
	// Edit is the working copy's editable state, which becomes the
	// story's; Rendered is its body rendered.
	Edit     Edit
	Rendered Rendered
	// Version is the working copy's version, which the story takes (its
	// revision exists and is sealed); Pending is the version the working
	// copy must still be at (the same, or for a due update whatever it is).
	Version int
	// SlugChanged: the story's slug changes to Edit.Slug (made unique by
	// the store); KeepOldSlug: the old one stays as a redirect.
	SlugChanged, KeepOldSlug bool
	Correction               string
	// UpdatedAt is the story's new updated_at: the update's own time (a
	// scheduled update's claim time), whatever the working copy's saves
	// were; published_at stays.
	UpdatedAt time.Time
	// Visible: readers see the update (the story is published): it moves
	// the content version, rewrites the stored public JSON and writes
	// Event (EventUpdated). Updating a scheduled story changes what it
	// will publish, which readers do not see yet.
	Visible bool
	Event   string
	By      string
}

// PlanUpdate decides u for a story stored as st whose working copy is wc
// (nil: it has none), at the instant now. The errors:
//   - ECONFLICT when the story is not published or scheduled, has no
//     working copy, or the working copy is not at u.Version (a
//     *StaleVersion); for a due update, when no update is scheduled or its
//     time has not come;
//   - a *LockedError when someone else holds the story's live edit lock;
//   - EINVALID when the working copy lacks what publishing needs, the
//     correction is not valid or comes with a story never published, or
//     publish_at is not in the future or is asked of a scheduled story
//     (its changes go out with it).
func PlanUpdate(st Stored, wc *WorkingCopy, u Update, now time.Time) (UpdatePlan, error) {
	if !st.Live() {
		return UpdatePlan{}, Errorf(ECONFLICT, "only a published or scheduled story has changes to update; this story is %s", StatusLabel(st.Status))
	}
	if wc == nil {
		return UpdatePlan{}, Errorf(ECONFLICT, "the story has no unpublished changes to update")
	}
	if u.Due {
		if wc.PublishAt == nil || wc.PublishAt.After(now) {
			return UpdatePlan{}, Errorf(ECONFLICT, "the story's update is not due")
		}
		u.Correction, u.By, u.PublishAt = wc.UpdateCorrection, wc.UpdateBy, nil
	} else {
		if st.Lock != nil && u.By != "" && st.Lock.UserID != u.By {
			return UpdatePlan{}, &LockedError{Lock: *st.Lock}
		}
		if u.Version != wc.Version {
			return UpdatePlan{}, &StaleVersion{Edited: u.Version, Current: wc.Version, Editor: u.By}
		}
	}
	var p Problems
	if err := CheckCorrection(u.Correction); err != nil {
		return UpdatePlan{}, err
	}
	if u.Correction != "" && !st.Published {
		p.Add("correction", "only a story that has been published can carry a correction")
	}
	if u.PublishAt != nil {
		switch {
		case st.Status == StatusScheduled:
			p.Add("publish_at", "is not used to update a scheduled story: its changes go out with it; update it now")
		case !u.PublishAt.After(now):
			p.Add("publish_at", "must be in the future")
		}
	}
	if err := p.Err(); err != nil {
		return UpdatePlan{}, err
	}
	e := wc.Edit // normalized when it was saved
	if err := e.ReadyToPublish(); err != nil {
		return UpdatePlan{}, err
	}
	if u.PublishAt != nil {
		at := u.PublishAt.UTC()
		return UpdatePlan{Schedule: true, PublishAt: &at, Correction: u.Correction, Version: wc.Version, By: u.By}, nil
	}
	plan := UpdatePlan{Edit: e, Rendered: Render(e.Body), Version: wc.Version, Correction: u.Correction,
		UpdatedAt: now, Visible: st.Status == StatusPublished, By: u.By}
	if plan.Edit.Slug == "" {
		plan.Edit.Slug = st.Slug
	}
	plan.SlugChanged = plan.Edit.Slug != st.Slug
	plan.KeepOldSlug = plan.SlugChanged && st.Published
	if plan.Visible {
		plan.Event = EventUpdated
	}
	return plan, nil
}

// Discard asks to drop a story's working copy.
type Discard struct {
	Version int // the working copy version the user saw
	By      string
	// OnlyOwn: the user may drop only changes they saved themselves (a
	// contributor's own suggestions; see Permit's ActDiscard).
	OnlyOwn bool
}

// DiscardPlan is a Discard as content decided it. The story keeps its
// version, so readers see nothing of it; every tab still editing the
// dropped copy gets a conflict, since the story is edited at its own
// version again, and the next save of it gets a version past the dropped
// copy's (Stored.Latest).
type DiscardPlan struct {
	Dropped int // the working copy's version
	By      string
}

// PlanDiscard decides d for a story stored as st whose working copy is wc
// (nil: none). The errors: ECONFLICT when there is no working copy or it is
// not at d.Version (a *StaleVersion); a *LockedError when someone else holds
// the story's live edit lock; EFORBIDDEN when d.OnlyOwn and someone else
// saved the working copy last.
func PlanDiscard(st Stored, wc *WorkingCopy, d Discard) (DiscardPlan, error) {
	if wc == nil {
		return DiscardPlan{}, Errorf(ECONFLICT, "the story has no unpublished changes to discard")
	}
	if st.Lock != nil && d.By != "" && st.Lock.UserID != d.By {
		return DiscardPlan{}, &LockedError{Lock: *st.Lock}
	}
	if d.Version != wc.Version {
		return DiscardPlan{}, &StaleVersion{Edited: d.Version, Current: wc.Version, Editor: d.By}
	}
	if d.OnlyOwn && wc.SavedBy != d.By {
		return DiscardPlan{}, Errorf(EFORBIDDEN, "someone else saved these changes; only an author or editor can discard them")
	}
	return DiscardPlan{Dropped: wc.Version, By: d.By}, nil
}

// CheckSubmitChanges decides whether by may submit the working copy wc (nil:
// none) for review at version, with lock the story's live edit lock (nil:
// none): a *LockedError when someone else holds it; ECONFLICT when there is
// no working copy, it is stale, or it is submitted already.
func CheckSubmitChanges(wc *WorkingCopy, lock *EditLock, version int, by string) error {
	if lock != nil && by != "" && lock.UserID != by {
		return &LockedError{Lock: *lock}
	}
	if wc == nil {
		return Errorf(ECONFLICT, "the story has no unpublished changes to submit")
	}
	if version != wc.Version {
		return &StaleVersion{Edited: version, Current: wc.Version, Editor: by}
	}
	if wc.SubmittedBy != "" {
		return Errorf(ECONFLICT, "these changes are already submitted for review")
	}
	return nil
}

// FoldsPending reports whether a workflow step to status to makes the
// story's working copy its own editable state: the story stops being live
// (unscheduled, withdrawn), so readers would not see the copy anyway, and
// nothing saved is lost.
func FoldsPending(st Stored, to Status) bool {
	return st.Pending > 0 && !slices.Contains([]Status{StatusPublished, StatusScheduled}, to)
}

// CheckCancelUpdate decides whether by may cancel the scheduled update of
// working copy wc (nil: none) at version, with lock the story's live edit
// lock (nil: none): a *LockedError when someone else holds it; ECONFLICT
// when there is no working copy, it is stale, or no update is scheduled.
// The changes stay.
func CheckCancelUpdate(wc *WorkingCopy, lock *EditLock, version int, by string) error {
	if lock != nil && by != "" && lock.UserID != by {
		return &LockedError{Lock: *lock}
	}
	if wc == nil {
		return Errorf(ECONFLICT, "the story has no unpublished changes")
	}
	if version != wc.Version {
		return &StaleVersion{Edited: version, Current: wc.Version, Editor: by}
	}
	if wc.PublishAt == nil {
		return Errorf(ECONFLICT, "no update of the story is scheduled")
	}
	return nil
}
