package content

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// ImportedStory is one story an import file brings, mapped from its format
// into Dateline's model: the Import (editable state, status and times) plus
// what the store resolves against the newsroom (authors, old slugs).
type ImportedStory struct {
	// SourceID identifies the story in its source (a WordPress post id, a
	// Ghost post id, a Dateline article id). Within one source it is what a
	// re-import matches on.
	SourceID string
	// ID, when set, is the article id to keep (a Dateline export); a store
	// uses it only while no other article has it.
	ID string
	Import
	// Authors are resolved to users by the store and credited in order;
	// Import.Edit.AuthorIDs is ignored.
	Authors []ImportAuthor
	// OldSlugs become redirects to the story (old permalinks), unless
	// another story holds them.
	OldSlugs []string
	// Revisions are earlier states of the story (a Dateline export with
	// revisions), oldest first; the store keeps them below the current one.
	Revisions []Revision
	// HeldForCredit says the source had the story published or scheduled
	// but a photo lacks a credit or alt text: see HoldForCredit.
	HeldForCredit bool
}

// ImportAuthor is an author as an import file names them.
type ImportAuthor struct {
	// Key identifies the author in the source (a WordPress login, a Ghost
	// user id, a Dateline author slug); a re-import matches on it.
	Key   string
	ID    string // a user id to keep (a Dateline export), while free
	Slug  string // an author slug to keep, while free
	Email string // matched against existing users; may be empty
	Name  string
	Bio   string
}

// ImportOptions say how an import treats the newsroom.
type ImportOptions struct {
	// Source names where the stories come from ("wxr:https://example.org",
	// "ghost", "dateline"); source ids are unique within it.
	Source string
	// Update lets a re-import overwrite stories edited in Dateline since
	// they were imported. Without it they are kept.
	Update bool
	// DryRun decides and validates everything and writes nothing.
	DryRun bool
	// By is the id of the importing user; "" for the system.
	By string
}

// ImportAction is what an import did, or would do, with one story.
type ImportAction string

// The outcomes of one story of an import.
const (
	ImportCreated   ImportAction = "created"   // new in the newsroom
	ImportUpdated   ImportAction = "updated"   // an earlier import's story, replaced from the source
	ImportUnchanged ImportAction = "unchanged" // an earlier import brought exactly this
	ImportKept      ImportAction = "kept"      // edited or deleted in Dateline since; not overwritten
	ImportFailed    ImportAction = "failed"    // refused; Err says why
)

// ImportResult is the outcome of one story.
type ImportResult struct {
	SourceID  string
	ArticleID string // the story in the newsroom; "" when none was made
	Action    ImportAction
	Reason    string // why it was kept
	// NeedsCredit says the story waits, unpublished, for a photo credit
	// or alt text (HoldForCredit).
	NeedsCredit bool
	Err         error // with ImportFailed
}

// ImportMark is what a store remembers of a story an earlier import made.
type ImportMark struct {
	ArticleID      string
	Fingerprint    string // of the story as that import brought it
	Version        int    // the article's version that import left
	CurrentVersion int    // the article's version now
	Deleted        bool   // deleted in Dateline since
}

// DecideReimport says what an import does with a story whose source id an
// earlier import already brought (mark; nil: never imported). A story
// that is new is created; one whose mapped state has the fingerprint the
// earlier import stored is unchanged (so a re-run resumes where a broken
// one stopped); one deleted in Dateline is kept deleted; one edited in
// Dateline since it was imported is kept unless update; anything else is
// updated from the source.
func DecideReimport(mark *ImportMark, fingerprint string, update bool) (ImportAction, string) {
	switch {
	case mark == nil:
		return ImportCreated, ""
	case mark.Deleted:
		return ImportKept, "deleted in Dateline since it was imported"
	case mark.Fingerprint == fingerprint:
		return ImportUnchanged, ""
	case mark.CurrentVersion != mark.Version && !update:
		return ImportKept, "edited in Dateline since it was imported; --update overwrites it"
	default:
		return ImportUpdated, ""
	}
}

// HoldForCredit applies the photo-credit rule to an imported story: a
// story cannot be published or scheduled while a photo lacks a credit or
// alt text, and an import never drops a photo nor invents a credit. Such a
// story that the source had published or scheduled comes in as a draft,
// keeping its published_at (publishing it once credited keeps the original
// date), and HeldForCredit is set so the newsroom sees it needs a credit.
// Stories that are ready, or not meant to be public, are left as they are.
func (s *ImportedStory) HoldForCredit() {
	if s.Status != StatusPublished && s.Status != StatusScheduled {
		return
	}
	if s.Edit.ReadyToPublish() == nil {
		return
	}
	s.Status = StatusDraft
	s.PublishAt, s.UnpublishAt = nil, nil
	s.HeldForCredit = true
}

// NeedsCredit reports whether a photo of the edit lacks a credit or alt
// text, which publishing requires.
func (e *Edit) NeedsCredit() bool { return e.ReadyToPublish() != nil }

// Fingerprint is a digest of everything the story would store: two mapped
// stories with the same fingerprint import to the same state.
func (s *ImportedStory) Fingerprint() string {
	type times struct {
		PublishAt, UnpublishAt, PublishedAt, CreatedAt, UpdatedAt *time.Time
	}
	b, err := json.Marshal(struct {
		ID          string
		Edit        Edit
		Status      Status
		Times       times
		Corrections []Correction
		Authors     []ImportAuthor
		OldSlugs    []string
		Revisions   int
	}{s.ID, s.Edit, s.Status, times{s.PublishAt, s.UnpublishAt, s.PublishedAt, s.CreatedAt, s.UpdatedAt},
		s.Corrections, s.Authors, s.OldSlugs, len(s.Revisions)})
	if err != nil { // not reached: every field encodes
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
