package content

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

// Roles returns the roles, lowest first.
func Roles() []Role { return []Role{RoleContributor, RoleAuthor, RoleEditor, RoleAdmin} }

func (r Role) rank() int {
	for i, v := range Roles() {
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
