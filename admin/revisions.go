package admin

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// handleRevisionList serves GET /articles/:id/revisions, newest first.
func (api *API) handleRevisionList(c *gin.Context) {
	a, ok := api.story(c, content.ActView)
	if !ok {
		return
	}
	revs, err := api.Articles.Revisions(c.Request.Context(), a.ID)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"revisions": revs})
}

// handleRevisionGet serves GET /articles/:id/revisions/:version.
func (api *API) handleRevisionGet(c *gin.Context) {
	version, err := pathVersion(c)
	if err != nil {
		api.problem(c, err)
		return
	}
	a, ok := api.story(c, content.ActView)
	if !ok {
		return
	}
	rev, err := api.Articles.Revision(c.Request.Context(), a.ID, version)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, rev)
}

// restoreBody optionally names the version the restore is based on; by
// default it is the story's current version.
type restoreBody struct {
	Version *int `json:"version"`
}

// handleRevisionRestore serves POST /articles/:id/revisions/:version/restore:
// a new save, based on the current version, whose editable state is the
// revision's exactly. It follows the rules of any save (permission, edit
// lock, version): a published or scheduled story restores into its working
// copy, and readers see nothing until Update.
func (api *API) handleRevisionRestore(c *gin.Context) {
	version, err := pathVersion(c)
	if err != nil {
		api.problem(c, err)
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		api.problem(c, err)
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody))
	if err != nil {
		api.problem(c, jsonError(err))
		return
	}
	var body restoreBody
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := decodeStrict(bytes.NewReader(raw), &body); err != nil {
			api.problem(c, err)
			return
		}
	}
	a, ok := api.storyByID(c, id, content.ActEdit)
	if !ok {
		return
	}
	rev, err := api.Articles.Revision(c.Request.Context(), a.ID, version)
	if err != nil {
		api.problem(c, err)
		return
	}
	cur, ok := api.editable(c, a) // a live story restores into its working copy
	if !ok {
		return
	}
	base := cur.Version
	if body.Version != nil {
		base = *body.Version
	}
	api.save(c, a, content.Save{Version: base, Edit: rev.Edit, By: user(c).ID, Statuses: []content.Status{a.Status}})
}

func pathVersion(c *gin.Context) (int, error) {
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n < 1 {
		return 0, invalid("version", "must be a positive whole number")
	}
	return n, nil
}
