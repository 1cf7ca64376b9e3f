package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"dateline/content"
)

// Tag lists: the keys of every published story of a tag, newest first, kept
// in memory beside the item cache, so that a list page by tag ("show more"
// with a cursor included) is found by a binary search instead of a walk of
// the tag index in SQLite. They follow the item cache's contract: a write
// transaction that changes stored list items (refreshPublic: publishing,
// withdrawing, deleting, a story's tags, a tag's name) drops every tag list
// when it ends, and a list read from the database is kept only if no such
// write ended meanwhile.

// maxTagKeys bounds the keys held over all tag lists (24 bytes each), and
// maxTagLists the lists (unknown slugs included); a tag whose list would
// not fit is walked in SQLite as before.
const (
	maxTagKeys  = 200_000
	maxTagLists = 10_000
)

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

// tagList returns the keys of the published stories of tag slug, newest
// first, and whether the cache could give them: ok is false when the cache
// is off or the list cannot be kept, and the caller walks the tag index.
func (db *DB) tagList(ctx context.Context, slug string) ([]tagKey, bool, error) {
	c := db.items
	if c == nil {
		return nil, false, nil
	}
	c.mu.Lock()
	keys, held := c.tags[slug]
	gen := c.gen
	c.mu.Unlock()
	if held {
		return keys, keys != nil, nil
	}
	keys, ok, err := db.readTagList(ctx, slug)
	if err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen && len(c.tags) < maxTagLists {
		if ok && c.tagKeys+len(keys) <= maxTagKeys {
			c.tags[slug] = keys
			c.tagKeys += len(keys)
		} else if _, held := c.tags[slug]; !held {
			c.tags[slug] = nil // walked in SQLite until the next write
		}
	}
	return keys, ok, nil
}

// readTagList reads a tag's keys from the tag index; ok is false when there
// are more than maxTagKeys or an id is not a canonical UUID.
func (db *DB) readTagList(ctx context.Context, slug string) ([]tagKey, bool, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT t.published_at, t.article_id FROM article_tags t
		WHERE t.tag_id = (SELECT id FROM tags WHERE slug = ?) AND t.published_at IS NOT NULL
		ORDER BY t.published_at DESC, t.article_id DESC LIMIT ?`, slug, maxTagKeys+1)
	if err != nil {
		return nil, false, fmt.Errorf("read stories of tag %q: %w", slug, mapErr(err))
	}
	defer rows.Close()
	keys := []tagKey{}
	ok := true
	for rows.Next() {
		var at, id string
		if err := rows.Scan(&at, &id); err != nil {
			return nil, false, fmt.Errorf("read stories of tag %q: %w", slug, err)
		}
		t, err := parseTime(at)
		if err != nil {
			return nil, false, err
		}
		u, err := uuid.Parse(id)
		if err != nil || u.String() != id {
			ok = false
		}
		keys = append(keys, tagKey{at: t.UnixMicro(), id: u})
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read stories of tag %q: %w", slug, mapErr(err))
	}
	return keys, ok && len(keys) <= maxTagKeys, nil
}

// tagPage returns one page of a list by the tags slugs: the newest limit
// published stories carrying any of them, after the cursor when there is
// one. ok is false when a tag's list is not cached or the cursor's id is
// not one a tag list can place.
func (db *DB) tagPage(ctx context.Context, slugs []string, after *content.Cursor, limit int) ([]content.Blob, bool, error) {
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
		keys, ok, err := db.tagList(ctx, slug)
		if err != nil || !ok {
			return nil, false, err
		}
		start := 0
		if cur != nil {
			start = sort.Search(len(keys), func(i int) bool { return cur.after(keys[i]) })
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
