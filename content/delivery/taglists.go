package delivery

import (
	"bytes"
	"context"
	"reflect"
	"sort"
	"time"

	"github.com/google/uuid"

	"dateline/content"
)

// Tag lists: the keys of every published story of a tag, newest first, kept
// in memory beside the item cache, so that a list page by tag ("show more"
// with a cursor included) is found by a binary search instead of a walk of
// the store's tag index. They follow the item cache's invalidation: any
// change readers can see drops every tag list when the cache reaches its
// generation, and a list read from the store is kept only if the cache is
// still at the generation the read started at.

// tagListKeys is the most keys kept for one tag: its newest stories, which
// is where readers page (a page deeper than that walks the tag index), and
// bounded so that rebuilding a list after a write stays cheap. maxTagKeys
// bounds the keys held over all tag lists (24 bytes each), and maxTagLists
// the lists (unknown slugs included); a tag beyond them is walked in
// the store as before.
const (
	tagListKeys = 20_000
	maxTagKeys  = 400_000
	maxTagLists = 10_000
)

// tagList is the cached list of one tag: its newest published stories,
// newest first, and whether that is all of them.
type tagList struct {
	keys     []tagKey
	complete bool
}

// tagKey is a published story of a tag: its publication time in
// microseconds and its id (a UUID, whose canonical text sorts as its
// bytes do). It holds no pointers, so the collector does not scan lists.
type tagKey struct {
	at int64
	id uuid.UUID
}

// tagCursor is a position in a newest-first tag list: after the story
// published at at with id id; with anyID, after every story published at at.
type tagCursor struct {
	at    int64
	id    uuid.UUID
	anyID bool
}

// after reports whether k comes after the position c: whether it is older.
func (c tagCursor) after(k tagKey) bool {
	return k.at < c.at || (k.at == c.at && !c.anyID && bytes.Compare(k.id[:], c.id[:]) < 0)
}

// newer orders keys newest first, as the tag index does (published_at,
// then id, descending).
func newer(a, b tagKey) bool {
	if a.at != b.at {
		return a.at > b.at
	}
	return bytes.Compare(a.id[:], b.id[:]) > 0
}

// keyStore is what the tag lists read of the store.
type keyStore interface {
	ListKeys(ctx context.Context, f content.ArticleFilter) (keys []content.Blob, ok bool, err error)
}

// tagList returns the cached list of tag slug at generation gen, reading
// it from the store if need be; nil when the cache is off or full, or the
// tag's ids are not canonical UUIDs, and the caller asks the store.
func (c *itemCache) tagList(ctx context.Context, st keyStore, gen uint64, slug string) (*tagList, error) {
	if c == nil || !c.tagLists {
		return nil, nil
	}
	c.mu.Lock()
	l, held := c.tags[slug]
	full := len(c.tags) >= maxTagLists || c.tagKeys >= maxTagKeys
	perTag := c.perTag
	c.mu.Unlock()
	if held || full {
		return l, nil
	}
	l, err := readTagList(ctx, st, slug, perTag)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, held := c.tags[slug]; c.gen == gen && !held {
		c.tags[slug] = l // nil too: asked of the store until the next write
		if l != nil {
			c.tagKeys += len(l.keys)
		}
	}
	return l, nil
}

// readTagList reads the newest max keys of a tag from the store; nil if
// an id is not a canonical UUID or the store cannot list the tag.
func readTagList(ctx context.Context, st keyStore, slug string, max int) (*tagList, error) {
	keys, ok, err := st.ListKeys(ctx, content.ArticleFilter{Statuses: publishedOnly, Tags: []string{slug}, Limit: max + 1})
	if !ok || err != nil {
		return nil, err
	}
	l := &tagList{keys: make([]tagKey, 0, len(keys))}
	for _, k := range keys {
		u, err := uuid.Parse(k.ID)
		if err != nil || u.String() != k.ID {
			return nil, nil
		}
		l.keys = append(l.keys, tagKey{at: k.PublishedAt.UnixMicro(), id: u})
	}
	l.complete = len(l.keys) <= max
	l.keys = l.keys[:min(len(l.keys), max)]
	return l, nil
}

// tagPage returns one page of a list by the tags slugs: the newest limit
// published stories carrying any of them, after the cursor when there is
// one. ok is false when a tag's list is not cached, the page goes deeper
// than a list keeps, or the cursor's id is not one a tag list can place.
func (c *itemCache) tagPage(ctx context.Context, st keyStore, gen uint64, slugs []string, after *content.Cursor, limit int) ([]content.Blob, bool, error) {
	var cur *tagCursor
	if after != nil {
		cur = &tagCursor{at: after.Time.UnixMicro(), anyID: after.ID == ""}
		if !cur.anyID {
			u, err := uuid.Parse(after.ID)
			if err != nil || u.String() != after.ID {
				return nil, false, nil
			}
			cur.id = u
		}
	}
	var page []tagKey
	seen := map[uuid.UUID]bool{}
	for _, slug := range slugs {
		l, err := c.tagList(ctx, st, gen, slug)
		if err != nil || l == nil {
			return nil, false, err
		}
		keys := l.keys
		start := 0
		if cur != nil {
			start = sort.Search(len(keys), func(i int) bool { return cur.after(keys[i]) })
		}
		if !l.complete && start+limit > len(keys) {
			return nil, false, nil // deeper than the list keeps
		}
		for added, k := 0, start; k < len(keys) && added < limit; k++ {
			if !seen[keys[k].id] {
				seen[keys[k].id] = true
				page = append(page, keys[k])
				added++
			}
		}
	}
	sort.Slice(page, func(i, j int) bool { return newer(page[i], page[j]) })
	page = page[:min(len(page), limit)]
	out := make([]content.Blob, len(page))
	for i, k := range page {
		out[i] = content.Blob{ID: k.id.String(), PublishedAt: time.UnixMicro(k.at).UTC()}
	}
	return out, true, nil
}

// tagsOnly reports whether f lists published stories by tags and nothing
// else, newest first: the lists the tag lists answer alone. Any other
// filter field, including ones added later, says no.
func tagsOnly(f content.ArticleFilter) bool {
	plain := content.ArticleFilter{Statuses: f.Statuses, Tags: f.Tags, Sort: f.Sort, After: f.After, Limit: f.Limit}
	return len(f.Tags) > 0 && f.Published() && reflect.DeepEqual(f, plain) &&
		(f.Sort == "" || f.Sort == content.SortPublished)
}
