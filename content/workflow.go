package content

import (
	"slices"
	"strings"
	"time"
)

// Save is one save of an article's editable state.
type Save struct {
	Version int  // the version the edit is based on
	Edit    Edit // the whole editable state
	// Correction is an optional note for readers. It is attached only when
	// the save reaches readers: with Update on a live story, or on a story
	// that is not live (a withdrawn one keeps it for its republication).
	Correction string
	By         string // id of the saving user; "" for the system
	// Statuses, when set, makes the save apply only while the article is
	// in one of them (the status a permission was checked against);
	// otherwise it fails with ECONFLICT.
	Statuses []Status
	// Autosave marks a save the editor made by itself (not the user's Save
	// or a restore). Its revision may replace the previous autosave's (see
	// FoldAutosave); the version moves on all the same.
	Autosave bool
	// Update makes the save of a published or scheduled story the Update
	// itself (save and publish in one step, the working copy replaced and
	// dropped). Without it such a save goes to the story's working copy,
	// which readers never see (see WorkingCopy).
	Update bool
}

// StatusChange is one workflow step of an article.
type StatusChange struct {
	From        []Status   // the change applies only from these statuses
	To          Status     // the new status
	PublishAt   *time.Time // with To scheduled: when to publish (required)
	UnpublishAt *time.Time // with To scheduled or published: when to withdraw
	At          time.Time  // when the change happens; zero means now
	// PublishedAt, with To published, publishes the story "as of" this
	// past instant (archives, agency copy): its published_at and updated_at
	// become it instead of At. Only a story never published can be
	// backdated; see CheckPublishedAsOf.
	PublishedAt *time.Time
	// Due makes the change apply only once the article's publish_at (from
	// scheduled) or unpublish_at (from published) is at or before At: the
	// scheduler's claim.
	Due bool
	By  string
	// Reason, of a story sent back from review, is stored as its review
	// note (ReviewNote) in the same transaction; Transition.Plan checks it.
	Reason string
}

// Validate checks the change itself, independent of any article.
func (c StatusChange) Validate() error {
	var p Problems
	if !c.To.Valid() {
		p.Add("status", "unknown status %q", c.To)
	}
	if len(c.From) == 0 {
		p.Add("from", "at least one current status is required")
	}
	if c.To == StatusScheduled && c.PublishAt == nil {
		p.Add("publish_at", "is required to schedule a story")
	}
	if c.PublishedAt != nil && c.To != StatusPublished {
		p.Add("published_at", "only publishing sets published_at")
	}
	if c.PublishAt != nil && c.UnpublishAt != nil && !c.UnpublishAt.After(*c.PublishAt) {
		p.Add("unpublish_at", "must be after publish_at")
	}
	return p.Err()
}

// Allows reports whether the change applies to an article in status s.
func (c StatusChange) Allows(s Status) bool { return slices.Contains(c.From, s) }

// StatusLabel is the status in words for messages.
func StatusLabel(s Status) string {
	switch s {
	case StatusInReview:
		return "in-review"
	default:
		return string(s)
	}
}

// Event types of stories, written to the outbox and shown in the changes
// feed (ArticleEventTypes).
const (
	EventPublished   = "article.published"
	EventUpdated     = "article.updated"
	EventUnpublished = "article.unpublished"
)

// Event types of tags and authors, written to the outbox for webhooks (a
// CDN purging by Surrogate-Key, a static-site builder) but not shown in the
// changes feed, which lists stories. A tag or an author is public while a
// published story carries it; only a change of a public one is an event.
const (
	// EventTagUpdated: a public tag's name, slug or description changed,
	// or another tag was merged into it.
	EventTagUpdated = "tag.updated"
	// EventTagDeleted: a public tag was deleted or merged into another.
	EventTagDeleted = "tag.deleted"
	// EventAuthorUpdated: a public author's name or bio changed.
	EventAuthorUpdated = "author.updated"
)

// Revision is the editable state of an article as one save left it.
type Revision struct {
	ArticleID string    `json:"article_id"`
	Version   int       `json:"version"`
	Edit      Edit      `json:"state"`
	SavedBy   string    `json:"saved_by"`
	SavedAt   time.Time `json:"saved_at"`
	// Autosave says the revision holds the latest of one or more autosaves.
	Autosave bool `json:"autosave"`
	// PublishedAsOf is the past instant this revision was published as of
	// ("publish as of", backdating), by the user PublishedAsOfBy; nil for
	// a revision published at its time, or not published.
	PublishedAsOf   *time.Time `json:"published_as_of,omitempty"`
	PublishedAsOfBy string     `json:"published_as_of_by,omitempty"`
}

// Import is an article as a bulk load brings it: its editable state plus
// the workflow state and times it already has elsewhere.
type Import struct {
	Edit        Edit
	Status      Status     // default draft
	PublishAt   *time.Time // scheduled stories
	UnpublishAt *time.Time
	PublishedAt *time.Time // published and unpublished stories
	CreatedAt   *time.Time // default now
	// UpdatedAt is when the story last changed where it comes from;
	// default now. An imported archive keeps its own.
	UpdatedAt *time.Time
	// Corrections already shown to readers (published and unpublished
	// stories), each at or after PublishedAt; the store keeps them in order.
	Corrections []Correction
}

// Validate checks that the status and times fit together.
func (it *Import) Validate() error {
	var p Problems
	if it.Status == "" {
		it.Status = StatusDraft
	}
	if !it.Status.Valid() {
		p.Add("status", "unknown status %q", it.Status)
	}
	if it.Status == StatusScheduled && it.PublishAt == nil {
		p.Add("publish_at", "a scheduled story needs publish_at")
	}
	if (it.Status == StatusPublished || it.Status == StatusUnpublished) && it.PublishedAt == nil {
		p.Add("published_at", "a published story needs published_at")
	}
	if it.UpdatedAt != nil && it.PublishedAt != nil && it.UpdatedAt.Before(*it.PublishedAt) {
		p.Add("updated_at", "cannot come before published_at")
	}
	for _, c := range it.Corrections {
		switch {
		case it.PublishedAt == nil:
			p.Add("corrections", "only a story that has been published has corrections")
		case c.At.Before(*it.PublishedAt):
			p.Add("corrections", "a correction cannot come before publication")
		case strings.TrimSpace(c.Text) == "":
			p.Add("corrections", "a correction needs its text")
		default:
			for _, f := range ErrorFields(CheckCorrection(c.Text)) {
				p.Add("corrections", "%s", f.Message)
			}
		}
	}
	return p.Err()
}
