package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// workingCopyMeta says a live story has unpublished changes: the version a
// save, Update or Discard names, the live version they started from, who
// saved them last, a scheduled update, and a contributor's submission.
type workingCopyMeta struct {
	Version          int        `json:"version"`
	BaseVersion      int        `json:"base_version"`
	SavedBy          string     `json:"saved_by"`
	SavedAt          time.Time  `json:"saved_at"`
	PublishAt        *time.Time `json:"publish_at"`
	UpdateCorrection string     `json:"update_correction,omitempty"`
	SubmittedBy      string     `json:"submitted_by,omitempty"`
	SubmittedAt      *time.Time `json:"submitted_at"`
}

// editing returns the story as an editor works on it: a live story with a
// working copy shows the working copy's editable state and version (what
// the next save names), beside the live version; nil wc: the story as it
// is.
func editing(a *content.Article, wc *content.WorkingCopy) *articleJSON {
	if wc == nil {
		out := toJSON(a)
		out.LiveVersion = a.Version
		return out
	}
	out := toJSON(overlay(a, wc))
	out.LiveVersion = a.Version
	out.WorkingCopy = &workingCopyMeta{Version: wc.Version, BaseVersion: wc.Base, SavedBy: wc.SavedBy, SavedAt: wc.SavedAt,
		PublishAt: wc.PublishAt, UpdateCorrection: wc.UpdateCorrection, SubmittedBy: wc.SubmittedBy, SubmittedAt: wc.SubmittedAt}
	return out
}

// overlay returns a copy of a with the working copy's editable state,
// rendering and version.
func overlay(a *content.Article, wc *content.WorkingCopy) *content.Article {
	cp := *a
	cp.Edit, cp.Version = wc.Edit, wc.Version
	cp.Rendered = content.Render(wc.Edit.Body)
	return &cp
}

// workingCopy returns the working copy of story a, or nil when it has none.
func (api *API) workingCopy(ctx context.Context, a *content.Article) (*content.WorkingCopy, error) {
	wc, err := api.Articles.WorkingCopy(ctx, a.ID)
	if errors.Is(err, content.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &wc, nil
}

// editingView reads story id as an editor works on it (see editing).
func (api *API) editingView(ctx context.Context, id string) (*articleJSON, error) {
	a, err := api.Articles.Article(ctx, content.ArticleFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	wc, err := api.workingCopy(ctx, a)
	if err != nil {
		return nil, err
	}
	return editing(a, wc), nil
}

// editable returns story a overlaid with its working copy, if it has one,
// for the handlers that edit from the current state (PATCH, restore, a
// workflow step's version check). On failure it has answered.
func (api *API) editable(c *gin.Context, a *content.Article) (*content.Article, bool) {
	wc, err := api.workingCopy(c.Request.Context(), a)
	if err != nil {
		api.problem(c, err)
		return nil, false
	}
	if wc == nil {
		return a, true
	}
	return overlay(a, wc), true
}

// workingCopyJSON is GET /articles/:id/working-copy: the pending version,
// its editable state, the live state, and what differs between them.
type workingCopyJSON struct {
	workingCopyMeta
	LiveVersion int          `json:"live_version"`
	Edit        content.Edit `json:"edit"`
	Live        content.Edit `json:"live"`
	// Changes names the editable fields that differ from the live story;
	// Diff is a line diff of the live story's readable form ("-") to the
	// working copy's ("+").
	Changes []string   `json:"changes"`
	Diff    []diffJSON `json:"diff"`
}

type diffJSON struct {
	Op   string `json:"op"` // "=", "-" (live only) or "+" (working copy only)
	Text string `json:"text"`
}

// handleWorkingCopyGet serves GET /articles/:id/working-copy: 404 when the
// story has no unpublished changes.
func (api *API) handleWorkingCopyGet(c *gin.Context) {
	a, ok := api.story(c, content.ActView)
	if !ok {
		return
	}
	wc, err := api.workingCopy(c.Request.Context(), a)
	if err != nil {
		api.problem(c, err)
		return
	}
	if wc == nil {
		api.problem(c, content.Errorf(content.ENOTFOUND, "the story has no unpublished changes"))
		return
	}
	out := workingCopyJSON{workingCopyMeta: *editing(a, wc).WorkingCopy, LiveVersion: a.Version, Edit: wc.Edit, Live: a.Edit,
		Changes: editChanges(a.Edit, wc.Edit), Diff: []diffJSON{}}
	for _, d := range diffLines(revisionText(a.Edit), revisionText(wc.Edit)) {
		out.Diff = append(out.Diff, diffJSON{Op: d.Op, Text: d.Text})
	}
	c.JSON(http.StatusOK, out)
}

// editChanges names the editable fields (as the API spells them) whose
// values differ between live and pending.
func editChanges(live, pending content.Edit) []string {
	a, b := editFields(live), editFields(pending)
	out := []string{}
	for _, name := range editableFields() {
		if !bytes.Equal(a[name], b[name]) {
			out = append(out, name)
		}
	}
	return out
}

// handleWorkingCopyPut serves PUT /articles/:id/working-copy: a save of a
// live story's working copy, as PUT /articles/:id, refused with 409 for a
// story that is not published or scheduled.
func (api *API) handleWorkingCopyPut(c *gin.Context) {
	a, ok := api.story(c, content.ActView)
	if !ok {
		return
	}
	if a.Status != content.StatusPublished && a.Status != content.StatusScheduled {
		api.problem(c, content.Errorf(content.ECONFLICT, "only a published or scheduled story has a working copy; this story is %s: save it with PUT /articles/%s", content.StatusLabel(a.Status), a.ID))
		return
	}
	api.handleArticleUpdate(c)
}

// updateRequest is the body of POST /articles/:id/update: the working copy
// version seen, an optional correction for readers, and an optional
// publish_at (RFC 3339 with an offset) that schedules the update instead.
type updateRequest struct {
	Version    *int    `json:"version"`
	Correction string  `json:"correction"`
	PublishAt  *string `json:"publish_at"`
}

// handleUpdate serves POST /articles/:id/update: publish the working copy
// (the live story changes, one article.updated event), or schedule it.
func (api *API) handleUpdate(c *gin.Context) {
	var body updateRequest
	if !api.optionalBody(c, &body) {
		return
	}
	if body.Version == nil {
		api.problem(c, invalid("version", "is required: send the working copy version you are publishing"))
		return
	}
	var publishAt *time.Time
	if body.PublishAt != nil {
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(*body.PublishAt))
		if err != nil {
			api.problem(c, invalid("publish_at", "must be an RFC 3339 time with an offset, e.g. 2026-09-08T08:43:00+03:00"))
			return
		}
		publishAt = &t
	}
	a, ok := api.story(c, content.ActUpdate)
	if !ok {
		return
	}
	_, err := api.Articles.PublishWorkingCopy(c.Request.Context(), a.ID, content.Update{Version: *body.Version,
		Correction: body.Correction, PublishAt: publishAt, By: user(c).ID, At: api.now()})
	api.answerEditing(c, a.ID, err)
}

// handleCancelUpdate serves DELETE /articles/:id/update with {"version":
// n}: cancel a scheduled update; the changes stay in the working copy.
func (api *API) handleCancelUpdate(c *gin.Context) {
	var body versionRequest
	if !api.optionalBody(c, &body) {
		return
	}
	if body.Version == nil {
		api.problem(c, invalid("version", "is required: send the working copy version whose update you cancel"))
		return
	}
	a, ok := api.story(c, content.ActUpdate)
	if !ok {
		return
	}
	_, err := api.Articles.CancelScheduledUpdate(c.Request.Context(), a.ID, *body.Version, user(c).ID)
	api.answerEditing(c, a.ID, err)
}

// versionRequest is the body of a discard or a submission: the working
// copy version seen.
type versionRequest struct {
	Version *int `json:"version"`
}

// handleDiscard serves POST /articles/:id/discard: drop the working copy.
// A contributor drops only changes they saved themselves.
func (api *API) handleDiscard(c *gin.Context) {
	var body versionRequest
	if !api.optionalBody(c, &body) {
		return
	}
	if body.Version == nil {
		api.problem(c, invalid("version", "is required: send the working copy version you are discarding"))
		return
	}
	a, ok := api.story(c, content.ActDiscard)
	if !ok {
		return
	}
	u := user(c)
	_, err := api.Articles.DiscardWorkingCopy(c.Request.Context(), a.ID, content.Discard{Version: *body.Version, By: u.ID,
		OnlyOwn: !u.Role.AtLeast(auth.RoleAuthor)})
	api.answerEditing(c, a.ID, err)
}

// handleSubmitChanges serves POST /articles/:id/working-copy/submit: a
// contributor's changes to a live story, submitted for review.
func (api *API) handleSubmitChanges(c *gin.Context) {
	var body versionRequest
	if !api.optionalBody(c, &body) {
		return
	}
	if body.Version == nil {
		api.problem(c, invalid("version", "is required: send the working copy version you are submitting"))
		return
	}
	a, ok := api.story(c, content.ActSubmitChanges)
	if !ok {
		return
	}
	_, err := api.Articles.SubmitWorkingCopy(c.Request.Context(), a.ID, *body.Version, user(c).ID)
	api.answerEditing(c, a.ID, err)
}

// answerEditing answers a working copy step on story id that ended with
// err: the story as an editor works on it, or the problem (a conflict
// carries that state as "current").
func (api *API) answerEditing(c *gin.Context, id string, err error) {
	ctx := c.Request.Context()
	var locked *content.LockedError
	if err != nil && (content.ErrorCode(err) != content.ECONFLICT || errors.As(err, &locked)) {
		api.problem(c, err)
		return
	}
	view, verr := api.editingView(ctx, id)
	switch {
	case err != nil && verr == nil:
		api.problemWith(c, err, view)
	case err != nil:
		api.problem(c, err)
	case verr != nil:
		api.problem(c, verr)
	default:
		c.JSON(http.StatusOK, view)
	}
}

// optionalBody decodes a small JSON body, if any, strictly into v. On
// failure it has answered.
func (api *API) optionalBody(c *gin.Context, v any) bool {
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody))
	if err != nil {
		api.problem(c, jsonError(err))
		return false
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := decodeStrict(bytes.NewReader(raw), v); err != nil {
			api.problem(c, err)
			return false
		}
	}
	return true
}

// editFields returns each editable field of e as JSON, by its API name;
// what reads add to photos (thumbnails) is left out.
func editFields(e content.Edit) map[string]json.RawMessage {
	e.Photos = append([]content.Photo(nil), e.Photos...)
	for i := range e.Photos {
		e.Photos[i].Thumbnail = ""
	}
	b, _ := json.Marshal(e) // an Edit always encodes
	var out map[string]json.RawMessage
	_ = json.Unmarshal(b, &out)
	return out
}
