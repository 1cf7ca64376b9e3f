package content

import (
	"slices"
	"time"
)

// Prepared is a save checked on its own, before any story is read: the
// edit normalized and valid, the correction valid, the body rendered. It
// is the part of a save that costs CPU, done outside any transaction.
type Prepared struct {
	Save     Save
	Edit     Edit // s.Edit normalized
	Rendered Rendered
}

// PrepareSave normalizes and validates s on its own (zone is the
// newsroom's, the default dateline zone) and renders its body. It fails
// with a validation *Error naming every field at fault.
func PrepareSave(s Save, zone string) (Prepared, error) {
	e := s.Edit
	e.Normalize(zone)
	if err := e.Validate(); err != nil {
		return Prepared{}, err
	}
	if err := CheckCorrection(s.Correction); err != nil {
		return Prepared{}, err
	}
	return Prepared{Save: s, Edit: e, Rendered: Render(e.Body)}, nil
}

// Stored is what a store knows of a story before a write, enough to decide
// the write.
type Stored struct {
	Status Status
	// Version is the version the story is at.
	Version int
	Slug    string
	// Published says the story was published at least once (published_at
	// is set), whatever its status now.
	Published bool
	// Lock is the live edit lock on the story, or nil.
	Lock *EditLock
	// PublishAt and UnpublishAt are the story's schedule, nil where unset.
	PublishAt, UnpublishAt *time.Time
	// Pending is the version of the story's working copy, 0 when it has
	// none (see WorkingCopy).
	Pending int
	// Latest is the highest version any save of the story reached (its
	// last revision's), which a discarded working copy may leave above
	// Version; 0 when unknown.
	Latest int
}

// next returns the version the story's next save gets: past every version
// it ever had, so that a discarded working copy's versions are never given
// again and a tab still editing one gets a conflict.
func (st Stored) next() int { return max(st.Editing(), st.Latest) + 1 }

// Editing returns the version a save of the story must name: its working
// copy's where it has one, else the story's own.
func (st Stored) Editing() int {
	if st.Pending > 0 {
		return st.Pending
	}
	return st.Version
}

// Live reports whether the story is published or scheduled: readers see
// it, or will at its time, so its saves go to its working copy.
func (st Stored) Live() bool {
	return st.Status == StatusPublished || st.Status == StatusScheduled
}

// SavePlan is a save as content decided it: what the store writes, in one
// transaction, for a save of a story that was in state Stored.
type SavePlan struct {
	Edit     Edit // normalized; Slug is the slug asked for (the current one if none was)
	Rendered Rendered
	// Version is the story's new version; the write must still find the
	// story (or, with Pending, its working copy) at Version-1.
	Version int
	// Pending: the save goes to the story's working copy (the story is
	// live and the save is not an Update); the story's own row, its slug,
	// relations, indexes and public JSON stay as they are. Nothing else of
	// the plan but Edit, Version, Autosave and By applies.
	Pending bool
	// DropPending: the save is an Update that replaces the working copy
	// the story had; the store deletes it.
	DropPending bool
	// SlugChanged: the store picks a unique slug from Edit.Slug (or the
	// headline) for the story, and, if KeepOldSlug, keeps the old one as a
	// redirect.
	SlugChanged, KeepOldSlug bool
	// Correction is a note for readers to append, or "".
	Correction string
	// Visible: readers see this save (it is of a published story), so it
	// writes Event (which moves the content generation) and its revision is sealed.
	Visible bool
	// Event is the outbox event the save writes (EventUpdated), or "".
	Event    string
	Autosave bool
	By       string
}

// PlanSave decides a prepared save p of a story stored as st. The errors:
//   - a *LockedError when someone else holds the story's live edit lock;
//   - ECONFLICT when the story left the statuses the save was allowed in
//     (p.Save.Statuses), or a *StaleVersion (which unwraps to ECONFLICT)
//     when it is no longer at the version the save edited: the store adds
//     who saved the newer one;
//   - EINVALID when a published or scheduled story would lose what
//     publishing needs (credits, alt texts) on an Update, or a correction
//     comes with a story that was never published or with a save of a
//     working copy (a correction is attached only on Update).
//
// A save of a published or scheduled story goes to its working copy unless
// it is an Update (Save.Update): readers see nothing of it, it writes no
// event, needs no readiness (Update checks it) and moves no slug. The
// version it names is the working copy's where the story has one.
func PlanSave(st Stored, p Prepared) (SavePlan, error) {
	s := p.Save
	if st.Lock != nil && s.By != "" && st.Lock.UserID != s.By {
		return SavePlan{}, &LockedError{Lock: *st.Lock}
	}
	if len(s.Statuses) > 0 && !slices.Contains(s.Statuses, st.Status) {
		return SavePlan{}, Errorf(ECONFLICT, "the story became %s while you were editing; reload it", StatusLabel(st.Status))
	}
	if st.Editing() != s.Version {
		return SavePlan{}, &StaleVersion{Edited: s.Version, Current: st.Editing(), Editor: s.By}
	}
	if st.Live() && !s.Update {
		if s.Correction != "" {
			var pr Problems
			pr.Add("correction", "is attached when the changes are published with Update, not on a save of the working copy")
			return SavePlan{}, pr.Err()
		}
		plan := SavePlan{Edit: p.Edit, Rendered: p.Rendered, Version: st.next(), Pending: true, Autosave: s.Autosave, By: s.By}
		if plan.Edit.Slug == "" {
			plan.Edit.Slug = st.Slug
		}
		return plan, nil
	}
	if st.Live() {
		if err := p.Edit.ReadyToPublish(); err != nil {
			return SavePlan{}, err
		}
	}
	if s.Correction != "" && !st.Published {
		var pr Problems
		pr.Add("correction", "only a story that has been published can carry a correction")
		return SavePlan{}, pr.Err()
	}
	plan := SavePlan{Edit: p.Edit, Rendered: p.Rendered, Version: st.next(), Correction: s.Correction,
		Visible: st.Status == StatusPublished, Autosave: s.Autosave, By: s.By, DropPending: st.Pending > 0}
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
