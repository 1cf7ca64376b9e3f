package content

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// LockTTL is how long an edit lock lives without a heartbeat. An editor's
// page sends a heartbeat well within it (every 30 seconds or so).
const LockTTL = 2 * time.Minute

// EditLock says who is editing a story. A lock whose last heartbeat is older
// than LockTTL has expired and no longer counts.
type EditLock struct {
	ArticleID   string    `json:"article_id"`
	UserID      string    `json:"user_id"`
	UserName    string    `json:"user_name"`
	AcquiredAt  time.Time `json:"acquired_at"`
	HeartbeatAt time.Time `json:"heartbeat_at"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// LockedError is returned when someone else holds a live edit lock on the
// story being saved or locked. It carries the lock so that callers can show
// who is editing, and it unwraps to an *Error of code ECONFLICT.
type LockedError struct{ Lock EditLock }

func (e *LockedError) Error() string { return e.Unwrap().Error() }

// Unwrap returns the conflict the lock causes.
func (e *LockedError) Unwrap() error {
	name := e.Lock.UserName
	if name == "" {
		name = "someone else"
	}
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("%s is editing this story (since %s)", name, e.Lock.AcquiredAt.UTC().Format(time.RFC3339))}
}

// Media is one uploaded image, stored under a generated file name in the
// media directory and served at URL.
type Media struct {
	ID          string    `json:"id"`
	FileName    string    `json:"file_name"` // generated; never the client's name
	URL         string    `json:"url"`       // /media/<file_name>
	ContentType string    `json:"content_type"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Size        int64     `json:"size"`
	Caption     string    `json:"caption"` // defaults for photos that use it
	Credit      string    `json:"credit"`
	Alt         string    `json:"alt"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
	// Focus is the focal point crops are centred on.
	Focus Focus `json:"focal_point"`
	// Renditions are the ones made so far; ThumbnailURL is the one to show
	// at thumbnail size (the original while there are none).
	Renditions   []Rendition `json:"renditions"`
	ThumbnailURL string      `json:"thumbnail_url"`
	// RenditionsPending says renditions are queued to be made (again);
	// RenditionsError says why the last attempt failed for good.
	RenditionsPending bool   `json:"renditions_pending"`
	RenditionsError   string `json:"renditions_error,omitempty"`
}

// MediaUpdate changes the default caption, credit and alt text and the
// focal point of a media item; nil fields stay as they are. A new focal
// point queues the item's renditions to be made again.
type MediaUpdate struct {
	Caption *string `json:"caption"`
	Credit  *string `json:"credit"`
	Alt     *string `json:"alt"`
	Focus   *Focus  `json:"focal_point"`
}

// Validate normalizes and checks the update.
func (u *MediaUpdate) Validate() error {
	var p Problems
	if u.Caption != nil {
		*u.Caption = multiline(*u.Caption)
		checkLen(&p, "caption", *u.Caption, MaxCaption)
		checkText(&p, "caption", *u.Caption, true)
	}
	if u.Credit != nil {
		*u.Credit = line(*u.Credit)
		checkLen(&p, "credit", *u.Credit, MaxCredit)
		checkText(&p, "credit", *u.Credit, false)
	}
	if u.Alt != nil {
		*u.Alt = line(*u.Alt)
		checkLen(&p, "alt", *u.Alt, MaxAlt)
		checkText(&p, "alt", *u.Alt, false)
	}
	if u.Focus != nil && !u.Focus.Valid() {
		p.Add("focal_point", "x and y must be between 0 and 1")
	}
	return p.Err()
}

// MediaFilter selects media items, newest first.
type MediaFilter struct {
	ID    *string
	After *Cursor // keyset on (created_at, id)
	Limit int     // 0 means DefaultLimit
	// Query, if not empty, keeps the items whose caption, credit or file
	// name contains it, ignoring case (ASCII letters).
	Query string
}

// TagEdit creates or changes a tag. On a change an empty Slug follows the
// (new) name; nil fields of a change stay as they are.
type TagEdit struct {
	Name        *string `json:"name"`
	Slug        *string `json:"slug"`
	Description *string `json:"description"`
}

// MaxTagDescription limits a tag's description.
const MaxTagDescription = 1000

// Normalize trims the fields and validates them; required says whether the
// name must be present (on create).
func (t *TagEdit) Normalize(required bool) error {
	var p Problems
	if t.Name != nil {
		*t.Name = NormalizeTagName(*t.Name)
	}
	switch {
	case t.Name == nil && required, t.Name != nil && *t.Name == "":
		p.Add("name", "is required")
	case t.Name != nil:
		checkLen(&p, "name", *t.Name, MaxTagName)
		checkText(&p, "name", *t.Name, false)
		if Slugify(*t.Name) == "" {
			p.Add("name", "needs at least one letter or digit")
		}
	}
	if t.Slug != nil {
		*t.Slug = line(*t.Slug)
		if *t.Slug != "" && !ValidSlug(*t.Slug) {
			p.Add("slug", "may contain only lowercase letters, digits and single hyphens")
		}
	}
	if t.Description != nil {
		*t.Description = multiline(*t.Description)
		checkLen(&p, "description", *t.Description, MaxTagDescription)
		checkText(&p, "description", *t.Description, true)
	}
	return p.Err()
}

// checkLen refuses a field longer than max characters.
func checkLen(p *Problems, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		p.Add(field, "must be at most %d characters", max)
	}
}
