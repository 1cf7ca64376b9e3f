package admin

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
)

// articleJSON is a whole story as the admin API shows it: the editable
// state (what a save sends back) plus workflow state and derived fields.
type articleJSON struct {
	ID string `json:"id"`
	content.Edit
	Status         content.Status       `json:"status"`
	Version        int                  `json:"version"`
	CreatedBy      string               `json:"created_by"`
	Authors        []content.Author     `json:"authors"`
	PublishAt      *time.Time           `json:"publish_at"`
	UnpublishAt    *time.Time           `json:"unpublish_at"`
	PublishedAt    *time.Time           `json:"published_at"`
	UpdatedAt      time.Time            `json:"updated_at"`
	CreatedAt      time.Time            `json:"created_at"`
	Corrections    []content.Correction `json:"corrections"`
	WordCount      int                  `json:"word_count"`
	ReadingMinutes int                  `json:"reading_minutes"`
	BodyHTML       string               `json:"body_html"`
	// NeedsCredit says a photo lacks the credit or alt text publishing
	// requires (an imported story waits for one as a draft).
	NeedsCredit bool `json:"needs_credit"`
	// Lock says who is editing the story right now, if anyone.
	Lock *content.EditLock `json:"lock,omitempty"`
	// LiveVersion is the version of the story itself (what readers see,
	// for a published story); WorkingCopy, when not null, says the editable
	// state and version above are the live story's unpublished changes
	// (see workingcopy.go).
	LiveVersion int              `json:"live_version"`
	WorkingCopy *workingCopyMeta `json:"working_copy"`
}

func toJSON(a *content.Article) *articleJSON {
	return &articleJSON{
		ID: a.ID, Edit: a.Edit, Status: a.Status, Version: a.Version, CreatedBy: a.CreatedBy,
		Authors: a.Authors, PublishAt: a.PublishAt, UnpublishAt: a.UnpublishAt, PublishedAt: a.PublishedAt,
		UpdatedAt: a.UpdatedAt, CreatedAt: a.CreatedAt, Corrections: a.Corrections,
		WordCount: a.WordCount, ReadingMinutes: a.ReadingMinutes, BodyHTML: a.HTML, NeedsCredit: a.Edit.NeedsCredit(),
	}
}

// articleSummary is a list item: no body.
type articleSummary struct {
	ID          string         `json:"id"`
	Slug        string         `json:"slug"`
	Headline    string         `json:"headline"`
	Standfirst  string         `json:"standfirst"`
	Byline      string         `json:"byline"`
	Tags        []string       `json:"tags"`
	Status      content.Status `json:"status"`
	Version     int            `json:"version"`
	Featured    bool           `json:"featured"`
	CreatedBy   string         `json:"created_by"`
	PublishAt   *time.Time     `json:"publish_at"`
	UnpublishAt *time.Time     `json:"unpublish_at"`
	PublishedAt *time.Time     `json:"published_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	CreatedAt   time.Time      `json:"created_at"`
	// UnpublishedChanges: the story is live and has a working copy.
	UnpublishedChanges bool `json:"unpublished_changes"`
}

type articleList struct {
	Articles []articleSummary `json:"articles"`
	Meta     listMeta         `json:"meta"`
}

type listMeta struct {
	Limit      int    `json:"limit"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// handleArticleList serves GET /articles: stories in every status, most
// recently updated first, filtered by status, tag, author and q (a
// headline search), paged with an opaque cursor.
func (api *API) handleArticleList(c *gin.Context) {
	f, err := parseListQuery(c.Request.URL.Query())
	if err != nil {
		api.problem(c, err)
		return
	}
	if f.Deleted && !user(c).Role.AtLeast(auth.RoleEditor) {
		api.problem(c, forbid("only editors can list deleted stories"))
		return
	}
	limit := f.Limit
	f.Limit++ // one more tells whether there is a next page
	as, err := api.Articles.Articles(c.Request.Context(), f)
	if err != nil {
		api.problem(c, err)
		return
	}
	pending, err := api.Articles.WithWorkingCopies(c.Request.Context(), articleIDs(as))
	if err != nil {
		api.problem(c, err)
		return
	}
	out := articleList{Articles: make([]articleSummary, 0, min(len(as), limit)), Meta: listMeta{Limit: limit}}
	for i, a := range as {
		if i == limit {
			last := as[limit-1]
			out.Meta.NextCursor = content.Cursor{Time: last.UpdatedAt, ID: last.ID}.Encode()
			break
		}
		out.Articles = append(out.Articles, articleSummary{
			ID: a.ID, Slug: a.Slug, Headline: a.Headline, Standfirst: a.Standfirst, Byline: a.Byline,
			Tags: a.Edit.Tags, Status: a.Status, Version: a.Version, Featured: a.Featured, CreatedBy: a.CreatedBy,
			PublishAt: a.PublishAt, UnpublishAt: a.UnpublishAt, PublishedAt: a.PublishedAt,
			UpdatedAt: a.UpdatedAt, CreatedAt: a.CreatedAt, UnpublishedChanges: pending[a.ID],
		})
	}
	c.JSON(http.StatusOK, out)
}

// articleIDs returns the ids of as.
func articleIDs(as []*content.Article) []string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}

// listParams are the query parameters GET /articles accepts.
var listParams = map[string]bool{"status": true, "tag": true, "author": true, "q": true, "limit": true, "cursor": true, "deleted": true}

// parseListQuery turns the query string into a filter. Unknown parameters
// and bad values are validation errors naming the parameter.
func parseListQuery(q url.Values) (content.ArticleFilter, error) {
	f := content.ArticleFilter{Sort: content.SortUpdated, Limit: content.DefaultLimit}
	var p content.Problems
	var unknown []string
	for k := range q {
		if !listParams[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		p.Add(k, "is not a parameter of this endpoint")
	}
	for _, v := range splitValues(q["status"]) {
		if st := content.Status(v); st.Valid() {
			f.Statuses = append(f.Statuses, st)
		} else {
			p.Add("status", "%q is not a status (draft, in_review, scheduled, published, unpublished)", v)
		}
	}
	for _, v := range splitValues(q["tag"]) {
		if content.ValidSlug(v) {
			f.Tags = append(f.Tags, v)
		} else {
			p.Add("tag", "%q is not a tag slug", v)
		}
	}
	if v := q.Get("author"); v != "" {
		if !content.ValidSlug(v) {
			p.Add("author", "%q is not an author slug", v)
		}
		f.Author = v
	}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		if len(v) > 200 {
			p.Add("q", "must be at most 200 bytes")
		}
		f.HeadlineContains = v
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || content.CheckLimit(n) != nil {
			p.Add("limit", "must be a whole number between 1 and %d", content.MaxLimit)
		} else {
			f.Limit = n
		}
	}
	if v := q.Get("cursor"); v != "" {
		cur, err := content.DecodeCursor(v)
		if err != nil {
			p.Add("cursor", "is not a cursor this API issued")
		} else {
			f.After = &cur
		}
	}
	switch q.Get("deleted") {
	case "", "false":
	case "true":
		f.Deleted = true
	default:
		p.Add("deleted", "must be true or false")
	}
	return f, p.Err()
}

// splitValues splits repeated and comma-separated query values.
func splitValues(vs []string) []string {
	var out []string
	for _, raw := range vs {
		for _, v := range strings.Split(raw, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// handleArticleGet serves GET /articles/:id: the whole story as an editor
// works on it (a live story's working copy, if it has one) and who is
// editing it.
func (api *API) handleArticleGet(c *gin.Context) {
	a, ok := api.story(c, content.ActView)
	if !ok {
		return
	}
	wc, err := api.workingCopy(c.Request.Context(), a)
	if err != nil {
		api.problem(c, err)
		return
	}
	out := editing(a, wc)
	if l, err := api.Locks.Lock(c.Request.Context(), a.ID); err == nil {
		out.Lock = &l
	} else if !errors.Is(err, content.ErrNotFound) {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// handleArticleCreate serves POST /articles: a new draft owned by the user.
func (api *API) handleArticleCreate(c *gin.Context) {
	var e content.Edit
	if err := decodeJSON(c, &e); err != nil {
		api.problem(c, err)
		return
	}
	a, err := api.Articles.CreateArticle(c.Request.Context(), e, user(c).ID)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.Header("Location", c.FullPath()+"/"+a.ID)
	c.JSON(http.StatusCreated, editing(a, nil))
}

// updateBody is a save: the version it is based on, the whole editable
// state, whether the editor saved by itself (autosave; its revision may
// replace the previous autosave's, see README "Revisions"), and for a
// published or scheduled story whether the save is the Update itself
// (update: save and publish at once) with an optional correction note;
// without update such a save goes to the story's working copy.
type updateBody struct {
	Version    *int   `json:"version"`
	Correction string `json:"correction"`
	Autosave   bool   `json:"autosave"`
	Update     bool   `json:"update"`
	content.Edit
}

// handleArticleUpdate serves PUT /articles/:id: the whole editable state
// (a field left out is a 400 naming it; PATCH changes some fields, see
// articles_patch.go). A stale version is a 409 whose body carries the
// current story as "current"; a live edit lock of someone else is a 409
// whose body carries the lock.
func (api *API) handleArticleUpdate(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		api.problem(c, err)
		return
	}
	raw, err := readJSONBody(c)
	if err != nil {
		api.problem(c, err)
		return
	}
	var body updateBody
	if err := decodeBytes(raw, &body); err != nil {
		api.problem(c, err)
		return
	}
	if body.Version == nil {
		api.problem(c, invalid("version", "is required: send the version your edit is based on"))
		return
	}
	if err := missingFields(raw); err != nil {
		api.problem(c, err)
		return
	}
	a, ok := api.storyByID(c, id, content.ActEdit)
	if !ok {
		return
	}
	if !api.mayUpdate(c, a, body.Update) {
		return
	}
	api.save(c, a, content.Save{Version: *body.Version, Edit: body.Edit, Correction: body.Correction, By: user(c).ID,
		Statuses: []content.Status{a.Status}, Autosave: body.Autosave, Update: body.Update})
}

// mayUpdate checks, for a save that is the Update itself (update), that
// the user may update story a; on failure it has answered.
func (api *API) mayUpdate(c *gin.Context, a *content.Article, update bool) bool {
	if !update {
		return true
	}
	u := user(c)
	if err := content.Permit(u.Role, content.ActUpdate, a.OwnedBy(u.ID), a.Status); err != nil {
		api.problem(c, err)
		return false
	}
	return true
}

// save stores s on story a and answers with the saved story as an editor
// works on it (a live story's working copy), or with the problem (a
// version conflict carries that current state).
func (api *API) save(c *gin.Context, a *content.Article, s content.Save) {
	ctx := c.Request.Context()
	_, err := api.Articles.UpdateArticle(ctx, a.ID, s)
	api.answerEditing(c, a.ID, err)
}

// handleArticleDelete serves DELETE /articles/:id (editors): a soft delete.
func (api *API) handleArticleDelete(c *gin.Context) {
	a, ok := api.story(c, content.ActDelete)
	if !ok {
		return
	}
	if err := api.Articles.DeleteArticle(c.Request.Context(), a.ID, user(c).ID); err != nil {
		api.problem(c, err)
		return
	}
	noContent(c)
}

// story loads the story named by the :id parameter and checks that the
// user may do act to it; on failure it has answered and returns false.
func (api *API) story(c *gin.Context, act content.Action) (*content.Article, bool) {
	id, err := pathID(c, "id")
	if err != nil {
		api.problem(c, err)
		return nil, false
	}
	return api.storyByID(c, id, act)
}

func (api *API) storyByID(c *gin.Context, id string, act content.Action) (*content.Article, bool) {
	a, err := api.Articles.Article(c.Request.Context(), content.ArticleFilter{ID: &id})
	if err != nil {
		api.problem(c, err)
		return nil, false
	}
	u := user(c)
	if err := content.Permit(u.Role, act, a.OwnedBy(u.ID), a.Status); err != nil {
		api.problem(c, err)
		return nil, false
	}
	return a, true
}
