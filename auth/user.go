// Package auth owns Dateline's accounts: users and their roles, password
// hashing, access, refresh and preview tokens, API keys, login throttling,
// and the Authenticator that turns credentials into users. It imports only
// the domain package content (for the newsroom roles) and no HTTP package:
// the Gin adapter beside it (authgin) takes credentials off requests.
package auth

import (
	"time"

	"dateline/content"
)

// Role is the user's newsroom role; the rules of what each may do to a
// story are content's (content.Permit). The names below are content's.
type Role = content.Role

// The newsroom roles, lowest first (content.Roles).
const (
	RoleContributor = content.RoleContributor
	RoleAuthor      = content.RoleAuthor
	RoleEditor      = content.RoleEditor
	RoleAdmin       = content.RoleAdmin
)

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
