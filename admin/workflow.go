package admin

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// transition is one workflow step of DESIGN.md §3 as an endpoint
// POST /articles/:id/<action>.
type transition struct {
	action Action
	from   []content.Status
	to     content.Status
	needs  string // why other statuses are refused, for the 409 message
}

// transitions returns the workflow steps. Approving publishes at once;
// scheduling also moves a scheduled story to a new time.
func transitions() []transition {
	const (
		draft       = content.StatusDraft
		inReview    = content.StatusInReview
		scheduled   = content.StatusScheduled
		published   = content.StatusPublished
		unpublished = content.StatusUnpublished
	)
	return []transition{
		{ActSubmit, []content.Status{draft}, inReview, "only a draft can be submitted for review"},
		{ActApprove, []content.Status{inReview}, published, "only a story in review can be approved"},
		{ActReject, []content.Status{inReview}, draft, "only a story in review can be rejected"},
		{ActSchedule, []content.Status{draft, inReview, scheduled, unpublished}, scheduled, "a published story is already out; withdraw it first"},
		{ActPublish, []content.Status{draft, inReview, scheduled, unpublished}, published, "the story is already published"},
		{ActUnschedule, []content.Status{scheduled}, draft, "only a scheduled story can be unscheduled"},
		{ActWithdraw, []content.Status{published}, unpublished, "only a published story can be withdrawn"},
		{ActRepublish, []content.Status{unpublished}, published, "only a withdrawn (unpublished) story can be republished"},
	}
}

// workflowBody is the optional body of a workflow step. Times are RFC 3339
// with an offset; publish_at is required to schedule, unpublish_at is
// allowed when scheduling or publishing.
type workflowBody struct {
	PublishAt   *string `json:"publish_at"`
	UnpublishAt *string `json:"unpublish_at"`
	Version     *int    `json:"version"` // if given, the story must still be at it
}

// handleTransition returns the handler of one workflow step: permission
// first (403 says why), then whether the step fits the story's status (409
// says why), then db.ChangeStatus, which applies it atomically and checks
// that photos are credited before publishing or scheduling.
func (api *API) handleTransition(tr transition) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "id")
		if err != nil {
			api.problem(c, err)
			return
		}
		ch, version, err := api.parseStep(c, tr)
		if err != nil {
			api.problem(c, err)
			return
		}
		a, ok := api.storyByID(c, id, tr.action)
		if !ok {
			return
		}
		if version != nil && *version != a.Version {
			api.problemWith(c, content.Errorf(content.ECONFLICT,
				"the story has changed since you saw it: you saw version %d, the current version is %d", *version, a.Version), toJSON(a))
			return
		}
		if !slices.Contains(tr.from, a.Status) {
			api.problemWith(c, content.Errorf(content.ECONFLICT, "cannot %s a %s story: %s",
				tr.action, content.StatusLabel(a.Status), tr.needs), toJSON(a))
			return
		}
		ch.By = user(c).ID
		out, err := api.Articles.ChangeStatus(c.Request.Context(), a.ID, ch)
		if err != nil {
			api.problem(c, err)
			return
		}
		c.JSON(http.StatusOK, toJSON(out))
	}
}

// parseStep reads the optional body of a workflow step into a change.
func (api *API) parseStep(c *gin.Context, tr transition) (content.StatusChange, *int, error) {
	ch := content.StatusChange{From: tr.from, To: tr.to}
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody))
	if err != nil {
		return ch, nil, jsonError(err)
	}
	var body workflowBody
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := decodeStrict(bytes.NewReader(raw), &body); err != nil {
			return ch, nil, err
		}
	}
	var p content.Problems
	now := api.now()
	parse := func(field string, v *string) *time.Time {
		if v == nil {
			return nil
		}
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(*v))
		if err != nil {
			p.Add(field, "must be an RFC 3339 time with an offset, e.g. 2026-09-08T08:43:00+03:00")
			return nil
		}
		t = t.UTC()
		return &t
	}
	ch.PublishAt = parse("publish_at", body.PublishAt)
	ch.UnpublishAt = parse("unpublish_at", body.UnpublishAt)
	switch tr.action {
	case ActSchedule:
		if body.PublishAt == nil {
			p.Add("publish_at", "is required to schedule a story")
		} else if ch.PublishAt != nil && !ch.PublishAt.After(now) {
			p.Add("publish_at", "must be in the future")
		}
	case ActPublish, ActApprove, ActRepublish:
		if body.PublishAt != nil {
			p.Add("publish_at", "is not used when publishing now; schedule the story instead")
		}
	default:
		if body.PublishAt != nil {
			p.Add("publish_at", "is not used to %s a story", tr.action)
		}
		if body.UnpublishAt != nil {
			p.Add("unpublish_at", "is not used to %s a story", tr.action)
		}
	}
	if ch.UnpublishAt != nil && !ch.UnpublishAt.After(now) {
		p.Add("unpublish_at", "must be in the future")
	}
	if err := p.Err(); err != nil {
		return ch, nil, err
	}
	return ch, body.Version, ch.Validate()
}
