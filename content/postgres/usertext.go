package postgres

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"dateline/auth"
	"dateline/content"
)

// The checks of user input are content/sqlite's, word for word: both
// stores refuse the same names, emails and bios with the same messages.
// They belong in package auth, where both stores would share them; until
// they move, a change here is a change there.

// CheckNewUser checks the email, name, bio and role of a user to be
// created, as CreateUser does before it writes (surrounding white space
// does not count): an EINVALID error naming every field at fault, or nil.
// It reads no database, so a command can check what it was given before it
// opens or creates one.
func CheckNewUser(u auth.User) error {
	var p content.Problems
	checkEmail(&p, strings.TrimSpace(u.Email))
	checkProfile(&p, strings.TrimSpace(u.Name), strings.TrimSpace(u.Bio))
	if !u.Role.Valid() {
		p.Add("role", "must be one of contributor, author, editor, admin")
	}
	return p.Err()
}

func checkEmail(p *content.Problems, email string) {
	a, err := mail.ParseAddress(email)
	switch {
	case email == "":
		p.Add("email", "is required")
	case len(email) > auth.MaxEmailLength:
		p.Add("email", "must be at most %d characters", auth.MaxEmailLength)
	case err != nil || a.Address != email || a.Name != "":
		p.Add("email", "must be a plain address such as name@example.org")
	}
}

func checkProfile(p *content.Problems, name, bio string) {
	if name == "" {
		p.Add("name", "is required")
	} else if utf8.RuneCountInString(name) > auth.MaxNameLength {
		p.Add("name", "must be at most %d characters", auth.MaxNameLength)
	}
	checkUserText(p, "name", name, false)
	if utf8.RuneCountInString(bio) > auth.MaxBioLength {
		p.Add("bio", "must be at most %d characters", auth.MaxBioLength)
	}
	checkUserText(p, "bio", bio, true)
}

// checkUserText refuses invalid UTF-8, control characters (newlines only
// where multiline) and bidi override and isolate characters.
func checkUserText(p *content.Problems, field, s string, multiline bool) {
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
