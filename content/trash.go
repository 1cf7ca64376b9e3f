package content

import (
	"fmt"
	"time"
)

// The Trash: deleting a story moves it there (a soft delete, see
// DeleteArticle in the stores); from there an editor restores it or
// purges it for good, and stories older than the newsroom's trash_days
// are purged on their own.

// DefaultTrashDays is how long a deleted story stays in the Trash before it
// is purged, unless the config says otherwise.
const DefaultTrashDays = 30

// MaxTrashDays bounds trash_days: ten years.
const MaxTrashDays = 3650

// TrashedStory is a deleted story as the Trash lists it.
type TrashedStory struct {
	ID          string     `json:"id"`
	Slug        string     `json:"slug"`
	Headline    string     `json:"headline"`
	Status      Status     `json:"status"` // its status when it was deleted
	PublishedAt *time.Time `json:"published_at,omitempty"`
	DeletedAt   time.Time  `json:"deleted_at"`
	DeletedBy   string     `json:"deleted_by"`      // the user's id; "" for the system
	DeletedName string     `json:"deleted_by_name"` // their name, "" when unknown
	// PurgeAt is when the automatic purge removes it; zero when nothing
	// is purged automatically.
	PurgeAt time.Time `json:"purge_at,omitzero"`
}

// TrashFilter selects deleted stories, most recently deleted first.
type TrashFilter struct {
	ID *string
	// After continues the list, most recently deleted first, after the
	// story it names by its deletion time and id (a page's last).
	After *Cursor
	Limit int // 0 means DefaultLimit
}

// RestorePlan is what restoring a deleted story does: the status it comes
// back in and whether its working copy becomes its own editable state.
type RestorePlan struct {
	From, To Status
	// FoldPending: the story comes back not live, so the unpublished
	// changes of its working copy become its editable state (nothing
	// saved is lost, and readers see none of it).
	FoldPending bool
}

// PlanRestore decides how story st, deleted, comes back from the Trash.
// A restore never shows a story to readers: what was live (published, or
// scheduled after a first publication) comes back withdrawn
// (unpublished), to be republished on purpose with its first publication
// date; a story scheduled but never published comes back a draft (its
// schedule was cleared when it was deleted); drafts, stories in review
// and withdrawn stories keep their status. Nothing is refused here:
// whether the story is in the Trash at all is the store's to say
// (ENOTFOUND).
func PlanRestore(st Stored) RestorePlan {
	p := RestorePlan{From: st.Status, To: st.Status}
	switch st.Status {
	case StatusPublished:
		p.To = StatusUnpublished
	case StatusScheduled:
		p.To = StatusDraft
		if st.Published {
			p.To = StatusUnpublished
		}
	}
	p.FoldPending = FoldsPending(st, p.To)
	return p
}

// PurgeBefore returns the deletion time before which stories are purged at
// now when the Trash keeps them for days days, and false when days is 0
// (nothing is purged automatically).
func PurgeBefore(now time.Time, days int) (time.Time, bool) {
	if days <= 0 {
		return time.Time{}, false
	}
	return now.Add(-time.Duration(days) * 24 * time.Hour), true
}

// PurgeAt returns when a story deleted at deletedAt is purged
// automatically, or the zero time when days is 0.
func PurgeAt(deletedAt time.Time, days int) time.Time {
	if days <= 0 {
		return time.Time{}
	}
	return deletedAt.Add(time.Duration(days) * 24 * time.Hour)
}

// CheckTrashDays validates the trash_days setting: a whole number of days
// from 0 (keep deleted stories until purged by hand) to MaxTrashDays.
func CheckTrashDays(days int) error {
	if days < 0 || days > MaxTrashDays {
		return fmt.Errorf("trash_days must be a whole number between 0 (never purge automatically) and %d", MaxTrashDays)
	}
	return nil
}
