package delivery

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// handleAuthorList serves GET /authors: every author credited on a
// published story, by name. Users without a published story never show.
func (api *API) handleAuthorList(c *gin.Context) {
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	authors, err := api.Store.Authors(c.Request.Context(), content.AuthorFilter{})
	if err != nil {
		api.problem(c, err)
		return
	}
	out := struct {
		Authors []authorJSON `json:"authors"`
	}{Authors: make([]authorJSON, 0, len(authors))}
	for _, au := range authors {
		out.Authors = append(out.Authors, authorOf(au))
	}
	surrogateKeys(c, []string{"authors"})
	api.writeJSON(c, http.StatusOK, out)
}

// handleAuthor serves GET /authors/{slug}: one author credited on a
// published story. Their stories are GET /articles?author={slug}.
func (api *API) handleAuthor(c *gin.Context) {
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	slug := c.Param("slug")
	if !content.ValidSlug(slug) {
		api.problem(c, content.Errorf(content.ENOTFOUND, "no author has this slug"))
		return
	}
	au, err := api.Store.Author(c.Request.Context(), content.AuthorFilter{Slug: &slug})
	if err != nil {
		if content.ErrorCode(err) == content.ENOTFOUND {
			err = content.Errorf(content.ENOTFOUND, "no author with published stories has this slug")
		}
		api.problem(c, err)
		return
	}
	surrogateKeys(c, []string{"authors", "author:" + au.Slug})
	api.writeJSON(c, http.StatusOK, authorOf(au))
}

// authorOf is the public profile of au: the article author shape and the
// number of published stories.
func authorOf(au content.Author) authorJSON {
	return authorJSON{Slug: au.Slug, Name: au.Name, Bio: au.Bio, ArticleCount: au.Count}
}
