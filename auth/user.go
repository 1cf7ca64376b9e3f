// Package auth owns Dateline's accounts: users and their roles, password
// hashing, access, refresh and preview tokens, API keys, login throttling,
// and the Authenticator that turns credentials into users. It imports
// nothing internal and no HTTP package: the Gin adapter beside it
// (authgin) takes credentials off requests.
package auth

import "time"

// Role is what a user may do in the newsroom. Roles are ordered: each one
// can do everything the one before it can.
type Role string

// The newsroom roles of DESIGN.md §3, lowest first.
const (
	RoleContributor Role = "contributor" // drafts and edits own drafts, submits for review
	RoleAuthor      Role = "author"      // also publishes and schedules own stories
	RoleEditor      Role = "editor"      // everything on every story, tags and media
	RoleAdmin       Role = "admin"       // also users, settings, webhooks, API keys
)

// Roles lists the roles, lowest first.
var Roles = []Role{RoleContributor, RoleAuthor, RoleEditor, RoleAdmin}

func (r Role) rank() int {
	for i, v := range Roles {
		if v == r {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r includes everything min may do.
func (r Role) AtLeast(min Role) bool { return r.Valid() && r.rank() >= min.rank() }

// User is an account. The zero User is nobody.
type User struct {
	ID           string
	Email        string
	Name         string
	Slug         string // public author profile
	Bio          string
	Role         Role
	Active       bool
	TokenVersion int // bumping it revokes every token of the user
	PasswordHash string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// UserUpdate changes some fields of a user; nil fields stay as they are.
// A change of role, active or password hash also bumps the user's token
// version, which revokes every token the user holds. Deactivation also
// revokes every API key of the user, for good: reactivating the user does
// not bring them back. A new password hash revokes them too unless
// KeepAPIKeys is set.
type UserUpdate struct {
	Name         *string
	Bio          *string
	Role         *Role
	Active       *bool
	PasswordHash *string
	// KeepAPIKeys keeps the user's API keys working through a password
	// change; without it the change revokes them.
	KeepAPIKeys bool
	// Check, if set, is called with the user's current state inside the
	// update's transaction; an error from it refuses the change.
	Check func(current User) error
}

// Profile limits, in characters.
const (
	MaxNameLength  = 100
	MaxBioLength   = 2000
	MaxEmailLength = 254
)
