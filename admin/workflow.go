package admin

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// workflowBody is the optional body of a workflow step. Times are RFC 3339
// with an offset; publish_at is required to schedule, unpublish_at is
// allowed when scheduling or publishing, and published_at (editors and
// admins) publishes a story never published "as of" a past instant.
type workflowBody struct {
	PublishAt   *string `json:"publish_at"`
	UnpublishAt *string `json:"unpublish_at"`
	PublishedAt *string `json:"published_at"`
	Version     *int    `json:"version"` // if given, the story must still be at it
	// Reason, when sending a story back from review (reject), tells its
	// author why; it is kept as the story's review note.
	Reason *string `json:"reason"`
}

// handleTransition returns the handler of one workflow step: permission
// first (403 says why), then content's decision whether the step fits the
// story and the times asked (tr.Plan: 400 or 409 says why), then
// ChangeStatus, which applies it atomically and checks that photos are
// credited before publishing or scheduling.
func (api *API) handleTransition(tr content.Transition) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "id")
		if err != nil {
			api.problem(c, err)
			return
		}
		step, err := parseStep(c)
		if err != nil {
			api.problem(c, err)
			return
		}
		a, ok := api.storyByID(c, id, tr.Action)
		if !ok {
			return
		}
		if step.PublishedAt != nil {
			if err := content.Permit(user(c).Role, content.ActBackdate, true, a.Status); err != nil {
				api.problem(c, err)
				return
			}
		}
		cur, ok := api.editable(c, a) // a step names the version the editor shows
		if !ok {
			return
		}
		ch, err := tr.Plan(cur, step, user(c).ID, api.now())
		if content.ErrorCode(err) == content.ECONFLICT {
			api.answerEditing(c, a.ID, err)
			return
		}
		if err != nil {
			api.problem(c, err)
			return
		}
		_, err = api.Articles.ChangeStatus(c.Request.Context(), a.ID, ch)
		api.answerEditing(c, a.ID, err)
	}
}

// parseStep reads the optional body of a workflow step.
func parseStep(c *gin.Context) (content.Step, error) {
	var step content.Step
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody))
	if err != nil {
		return step, jsonError(err)
	}
	var body workflowBody
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := decodeStrict(bytes.NewReader(raw), &body); err != nil {
			return step, err
		}
	}
	var p content.Problems
	parse := func(field string, v *string) *time.Time {
		if v == nil {
			return nil
		}
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(*v))
		if err != nil {
			p.Add(field, "must be an RFC 3339 time with an offset, e.g. 2026-09-08T08:43:00+03:00")
			return nil
		}
		return &t
	}
	step.PublishAt = parse("publish_at", body.PublishAt)
	step.UnpublishAt = parse("unpublish_at", body.UnpublishAt)
	step.PublishedAt = parse("published_at", body.PublishedAt)
	step.Version = body.Version
	if body.Reason != nil {
		step.Reason = *body.Reason
	}
	return step, p.Err()
}
