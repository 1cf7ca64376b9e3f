package admin

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
)

type listData struct {
	Error    string
	Rows     []listRow
	Tags     []content.Tag
	Authors  []auth.User
	Status   string
	Tag      string
	Author   string
	Q        string
	Statuses []content.Status
	Next     string
}

type listRow struct {
	A      *content.Article
	Editor string // who holds a live edit lock, if anyone
	Mine   bool   // the lock is the user's own
	// Pending: the story is live and has unpublished changes (a working copy).
	Pending bool
	// Note is why a draft was sent back from review, and Live where
	// readers find a published story (ui_list.go).
	Note *content.ReviewNote
	Live string
	// SendBack: the user may send this story in review back to its
	// author, with a reason.
	SendBack bool
}

func (ui *UI) handleLogin(c *gin.Context) {
	next := c.Query("next")
	if !strings.HasPrefix(next, "/admin") || strings.HasPrefix(next, "//") {
		next = "/admin"
	}
	renew := ""
	if ck, err := c.Request.Cookie(renewCookie); err == nil && ck.Value != "" {
		renew = "1"
	}
	ui.render(c, "login", "Log in", "", map[string]string{"Next": next, "Renew": renew})
}

func (ui *UI) handleSetup(c *gin.Context) {
	ui.render(c, "setup", "Create the first admin", "", map[string]string{"Token": c.Query("token")})
}

// handleList shows the stories, most recently changed first, with filters
// and "show more" paging.
func (ui *UI) handleList(c *gin.Context) {
	ctx := c.Request.Context()
	q := c.Request.URL.Query()
	d := listData{Status: q.Get("status"), Tag: q.Get("tag"), Author: q.Get("author"), Q: strings.TrimSpace(q.Get("q")), Statuses: content.Statuses}
	f := content.ArticleFilter{Sort: content.SortUpdated, Limit: 25}
	if d.Status != "" {
		st := content.Status(d.Status)
		if !st.Valid() {
			d.Error = "Unknown status filter; showing every status."
			d.Status = ""
		} else {
			f.Statuses = []content.Status{st}
		}
	}
	if d.Tag != "" && content.ValidSlug(d.Tag) {
		f.Tags = []string{d.Tag}
	}
	if d.Author != "" && content.ValidSlug(d.Author) {
		f.Author = d.Author
	}
	if d.Q != "" {
		f.HeadlineContains = d.Q
	}
	if cur := q.Get("cursor"); cur != "" {
		if after, err := content.DecodeCursor(cur); err == nil {
			f.After = &after
		}
	}
	f.Limit++
	as, err := ui.Store.Articles(ctx, f)
	if err != nil {
		ui.fail(c, err)
		return
	}
	if len(as) == f.Limit {
		as = as[:f.Limit-1]
		last := as[len(as)-1]
		v := url.Values{}
		for k, vs := range q {
			if k != "cursor" {
				v[k] = vs
			}
		}
		v.Set("cursor", content.Cursor{Time: last.UpdatedAt, ID: last.ID}.Encode())
		d.Next = "/admin?" + v.Encode()
	}
	me, _ := authgin.UserFrom(c)
	pending, err := ui.Store.WithWorkingCopies(ctx, articleIDs(as))
	if err != nil {
		ui.fail(c, err)
		return
	}
	for _, a := range as {
		row := listRow{A: a, Pending: pending[a.ID]}
		if l, err := ui.Store.Lock(ctx, a.ID); err == nil {
			row.Editor, row.Mine = l.UserName, l.UserID == me.ID
		}
		d.Rows = append(d.Rows, row)
	}
	ui.decorate(ctx, me, d.Rows)
	d.Tags, _ = ui.Store.Tags(ctx, content.TagFilter{})
	d.Authors, _ = ui.Store.Users(ctx)
	ui.render(c, "list", "Stories", "stories", d)
}

type editorData struct {
	New      bool
	Actions  string // JSON list of the workflow steps the user may take now
	TakeOver bool   // the user may take over someone else's edit lock
	A        *content.Article
	State    template.JS // the story as the admin API shows it, for the script
	Tags     []content.Tag
	Stories  []*content.Article // for internal related links
	Authors  []auth.User
	// Backdate offers "publish as of" a past time: editors and admins, on
	// a story never published. AsOf names who set the time, when it was.
	Backdate bool
	AsOf     string
	// Live: the story is published or scheduled, so saves go to its
	// working copy; Pending: it has unpublished changes. MayUpdate,
	// MayDiscard and MaySubmit say which working copy buttons the user
	// gets (the server checks again).
	Live, Pending                    bool
	MayUpdate, MayDiscard, MaySubmit bool
	LiveVersion                      int
}

func (ui *UI) handleNew(c *gin.Context) {
	ui.editor(c, &content.Article{Edit: content.Edit{Dateline: content.Dateline{TimeZone: ui.Zone.String()}}, Status: content.StatusDraft}, true)
}

func (ui *UI) handleEditor(c *gin.Context) {
	id := c.Param("id")
	a, err := ui.Store.Article(c.Request.Context(), content.ArticleFilter{ID: &id})
	if err != nil {
		ui.fail(c, err)
		return
	}
	ui.editor(c, a, false)
}

// pending returns the working copy of story a, or nil.
func (ui *UI) pending(ctx context.Context, a *content.Article) (*content.WorkingCopy, error) {
	if a.ID == "" {
		return nil, nil
	}
	wc, err := ui.Store.WorkingCopy(ctx, a.ID)
	if errors.Is(err, content.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &wc, nil
}

func (ui *UI) editor(c *gin.Context, a *content.Article, isNew bool) {
	ctx := c.Request.Context()
	wc, err := ui.pending(ctx, a)
	if err != nil {
		ui.fail(c, err)
		return
	}
	live := a
	state := editing(a, wc)
	if wc != nil {
		a = overlay(a, wc) // the form shows the working copy
	}
	if !isNew {
		if l, err := ui.Store.Lock(ctx, a.ID); err == nil {
			state.Lock = &l
		}
	}
	b, err := json.Marshal(state)
	if err != nil {
		ui.fail(c, err)
		return
	}
	d := editorData{New: isNew, A: a, State: template.JS(b), LiveVersion: live.Version, Pending: wc != nil,
		Live: !isNew && (a.Status == content.StatusPublished || a.Status == content.StatusScheduled)}
	u, _ := authgin.UserFrom(c)
	own := a.OwnedBy(u.ID)
	d.MayUpdate = content.Permit(u.Role, content.ActUpdate, own, a.Status) == nil
	d.MayDiscard = content.Permit(u.Role, content.ActDiscard, own, a.Status) == nil
	d.MaySubmit = !d.MayUpdate && content.Permit(u.Role, content.ActSubmitChanges, own, a.Status) == nil
	d.Actions, d.TakeOver = allowedSteps(u, a)
	d.Backdate, d.AsOf = ui.backdating(ctx, u, a, isNew)
	d.Tags, _ = ui.Store.Tags(ctx, content.TagFilter{})
	d.Stories, _ = ui.Store.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 100})
	d.Authors, _ = ui.Store.Users(ctx)
	title := "New story"
	if !isNew {
		title = a.Headline
	}
	ui.render(c, "editor", title, "stories", d)
}

type revisionsData struct {
	A         *content.Article // with its working copy's version, if it has one
	Revisions []content.Revision
	Diff      []diffLine
	From, To  int
	Live      int // the version readers see (of a published story), when it has a working copy
}

// handleRevisions lists a story's revisions and shows the difference of
// one revision's body to the one before it (or to ?to=N).
func (ui *UI) handleRevisions(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	a, err := ui.Store.Article(ctx, content.ArticleFilter{ID: &id})
	if err != nil {
		ui.fail(c, err)
		return
	}
	revs, err := ui.Store.Revisions(ctx, id)
	if err != nil {
		ui.fail(c, err)
		return
	}
	d := revisionsData{A: a, Revisions: revs}
	wc, err := ui.pending(ctx, a)
	if err != nil {
		ui.fail(c, err)
		return
	}
	if wc != nil {
		d.A, d.Live = overlay(a, wc), a.Version // a restore is based on the working copy
	}
	if len(revs) > 0 {
		to, err := strconv.Atoi(c.Query("version"))
		if err != nil {
			to = revs[0].Version // the newest, when none (or garbage) is asked for
		}
		d.To = to
		var cur, prev *content.Revision
		for i := range revs {
			if revs[i].Version == to {
				cur = &revs[i]
				if i+1 < len(revs) {
					prev = &revs[i+1]
				}
			}
		}
		if cur != nil {
			before := ""
			if prev != nil {
				before = revisionText(prev.Edit)
				d.From = prev.Version
			}
			d.Diff = diffLines(before, revisionText(cur.Edit))
		}
	}
	ui.render(c, "revisions", "Revisions of "+a.Headline, "stories", d)
}

// revisionText is the readable form of an edit that diffs compare.
func revisionText(e content.Edit) string {
	var b strings.Builder
	b.WriteString("Headline: " + e.Headline + "\n")
	b.WriteString("Standfirst: " + e.Standfirst + "\n")
	b.WriteString("Dateline: " + e.Dateline.Place + " (" + e.Dateline.TimeZone + ")\n")
	b.WriteString("Tags: " + strings.Join(e.Tags, ", ") + "\n")
	for i, p := range e.Photos {
		b.WriteString("Photo " + strconv.Itoa(i+1) + ": " + p.URL + " | " + p.Caption + " | " + p.Credit + " | " + p.Alt + "\n")
	}
	for _, l := range e.Links {
		b.WriteString("Link (" + string(l.Kind) + "): " + l.Title + " " + l.URL + l.ArticleID + "\n")
	}
	b.WriteString("\n" + e.Body + "\n")
	return b.String()
}

func (ui *UI) handleTags(c *gin.Context) {
	tags, err := ui.Store.Tags(c.Request.Context(), content.TagFilter{})
	if err != nil {
		ui.fail(c, err)
		return
	}
	ui.render(c, "tags", "Tags", "tags", tags)
}

func (ui *UI) handleSchedule(c *gin.Context) {
	if ui.Schedule == nil {
		ui.fail(c, content.Errorf(content.EUNAVAILABLE, "The scheduler is not running in this process, so its health cannot be shown."))
		return
	}
	h, err := ui.Schedule.Health(c.Request.Context())
	if err != nil {
		ui.fail(c, err)
		return
	}
	ui.render(c, "schedule", "Schedule", "schedule", h)
}

func (ui *UI) handleUsers(c *gin.Context) {
	u, _ := authgin.UserFrom(c)
	if !u.Role.AtLeast(auth.RoleEditor) {
		ui.fail(c, content.Errorf(content.EFORBIDDEN, "Only editors and admins can manage users."))
		return
	}
	users, err := ui.Store.Users(c.Request.Context())
	if err != nil {
		ui.fail(c, err)
		return
	}
	ui.render(c, "users", "Users", "users", map[string]any{"Users": users, "Roles": content.Roles()})
}

// allowedSteps lists the workflow steps u may take on a in its status, as
// JSON for the editor's buttons, and whether u may take over its lock. The
// server checks each step again when it is taken.
func allowedSteps(u auth.User, a *content.Article) (string, bool) {
	own := a.ID == "" || a.OwnedBy(u.ID)
	steps := []content.Action{}
	for _, tr := range content.Transitions() {
		if slices.Contains(tr.From, a.Status) && content.Permit(u.Role, tr.Action, own, a.Status) == nil {
			steps = append(steps, tr.Action)
		}
	}
	b, _ := json.Marshal(steps)
	return string(b), content.Permit(u.Role, content.ActTakeOver, own, a.Status) == nil
}
