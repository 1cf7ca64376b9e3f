package delivery

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// ChangeStore is what the changes feed reads: the outbox, in id order. The
// API's Store provides it when it implements this interface too.
type ChangeStore interface {
	Events(ctx context.Context, f content.EventFilter) ([]content.Event, error)
}

// Changes feed paging limits.
const (
	defaultChangesLimit = 100
	maxChangesLimit     = 1000
)

type changeList struct {
	Changes []change    `json:"changes"`
	Meta    changesMeta `json:"meta"`
}

// change is one entry of the feed: what happened to which story, never its
// content. A withdrawal is a tombstone.
type change struct {
	Type         string    `json:"type"`
	ID           string    `json:"id"`
	Slug         string    `json:"slug"`
	At           time.Time `json:"at"`
	PreviousSlug string    `json:"previous_slug,omitempty"`
}

type changesMeta struct {
	Limit int `json:"limit"`
	// NextCursor is always present: polling with it returns what happened
	// after the last change of this page (nothing yet, at the end).
	NextCursor string `json:"next_cursor"`
}

var changesParams = map[string]bool{"cursor": true, "limit": true}

// handleChanges serves GET /changes?cursor=&limit=: published, updated and
// withdrawn events in the order they happened.
func (api *API) handleChanges(c *gin.Context) {
	store, ok := api.Store.(ChangeStore)
	if !ok {
		api.NotFound(c)
		return
	}
	after, limit, err := parseChangesQuery(c.Request.URL.Query())
	if err != nil {
		api.problem(c, err)
		return
	}
	// The feed lists stories: the events of tags and authors, which
	// webhooks carry, are not changes of a story (a story they change
	// has its own article.updated).
	evs, err := store.Events(c.Request.Context(), content.EventFilter{AfterID: after, Limit: limit, Types: content.ArticleEventTypes})
	if err != nil {
		api.problem(c, err)
		return
	}
	out := changeList{Changes: make([]change, 0, len(evs)), Meta: changesMeta{Limit: limit}}
	last := after
	for _, ev := range evs {
		last = ev.ID
		ch := change{Type: ev.Type, ID: ev.ArticleID, Slug: ev.Slug, At: ev.OccurredAt.UTC()}
		if p, ok := ev.Payload["previous_slug"].(string); ok {
			ch.PreviousSlug = p
		}
		out.Changes = append(out.Changes, ch)
	}
	out.Meta.NextCursor = encodeChangesCursor(last)
	c.Header("Cache-Control", "no-cache")
	surrogateKeys(c, []string{"changes"})
	api.writeJSON(c, http.StatusOK, out)
}

// parseChangesQuery returns the event id to read after and the page size.
// Unknown parameters and bad values are validation errors naming them.
func parseChangesQuery(q url.Values) (int64, int, error) {
	var p content.Problems
	var unknown []string
	for k := range q {
		if !changesParams[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		p.Add(k, "is not a parameter of this endpoint")
	}
	limit := defaultChangesLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxChangesLimit {
			p.Add("limit", "must be a whole number between 1 and %d", maxChangesLimit)
		}
		limit = n
	}
	var after int64
	if v := q.Get("cursor"); v != "" {
		id, ok := decodeChangesCursor(v)
		if !ok {
			p.Add("cursor", "is not a cursor this API issued")
		}
		after = id
	}
	return after, limit, p.Err()
}

// A changes cursor is "c" and the last event id, base64url-encoded: opaque
// to clients, and distinct from the article list's cursors.
func encodeChangesCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("c" + strconv.FormatInt(id, 10)))
}

func decodeChangesCursor(s string) (int64, bool) {
	if len(s) > 40 {
		return 0, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != 'c' {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b[1:]), 10, 64)
	if err != nil || id < 0 {
		return 0, false
	}
	return id, true
}
