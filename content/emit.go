package content

import "time"

// The events a write appends to the outbox are decided here, once for every
// store: their type, what they are about and their payload, which webhooks
// carry and the changes feed and the caches of the read path read. A store
// appends the Emit one of these constructors returns, in the transaction of
// its write and at that write's time.
//
// Events of stories carry the story's id and its slug as readers know it
// after the write. Events of tags and authors carry, in their payload, the
// tag's or author's id and the Surrogate-Key values of the public reads that
// show it ("surrogate_keys"), as the delivery API sets them, so that a
// receiver knows which pages to purge.

// Emit is one event for the outbox. ArticleID is the story's, or "" for an
// event about a tag or an author, whose slug Slug then is.
type Emit struct {
	Type      string
	ArticleID string
	Slug      string
	Payload   map[string]any
}

// EventTimeLayout is how instants are written into event payloads
// (published_as_of): UTC with microseconds, the same text on every store.
const EventTimeLayout = "2006-01-02T15:04:05.000000Z"

// StoryPublished is the event of story id going live under slug: first
// tells whether it had never been published before; asOf, of a story
// published "as of" a past instant (StatusChange.PublishedAt), is that
// instant as stored, to the second.
func StoryPublished(id, slug string, first bool, asOf *time.Time) Emit {
	p := map[string]any{"first": first}
	if asOf != nil {
		p["published_as_of"] = asOf.UTC().Truncate(time.Second).Format(EventTimeLayout)
	}
	return Emit{Type: EventPublished, ArticleID: id, Slug: slug, Payload: p}
}

// StoryUpdated is the event of a save readers see of story id, now at
// version and slug; previousSlug, when the save moved the story's slug, is
// the slug it had (the changes feed reports it, so that a static site can
// drop the old page).
func StoryUpdated(id, slug string, version int, previousSlug string) Emit {
	p := map[string]any{"version": version}
	if previousSlug != "" && previousSlug != slug {
		p["previous_slug"] = previousSlug
	}
	return Emit{Type: EventUpdated, ArticleID: id, Slug: slug, Payload: p}
}

// StoryWithdrawn is the event of story id (slug) leaving the public API
// by withdrawal, scheduled or not.
func StoryWithdrawn(id, slug string) Emit {
	return Emit{Type: EventUnpublished, ArticleID: id, Slug: slug, Payload: map[string]any{}}
}

// StoryDeleted is the event of a published story id (slug) leaving the
// public API because user by moved it to the trash.
func StoryDeleted(id, slug, by string) Emit {
	return Emit{Type: EventUnpublished, ArticleID: id, Slug: slug, Payload: map[string]any{"deleted": true, "by": by}}
}

// What changed in a published story through something it shows rather than
// through a save of its own: the cause an article.updated event names.
const (
	ChangeAuthorProfile = "profile"     // author_change: a credited author's name or bio
	ChangePhotoFocus    = "focal_point" // photo_change: a shown photo's focal point
	ChangePhotoCrops    = "renditions"  // photo_change: a shown photo's renditions
)

// StoryAuthorChanged is the event of published story id (slug, version),
// whose byline shows the author with slug author, after a change of
// kind (ChangeAuthorProfile) to that author.
func StoryAuthorChanged(id, slug string, version int, kind, author string) Emit {
	return Emit{Type: EventUpdated, ArticleID: id, Slug: slug,
		Payload: map[string]any{"version": version, "author_change": kind, "author": author}}
}

// StoryPhotoChanged is the event of published story id (slug, version),
// whose photos show media item mediaID, after a change of kind
// (ChangePhotoFocus, ChangePhotoCrops) to that item.
func StoryPhotoChanged(id, slug string, version int, kind, mediaID string) Emit {
	return Emit{Type: EventUpdated, ArticleID: id, Slug: slug,
		Payload: map[string]any{"version": version, "photo_change": kind, "media_id": mediaID}}
}

// StoryTagChanged is the event of published story id (slug, version),
// which carries the tag with slug tag, after a change of kind to that tag
// (a rename, a merge, a removal); newTag, if not "", is the tag the story
// carries instead.
func StoryTagChanged(id, slug string, version int, kind, tag, newTag string) Emit {
	p := map[string]any{"version": version, "tag_change": kind, "tag": tag}
	if newTag != "" {
		p["new_tag"] = newTag
	}
	return Emit{Type: EventUpdated, ArticleID: id, Slug: slug, Payload: p}
}

// TagKeys returns the Surrogate-Key values of the public reads of the tags
// with slugs: the tag list and each tag's page.
func TagKeys(slugs ...string) []string {
	keys := []string{"tags"}
	for _, s := range slugs {
		keys = append(keys, "tag:"+s)
	}
	return keys
}

// TagRenamed is the tag.updated event of public tag tagID, now slug slug,
// after a change of its name or slug; previousSlug, when the slug moved, is
// the old one, whose pages are purged too.
func TagRenamed(tagID int64, slug, previousSlug string) Emit {
	if previousSlug == "" || previousSlug == slug {
		return tagEmit(EventTagUpdated, tagID, slug, TagKeys(slug), nil)
	}
	return tagEmit(EventTagUpdated, tagID, slug, TagKeys(slug, previousSlug), map[string]any{"previous_slug": previousSlug})
}

// TagMerged is the pair of events of merging public tag from (slug source)
// into tag into (slug target): source is deleted, target updated.
func TagMerged(from int64, source string, into int64, target string) (deleted, updated Emit) {
	return tagEmit(EventTagDeleted, from, source, TagKeys(source), map[string]any{"merged_into": target}),
		tagEmit(EventTagUpdated, into, target, TagKeys(target), map[string]any{"merged_from": source})
}

// TagDeleted is the tag.deleted event of public tag tagID (slug).
func TagDeleted(tagID int64, slug string) Emit {
	return tagEmit(EventTagDeleted, tagID, slug, TagKeys(slug), nil)
}

func tagEmit(typ string, tagID int64, slug string, keys []string, extra map[string]any) Emit {
	p := map[string]any{"id": tagID, "surrogate_keys": keys}
	for k, v := range extra {
		p[k] = v
	}
	return Emit{Type: typ, Slug: slug, Payload: p}
}

// AuthorUpdated is the author.updated event of user userID, a credited
// author of a published story, under author slug slug.
func AuthorUpdated(userID, slug string) Emit {
	return Emit{Type: EventAuthorUpdated, Slug: slug,
		Payload: map[string]any{"id": userID, "surrogate_keys": []string{"authors", "author:" + slug}}}
}
