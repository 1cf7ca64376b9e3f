package admin

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// ReviewNoteStore reads the reasons given when stories were sent back from
// review (the reject step's optional "reason").
type ReviewNoteStore interface {
	ReviewNotes(ctx context.Context, id string) ([]content.ReviewNote, error)
	LatestReviewNotes(ctx context.Context, ids []string) (map[string]content.ReviewNote, error)
}

// handleReviewNotes serves GET /articles/:id/review-notes: the reasons the
// story was sent back with, newest first, to everyone who may view it.
func (api *API) handleReviewNotes(notes ReviewNoteStore) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, ok := api.story(c, content.ActView)
		if !ok {
			return
		}
		ns, err := notes.ReviewNotes(c.Request.Context(), a.ID)
		if err != nil {
			api.problem(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"notes": ns})
	}
}
