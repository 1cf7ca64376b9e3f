package delivery

import (
	"net/http"

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

// handleTag serves GET /tags/{slug}: one tag that has published stories.
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
