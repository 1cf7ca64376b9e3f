package content

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Paging limits for article lists.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Sort is the order of an article list. Every order is a keyset on
// (time, id) descending, so cursors never skip or repeat rows.
type Sort string

// The article list orders.
const (
	SortPublished Sort = "published" // published_at, newest first
	SortUpdated   Sort = "updated"   // updated_at, newest first
)

// ArticleFilter selects articles. Zero fields do not filter. Storage turns
// each field into a bound parameter; nothing here is SQL.
type ArticleFilter struct {
	ID   *string
	IDs  []string // any of them
	Slug *string

	Statuses []Status // any of them; empty means every status
	Tags     []string // tag slugs; any of them
	Author   string   // author slug
	Featured *bool
	Since    *time.Time // published at or after
	Until    *time.Time // published before
	// HeadlineContains keeps articles whose headline contains the text
	// (case-insensitive for ASCII); the admin list's simple search.
	HeadlineContains string
	// Deleted selects soft-deleted articles instead of live ones. Every
	// read without it sees live articles only.
	Deleted bool
	// Query is a full-text search over headline, standfirst and body (see
	// ParseQuery). A search lists published stories only, most relevant
	// first, then newest first; After must then carry a Rank.
	Query string

	Sort  Sort    // default SortPublished
	After *Cursor // keyset: rows strictly after this one
	Limit int     // 0 means DefaultLimit
	Full  bool    // load body, HTML, pages and corrections too
}

// Published reports whether the filter admits published articles only.
func (f ArticleFilter) Published() bool {
	return len(f.Statuses) == 1 && f.Statuses[0] == StatusPublished
}

// Cursor is a position in a keyset-paged list. Rank is set in search
// results only (relevance first): the keyset is then (Rank, Time, ID).
type Cursor struct {
	Time time.Time `json:"t"`
	ID   string    `json:"i"`
	Rank *int64    `json:"r,omitempty"`
}

// Encode returns the cursor as an opaque URL-safe string.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(struct {
		T int64  `json:"t"`
		I string `json:"i"`
		R *int64 `json:"r,omitempty"`
	}{c.Time.UnixMicro(), c.ID, c.Rank})
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses a string made by Cursor.Encode. Anything else is a
// validation error on field "cursor".
func DecodeCursor(s string) (Cursor, error) {
	bad := &Error{Code: EINVALID, Message: "invalid cursor", Fields: []FieldError{{Field: "cursor", Message: "is not a cursor this API issued"}}}
	if len(s) > 200 {
		return Cursor{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, bad
	}
	var v struct {
		T *int64  `json:"t"`
		I *string `json:"i"`
		R *int64  `json:"r"`
	}
	if err := json.Unmarshal(b, &v); err != nil || v.T == nil || v.I == nil || len(*v.I) > 64 {
		return Cursor{}, bad
	}
	return Cursor{Time: time.UnixMicro(*v.T).UTC(), ID: *v.I, Rank: v.R}, nil
}

// CheckLimit validates a requested page size.
func CheckLimit(n int) error {
	if n < 1 || n > MaxLimit {
		return &Error{Code: EINVALID, Message: "invalid limit", Fields: []FieldError{{Field: "limit", Message: fmt.Sprintf("must be between 1 and %d", MaxLimit)}}}
	}
	return nil
}

// TagFilter selects tags.
type TagFilter struct {
	Slug *string
	// Published keeps only tags with at least one published article; Count
	// is then the number of published articles.
	Published bool
}

// AuthorFilter selects authors: users credited on at least one published
// article. Zero fields do not filter.
type AuthorFilter struct {
	Slug *string
}

// CorrectionFilter selects entries of the public corrections log: the
// corrections of published articles, newest first (by time, then id).
type CorrectionFilter struct {
	After *Cursor // keyset: entries strictly after this one (CorrectionEntry.Cursor)
	Limit int     // 0 means DefaultLimit
}

// CorrectionID returns the id of the correction a corrections log cursor
// points at. A cursor of another list (a search rank, an id that is not a
// positive whole number) is a validation error on field "cursor".
func CorrectionID(c Cursor) (int64, error) {
	id, err := strconv.ParseInt(c.ID, 10, 64)
	if err != nil || id < 1 || c.Rank != nil {
		return 0, &Error{Code: EINVALID, Message: "invalid cursor", Fields: []FieldError{{Field: "cursor", Message: "belongs to another list: pass next_cursor back unchanged"}}}
	}
	return id, nil
}
