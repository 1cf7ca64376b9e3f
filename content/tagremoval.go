package content

// TagRemoval is a tag deletion an editor asks for: the tag, and the tag
// its stories move to ("" removes the tag from them).
type TagRemoval struct {
	Slug       string
	ReassignTo string
}

// PlanTagRemoval checks a tag deletion: slug must be a tag slug, and
// reassignTo, when given, another one. The errors are EINVALID naming
// "slug" or "reassign_to". Whether the tags exist is the store's to say.
func PlanTagRemoval(slug, reassignTo string) (TagRemoval, error) {
	var p Problems
	if !ValidSlug(slug) {
		p.Add("slug", "is not a tag slug")
	}
	switch {
	case reassignTo == "":
	case !ValidSlug(reassignTo):
		p.Add("reassign_to", "must be the slug of the tag the stories move to")
	case reassignTo == slug:
		p.Add("reassign_to", "must be another tag: a tag cannot take over its own stories")
	}
	return TagRemoval{Slug: slug, ReassignTo: reassignTo}, p.Err()
}
