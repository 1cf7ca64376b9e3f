package delivery

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// handleTagList serves GET /tags: every tag with published stories, by name.
func (api *API) handleTagList(c *gin.Context) {
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	tags, err := api.Store.Tags(c.Request.Context(), content.TagFilter{Published: true})
	if err != nil {
		api.problem(c, err)
		return
	}
	out := struct {
		Tags []tagJSON `json:"tags"`
	}{Tags: make([]tagJSON, 0, len(tags))}
	for _, t := range tags {
		out.Tags = append(out.Tags, tagJSON{Slug: t.Slug, Name: t.Name, Description: t.Description, ArticleCount: t.Count})
	}
	surrogateKeys(c, []string{"tags"})
	api.writeJSON(c, http.StatusOK, out)
}

// handleTag serves GET /tags/{slug}: one tag that has published stories. An
// old slug of a renamed or merged tag answers 301 with the current one.
func (api *API) handleTag(c *gin.Context) {
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	slug := c.Param("slug")
	if !content.ValidSlug(slug) {
		api.problem(c, content.Errorf(content.ENOTFOUND, "no tag has this slug"))
		return
	}
	t, err := api.Store.Tag(c.Request.Context(), content.TagFilter{Slug: &slug, Published: true})
	if err != nil {
		if content.ErrorCode(err) == content.ENOTFOUND {
			if api.redirectTag(c, slug) {
				return
			}
			err = content.Errorf(content.ENOTFOUND, "no tag with published stories has this slug")
		}
		api.problem(c, err)
		return
	}
	surrogateKeys(c, []string{"tags", "tag:" + t.Slug})
	api.writeJSON(c, http.StatusOK, tagJSON{Slug: t.Slug, Name: t.Name, Description: t.Description, ArticleCount: t.Count})
}

// noParams refuses any query parameter on endpoints that take none.
func noParams(c *gin.Context) error {
	var p content.Problems
	for k := range c.Request.URL.Query() {
		p.Add(k, "is not a parameter of this endpoint")
	}
	if err := p.Err(); err != nil {
		return &content.Error{Code: content.EINVALID, Message: "unknown parameter", Fields: p}
	}
	return nil
}

// redirectTag answers 301 with the same endpoint under the tag's current
// slug when slug is an old slug of a tag with published stories, and
// reports whether it answered (a failed lookup answers a problem). Call it
// only once slug has been found to be no live tag's.
func (api *API) redirectTag(c *gin.Context, slug string) bool {
	current, err := api.Store.TagRedirects(c.Request.Context(), []string{slug})
	if err != nil {
		api.problem(c, err)
		return true
	}
	to, ok := current[slug]
	if !ok {
		return false
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Redirect(http.StatusMovedPermanently, strings.Replace(c.FullPath(), ":slug", to, 1))
	return true
}

// resolveOldTags lets GET /articles?tag= name a tag by an old slug: before
// the list handler reads the query, each tag slug that is an old slug of a
// renamed or merged tag is replaced by the tag's current one (once, if the
// list names both), so the list is the same as under the current slug. A
// list answers with its stories, not a redirect, because tag= names
// several tags. Malformed values and too many tags are left for the
// handler to refuse.
func (api *API) resolveOldTags(c *gin.Context) {
	if !strings.Contains(c.Request.URL.RawQuery, "tag=") {
		return
	}
	q := c.Request.URL.Query()
	var slugs []string
	for _, raw := range q["tag"] {
		for _, t := range strings.Split(raw, ",") {
			if t = strings.TrimSpace(t); content.ValidSlug(t) {
				slugs = append(slugs, t)
			}
		}
	}
	if len(slugs) == 0 || len(slugs) > content.MaxTags {
		return
	}
	current, err := api.tagMoves.lookup(c.Request.Context(), api.Store, slugs)
	if err != nil {
		api.problem(c, err)
		c.Abort()
		return
	}
	if len(current) == 0 {
		return
	}
	seen := map[string]bool{}
	values := make([]string, 0, len(q["tag"]))
	for _, raw := range q["tag"] {
		var kept []string
		for _, t := range strings.Split(raw, ",") {
			t = strings.TrimSpace(t)
			if to, ok := current[t]; ok {
				t = to
			}
			if t == "" || seen[t] {
				continue
			}
			seen[t] = true
			kept = append(kept, t)
		}
		if len(kept) > 0 {
			values = append(values, strings.Join(kept, ","))
		}
	}
	q["tag"] = values
	c.Request.URL.RawQuery = q.Encode()
}

// tagMoves holds the store's whole tag redirect table as of one content
// generation: every list by tag that misses the response cache consults
// it, so it is read once per generation rather than once per request.
type tagMoves struct {
	mu    sync.Mutex
	gen   uint64
	moves map[string]string // nil until read
}

// tagRedirects is what tagMoves reads of the store.
type tagRedirects interface {
	Generation() uint64
	TagRedirects(ctx context.Context, oldSlugs []string) (map[string]string, error)
}

// lookup maps each of slugs that is an old tag slug to the current one, as
// Store.TagRedirects does, from the table of the store's generation.
func (t *tagMoves) lookup(ctx context.Context, rs tagRedirects, slugs []string) (map[string]string, error) {
	gen := rs.Generation()
	t.mu.Lock()
	moves := t.moves
	if t.gen != gen {
		moves = nil
	}
	t.mu.Unlock()
	if moves == nil {
		// Read after noting gen: a write meanwhile moves the generation,
		// and the next lookup reads the table again.
		var err error
		if moves, err = rs.TagRedirects(ctx, nil); err != nil {
			return nil, err
		}
		t.mu.Lock()
		t.gen, t.moves = gen, moves
		t.mu.Unlock()
	}
	out := map[string]string{}
	for _, s := range slugs {
		if to, ok := moves[s]; ok {
			out[s] = to
		}
	}
	return out, nil
}
