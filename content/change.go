package content

import "time"

// ChangePlan is a workflow step as content decided it, for a story in
// state Stored: what the store writes in one transaction.
type ChangePlan struct {
	// From is the status the write must still find (and, with Due, the
	// story's time must have come): the conditional update that makes a
	// step happen once however many processes try it.
	From Status
	To   Status
	Due  bool
	// PublishAt and UnpublishAt are the story's schedule after the step.
	PublishAt, UnpublishAt *time.Time
	// Visible: readers see the step (the story enters or leaves the
	// published state), so it writes Event and changes the stored
	// public JSON of the stories that link to it.
	Visible bool
	// Event is the outbox event the step writes, or ""; First says a
	// publication is the story's first.
	Event string
	First bool
	// RevokePreviews: a withdrawal ends the story's preview links.
	RevokePreviews bool
	// PublishedAsOf is the past instant a first publication is dated
	// (StatusChange.PublishedAt), set by the user By; nil: the step's time.
	PublishedAsOf *time.Time
	By            string
	// FoldPending: the story leaves the live statuses, so its working
	// copy (at Stored.Pending) becomes its own editable state and version,
	// written like a save readers do not see, and is dropped.
	FoldPending bool
}

// PlanChange decides ch for a story stored as st whose editable state is
// edit (read only when ch publishes or schedules, to check readiness). The
// errors: a *LockedError when someone other than ch.By holds the story's
// live edit lock (a step by a user, ch.By set; the scheduler's steps have
// no By and are never blocked); ECONFLICT when the story's status does not
// allow the change; EINVALID when the change is not valid on its own or
// the story would be published or scheduled without what publishing needs.
//
// A change to published of a story that is published already (a new
// withdrawal time) is not visible and writes no event; publishing keeps
// the story's first publication time (the store sets it once). With
// ch.PublishedAt the first publication is dated that past instant (see
// CheckPublishedAsOf; ch.At is the step's time, zero: not checked here).
func PlanChange(st Stored, edit Edit, ch StatusChange) (ChangePlan, error) {
	if err := ch.Validate(); err != nil {
		return ChangePlan{}, err
	}
	if st.Lock != nil && ch.By != "" && st.Lock.UserID != ch.By {
		return ChangePlan{}, &LockedError{Lock: *st.Lock}
	}
	if !ch.Allows(st.Status) {
		return ChangePlan{}, Errorf(ECONFLICT, "a %s story cannot become %s", StatusLabel(st.Status), StatusLabel(ch.To))
	}
	if ch.To == StatusPublished || ch.To == StatusScheduled {
		if err := edit.ReadyToPublish(); err != nil {
			return ChangePlan{}, err
		}
	}
	p := ChangePlan{From: st.Status, To: ch.To, Due: ch.Due, PublishAt: st.PublishAt, UnpublishAt: st.UnpublishAt}
	switch ch.To {
	case StatusScheduled:
		p.PublishAt, p.UnpublishAt = ch.PublishAt, ch.UnpublishAt
	case StatusPublished:
		if ch.UnpublishAt != nil {
			p.UnpublishAt = ch.UnpublishAt
		}
	case StatusUnpublished:
		p.UnpublishAt = nil
		p.RevokePreviews = true
	default:
		p.PublishAt, p.UnpublishAt = nil, nil
	}
	if ch.PublishedAt != nil {
		if err := CheckPublishedAsOf(*ch.PublishedAt, ch.At, st.Published); err != nil {
			return ChangePlan{}, err
		}
		p.PublishedAsOf, p.By = ch.PublishedAt, ch.By
	}
	p.FoldPending = FoldsPending(st, ch.To)
	was, is := st.Status == StatusPublished, ch.To == StatusPublished
	p.Visible = was != is
	switch {
	case is && !was:
		p.Event, p.First = EventPublished, !st.Published
	case was && !is:
		p.Event = EventUnpublished
	}
	return p, nil
}
