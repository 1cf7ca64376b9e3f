package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// handleTagList serves GET /tags: every tag with the number of (live)
// stories that carry it.
func (api *API) handleTagList(c *gin.Context) {
	tags, err := api.Tags.Tags(c.Request.Context(), content.TagFilter{})
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tags": tags})
}

// handleTagCreate serves POST /tags (editors): {"name", "slug"?, "description"?}.
func (api *API) handleTagCreate(c *gin.Context) {
	if !api.editorOnly(c, "only editors manage tags") {
		return
	}
	var t content.TagEdit
	if err := decodeJSON(c, &t); err != nil {
		api.problem(c, err)
		return
	}
	tag, err := api.Tags.CreateTag(c.Request.Context(), t)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusCreated, tag)
}

// handleTagUpdate serves PATCH /tags/:slug (editors): rename and describe.
// The slug follows a new name unless the body gives one.
func (api *API) handleTagUpdate(c *gin.Context) {
	slug, ok := api.tagSlug(c)
	if !ok {
		return
	}
	var t content.TagEdit
	if err := decodeJSON(c, &t); err != nil {
		api.problem(c, err)
		return
	}
	tag, err := api.Tags.UpdateTag(c.Request.Context(), slug, t)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, tag)
}

type mergeBody struct {
	Into string `json:"into"` // the slug of the tag that remains
}

// handleTagMerge serves POST /tags/:slug/merge (editors): {"into": slug}
// moves every story of :slug to the other tag and deletes :slug.
func (api *API) handleTagMerge(c *gin.Context) {
	slug, ok := api.tagSlug(c)
	if !ok {
		return
	}
	var body mergeBody
	if err := decodeJSON(c, &body); err != nil {
		api.problem(c, err)
		return
	}
	if !content.ValidSlug(body.Into) {
		api.problem(c, invalid("into", "must be the slug of the tag to merge into"))
		return
	}
	tag, err := api.Tags.MergeTags(c.Request.Context(), slug, body.Into)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, tag)
}

// handleTagDelete serves DELETE /tags/:slug (editors): the tag leaves every
// story and is gone (204). With ?reassign_to=other its stories move to the
// tag other first, as a merge does (its old slugs then redirect there),
// and the answer is that tag (200). Either way a public tag gets a
// tag.deleted event and every published story whose tags change an
// article.updated, in the same transaction.
func (api *API) handleTagDelete(c *gin.Context) {
	if _, ok := api.tagSlug(c); !ok {
		return
	}
	r, err := content.PlanTagRemoval(c.Param("slug"), c.Query("reassign_to"))
	if err != nil {
		api.problem(c, err)
		return
	}
	if r.ReassignTo != "" {
		if ts, err := api.Tags.Tags(c.Request.Context(), content.TagFilter{Slug: &r.ReassignTo}); err == nil && len(ts) == 0 {
			api.problem(c, invalid("reassign_to", "names no tag; choose an existing tag for the stories"))
			return
		}
		tag, err := api.Tags.MergeTags(c.Request.Context(), r.Slug, r.ReassignTo)
		if err != nil {
			api.problem(c, err)
			return
		}
		c.JSON(http.StatusOK, tag)
		return
	}
	if err := api.Tags.DeleteTag(c.Request.Context(), r.Slug); err != nil {
		api.problem(c, err)
		return
	}
	noContent(c)
}

// tagSlug checks that the user is an editor and returns the :slug
// parameter; on failure it has answered and returns false.
func (api *API) tagSlug(c *gin.Context) (string, bool) {
	if !api.editorOnly(c, "only editors manage tags") {
		return "", false
	}
	slug := c.Param("slug")
	if !content.ValidSlug(slug) {
		api.problem(c, invalid("slug", "is not a tag slug"))
		return "", false
	}
	return slug, true
}

// editorOnly answers 403 with why and returns false unless the user is an
// editor or admin.
func (api *API) editorOnly(c *gin.Context, why string) bool {
	if user(c).Role.AtLeast(auth.RoleEditor) {
		return true
	}
	api.problem(c, forbid(why))
	return false
}
