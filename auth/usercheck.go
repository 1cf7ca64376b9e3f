package auth

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"dateline/content"
)

// The checks of what people type about users and keys, shared by every
// store, so that each refuses the same names, emails and bios with the same
// messages.

// CheckNewUser checks the email, name, bio and role of a user to be
// created, as a store's CreateUser does before it writes (surrounding
// white space does not count): an EINVALID error naming every field at
// fault, or nil. It reads no database, so a command can check what it was
// given before it opens or creates one.
func CheckNewUser(u User) error {
	var p content.Problems
	CheckEmail(&p, strings.TrimSpace(u.Email))
	CheckProfile(&p, strings.TrimSpace(u.Name), strings.TrimSpace(u.Bio))
	if !u.Role.Valid() {
		p.Add("role", "must be one of contributor, author, editor, admin")
	}
	return p.Err()
}

// CheckEmail adds to p what is wrong with email: missing, too long, or not
// a plain address.
func CheckEmail(p *content.Problems, email string) {
	a, err := mail.ParseAddress(email)
	switch {
	case email == "":
		p.Add("email", "is required")
	case len(email) > MaxEmailLength:
		p.Add("email", "must be at most %d characters", MaxEmailLength)
	case err != nil || a.Address != email || a.Name != "":
		p.Add("email", "must be a plain address such as name@example.org")
	}
}

// CheckProfile adds to p what is wrong with a user's name (required, one
// line) and bio (optional, several lines).
func CheckProfile(p *content.Problems, name, bio string) {
	if name == "" {
		p.Add("name", "is required")
	} else if utf8.RuneCountInString(name) > MaxNameLength {
		p.Add("name", "must be at most %d characters", MaxNameLength)
	}
	CheckText(p, "name", name, false)
	if utf8.RuneCountInString(bio) > MaxBioLength {
		p.Add("bio", "must be at most %d characters", MaxBioLength)
	}
	CheckText(p, "bio", bio, true)
}

// CheckText adds to p, under field, that s is invalid UTF-8 or holds
// control characters (newlines and tabs only where multiline) or bidi
// override and isolate characters.
func CheckText(p *content.Problems, field, s string, multiline bool) {
	if !utf8.ValidString(s) {
		p.Add(field, "must be valid UTF-8 text")
		return
	}
	for _, r := range s {
		switch {
		case (r == '\n' || r == '\t') && multiline:
		case (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069'):
			p.Add(field, "must not contain bidirectional override characters")
			return
		case unicode.IsControl(r):
			p.Add(field, "must not contain control characters")
			return
		}
	}
}
