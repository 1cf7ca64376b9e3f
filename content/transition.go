package content

import (
	"slices"
	"time"
)

// Transition is one workflow step of DESIGN.md §3: the action that names
// it, the statuses it applies from, the status it leads to, and why other
// statuses are refused.
type Transition struct {
	Action Action
	From   []Status
	To     Status
	Needs  string // why other statuses are refused, for the conflict message
}

// Transitions returns the workflow steps. Approving publishes at once;
// scheduling also moves a scheduled story to a new time.
func Transitions() []Transition {
	const (
		draft       = StatusDraft
		inReview    = StatusInReview
		scheduled   = StatusScheduled
		published   = StatusPublished
		unpublished = StatusUnpublished
	)
	return []Transition{
		{ActSubmit, []Status{draft}, inReview, "only a draft can be submitted for review"},
		{ActApprove, []Status{inReview}, published, "only a story in review can be approved"},
		{ActReject, []Status{inReview}, draft, "only a story in review can be rejected"},
		{ActSchedule, []Status{draft, inReview, scheduled, unpublished}, scheduled, "a published story is already out; withdraw it first"},
		{ActPublish, []Status{draft, inReview, scheduled, unpublished}, published, "the story is already published"},
		{ActUnschedule, []Status{scheduled}, draft, "only a scheduled story can be unscheduled"},
		{ActWithdraw, []Status{published}, unpublished, "only a published story can be withdrawn"},
		{ActRepublish, []Status{unpublished}, published, "only a withdrawn (unpublished) story can be republished"},
	}
}

// Step is what a user asks of a workflow step besides the story: the times
// it names (nil: none) and, optionally, the version of the story they saw.
type Step struct {
	PublishAt   *time.Time
	UnpublishAt *time.Time
	// PublishedAt publishes the story "as of" this past instant
	// (StatusChange.PublishedAt); Permit's ActBackdate says who may.
	PublishedAt *time.Time
	Version     *int
	// Reason is why a story is sent back from review (ActReject only),
	// for its author; StatusChange.Reason carries it to the store.
	Reason string
}

// Plan decides the step on story a at now: the status change to apply, or
// why not. Permission is Permit's, checked before. The errors:
//   - EINVALID naming publish_at or unpublish_at when the times do not fit
//     the step (scheduling needs a future publish_at; publishing now takes
//     none; only scheduling and publishing take an unpublish_at, in the
//     future and after publish_at);
//   - EINVALID naming published_at when a publication "as of" a past
//     time is asked of a step that does not publish, or names the future;
//   - EINVALID naming reason when a step other than reject gives one, or
//     it is too long or holds control characters;
//   - ECONFLICT when the story has moved on from the version seen, or its
//     status does not allow the step (the message says why), or it was
//     published before and so keeps its first publication.
//
// The change applies only from the step's statuses, so a story that moves
// on between this decision and its write makes the write fail instead.
func (tr Transition) Plan(a *Article, s Step, by string, now time.Time) (StatusChange, error) {
	ch := StatusChange{From: tr.From, To: tr.To, PublishAt: utc(s.PublishAt), UnpublishAt: utc(s.UnpublishAt),
		PublishedAt: utc(s.PublishedAt), By: by}
	var p Problems
	ch.Reason = checkReason(&p, tr.Action, s.Reason)
	if ch.PublishedAt != nil && tr.To != StatusPublished {
		p.Add("published_at", "is not used to %s a story; only publishing takes a past publication time", tr.Action)
	}
	switch tr.Action {
	case ActSchedule:
		if ch.PublishAt == nil {
			p.Add("publish_at", "is required to schedule a story")
		} else if !ch.PublishAt.After(now) {
			p.Add("publish_at", "must be in the future")
		}
	case ActPublish, ActApprove, ActRepublish:
		if ch.PublishAt != nil {
			p.Add("publish_at", "is not used when publishing now; schedule the story instead")
		}
	default:
		if ch.PublishAt != nil {
			p.Add("publish_at", "is not used to %s a story", tr.Action)
		}
		if ch.UnpublishAt != nil {
			p.Add("unpublish_at", "is not used to %s a story", tr.Action)
		}
	}
	if ch.UnpublishAt != nil && !ch.UnpublishAt.After(now) {
		p.Add("unpublish_at", "must be in the future")
	}
	if err := p.Err(); err != nil {
		return ch, err
	}
	if err := ch.Validate(); err != nil {
		return ch, err
	}
	if s.Version != nil && *s.Version != a.Version {
		return ch, Errorf(ECONFLICT, "the story has changed since you saw it: you saw version %d, the current version is %d", *s.Version, a.Version)
	}
	if !slices.Contains(tr.From, a.Status) {
		return ch, Errorf(ECONFLICT, "cannot %s a %s story: %s", tr.Action, StatusLabel(a.Status), tr.Needs)
	}
	if ch.PublishedAt != nil {
		if err := CheckPublishedAsOf(*ch.PublishedAt, now, a.PublishedAt != nil); err != nil {
			return ch, err
		}
	}
	return ch, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
