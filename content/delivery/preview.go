package delivery

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/content"
	"dateline/content/shape"
)

// Previews checks draft preview tokens: signed, expiring, naming one
// preview grant for one revision of one story, and never valid as access
// tokens.
type Previews interface {
	VerifyPreview(token string) (grantID, articleID string, version int, err error)
}

// RevisionStore reads the revision a preview link shows, when the link is
// made.
type RevisionStore interface {
	Revision(ctx context.Context, id string, version int) (content.Revision, error)
}

// PreviewGrants reads the grant a preview token names, with the document
// stored when its link was made.
type PreviewGrants interface {
	// StandingPreview returns grant id and its document while the grant
	// is neither revoked nor expired; otherwise it fails with
	// EUNAUTHORIZED.
	StandingPreview(ctx context.Context, id string) (content.PreviewGrant, []byte, error)
}

// PreviewSource enables GET /preview/{token} and RenderPreview; every
// field is required.
type PreviewSource struct {
	Tokens    Previews
	Revisions RevisionStore
	Grants    PreviewGrants
}

// RenderPreview returns revision version of story articleID as GET
// /preview/{token} serves it: the whole-story shape, rendered through the
// publishing pipeline, whatever the story's status, with the story's dates
// (its last update stands in for a publication time it does not have yet).
// The admin API calls it once, when a link is made, and stores the result
// with the link's grant; the preview endpoint only serves what is stored.
// A missing story or revision fails with ENOTFOUND.
func (api *API) RenderPreview(ctx context.Context, articleID string, version int) ([]byte, error) {
	rev, err := api.Preview.Revisions.Revision(ctx, articleID, version)
	if err != nil {
		return nil, err
	}
	a, err := api.Store.Article(ctx, content.ArticleFilter{ID: &articleID})
	if err != nil {
		return nil, err
	}
	// The story as the revision left it: its editable state and what the
	// pipeline derives from it, with the story's dates.
	a.Edit = rev.Edit
	a.Rendered = content.Render(rev.Edit.Body)
	a.Tags = a.Tags[:0]
	for _, name := range rev.Edit.Tags {
		a.Tags = append(a.Tags, content.Tag{Slug: content.Slugify(name), Name: name})
	}
	linked, err := api.linkedSlugs(ctx, a)
	if err != nil {
		return nil, err
	}
	out := api.shapes.Story(a, linked, shape.Formats{})
	if a.PublishedAt == nil {
		out.PublishedAt = a.UpdatedAt.UTC()
		out.PublishedAtLocal = a.UpdatedAt.In(a.Location(api.Zone)).Format("2006-01-02T15:04:05Z07:00")
	}
	var buf bytes.Buffer
	if err := encodeJSON(&buf, out); err != nil {
		return nil, fmt.Errorf("encode preview of %s: %w", articleID, err)
	}
	return buf.Bytes(), nil
}

// handlePreview serves GET /preview/{token}: the document stored with the
// grant the token names, byte for byte, while that grant is neither
// revoked (by its story's owner, an editor, the story's withdrawal or
// deletion) nor expired. It renders nothing. Every refusal is the same 401,
// "invalid or expired token". It is never cached and never indexed.
func (api *API) handlePreview(c *gin.Context) {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	c.Header("Cache-Control", "private, no-store")
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	refused := content.Errorf(content.EUNAUTHORIZED, "invalid or expired token")
	grantID, articleID, version, err := api.Preview.Tokens.VerifyPreview(c.Param("token"))
	if err != nil {
		api.problem(c, refused)
		return
	}
	g, doc, err := api.Preview.Grants.StandingPreview(c.Request.Context(), grantID)
	switch {
	case content.ErrorCode(err) == content.EUNAUTHORIZED:
		api.problem(c, refused)
		return
	case err != nil:
		api.problem(c, err)
		return
	case g.ArticleID != articleID || g.Version != version:
		api.problem(c, refused)
		return
	}
	api.writeBody(c, http.StatusOK, doc)
}
