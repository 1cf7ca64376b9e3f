package delivery

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// Previews checks draft preview tokens: signed, expiring, for one revision
// of one story, and never valid as access tokens.
type Previews interface {
	VerifyPreview(token string) (articleID string, version int, err error)
}

// RevisionStore reads the revision a preview token names.
type RevisionStore interface {
	Revision(ctx context.Context, id string, version int) (content.Revision, error)
}

// PreviewSource enables GET /preview/{token}; both fields are required.
type PreviewSource struct {
	Tokens    Previews
	Revisions RevisionStore
}

// handlePreview serves GET /preview/{token}: the revision the token names,
// rendered through the publishing pipeline, in the article shape, whatever
// the story's status. It is never cached and never indexed.
func (api *API) handlePreview(c *gin.Context) {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	c.Header("Cache-Control", "private, no-store")
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	id, version, err := api.Preview.Tokens.VerifyPreview(c.Param("token"))
	if err != nil {
		api.problem(c, content.Errorf(content.EUNAUTHORIZED, "invalid or expired token"))
		return
	}
	ctx := c.Request.Context()
	rev, err := api.Preview.Revisions.Revision(ctx, id, version)
	if err != nil {
		api.problem(c, err)
		return
	}
	a, err := api.Store.Article(ctx, content.ArticleFilter{ID: &id})
	if err != nil {
		api.problem(c, err)
		return
	}
	// The story as the revision left it: its editable state and what the
	// pipeline derives from it, with the story's dates.
	a.Edit = rev.Edit
	a.Rendered = content.Render(rev.Edit.Body)
	a.Tags = a.Tags[:0]
	for _, name := range rev.Edit.Tags {
		a.Tags = append(a.Tags, content.Tag{Slug: content.Slugify(name), Name: name})
	}
	linked, err := api.linkedSlugs(c, a)
	if err != nil {
		api.problem(c, err)
		return
	}
	out := api.full(a, linked)
	if a.PublishedAt == nil {
		out.PublishedAt = a.UpdatedAt.UTC()
		out.PublishedAtLocal = a.UpdatedAt.In(a.Location(api.Zone)).Format("2006-01-02T15:04:05Z07:00")
	}
	api.writeJSON(c, http.StatusOK, out)
}
