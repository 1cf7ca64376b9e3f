package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dateline/admin"
	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
)

// newPagesEnv is newEnv with a 30-day Trash and two settings lines.
func newPagesEnv(t *testing.T) *env {
	t.Helper()
	return newEnvFor(t, func(o *admin.HandlerOptions) {
		o.TrashDays = 30
		o.ArticleURL = "https://www.harbour.example/news/{slug}"
		o.Settings = []admin.Setting{
			{Key: "site_name", Label: "Site name", Value: "The Harbour Gazette", Source: "config file config.yaml", Env: "DATELINE_SITE_NAME"},
			{Key: "time_zone", Label: "Time zone", Value: "Europe/Moscow", Source: "environment DATELINE_TIME_ZONE", Env: "DATELINE_TIME_ZONE"},
		}
	})
}

// page requests an admin page as user u with u's session cookie.
func (e *env) page(t *testing.T, u auth.User, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(&http.Cookie{Name: authgin.AccessCookie, Value: e.tokens[u.ID]})
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}

// publish publishes story a as u through the API.
func (e *env) publish(t *testing.T, u auth.User, a article) {
	t.Helper()
	if w := e.do(t, u, "POST", "/articles/"+a.ID+"/publish", nil); w.Code != http.StatusOK {
		t.Fatalf("publish %s: %d %s", a.Headline, w.Code, w.Body)
	}
}

func TestTheTrash(t *testing.T) {
	e := newPagesEnv(t)
	ctx := context.Background()
	ed, au := e.role[auth.RoleEditor], e.role[auth.RoleAuthor]
	live := e.create(t, au, storyEdit("Pier closes"))
	e.publish(t, au, live)
	draft := e.create(t, au, storyEdit("Pier draft"))

	type trashList struct {
		Stories []content.TrashedStory `json:"stories"`
		Days    int                    `json:"trash_days"`
	}
	t.Run("an author cannot delete, list, restore or purge", func(t *testing.T) {
		wantProblem(t, e.do(t, au, "DELETE", "/articles/"+draft.ID, nil), http.StatusForbidden, "")
		wantProblem(t, e.do(t, au, "GET", "/trash", nil), http.StatusForbidden, "")
		wantProblem(t, e.do(t, au, "POST", "/trash/"+draft.ID+"/restore", nil), http.StatusForbidden, "")
		wantProblem(t, e.do(t, au, "DELETE", "/trash/"+draft.ID, nil), http.StatusForbidden, "")
	})
	t.Run("an editor's delete takes a published story out of the public reads into the Trash", func(t *testing.T) {
		before, _ := e.db.Events(ctx, content.EventFilter{Limit: 1000})
		if w := e.do(t, ed, "DELETE", "/articles/"+live.ID, nil); w.Code != http.StatusNoContent {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		slug := live.Slug
		if _, err := e.db.Article(ctx, content.ArticleFilter{Slug: &slug, Statuses: []content.Status{content.StatusPublished}}); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("the deleted story is still public: %v", err)
		}
		after, _ := e.db.Events(ctx, content.EventFilter{Limit: 1000})
		if len(after) != len(before)+1 || after[len(after)-1].Type != content.EventUnpublished {
			t.Errorf("events after the delete: %+v", after[len(before):])
		}
		got := decode[trashList](t, e.do(t, ed, "GET", "/trash", nil))
		if len(got.Stories) != 1 || got.Days != 30 {
			t.Fatalf("trash = %+v", got)
		}
		s := got.Stories[0]
		if s.ID != live.ID || s.DeletedBy != ed.ID || s.DeletedName != "Edda Editor" || s.Status != content.StatusPublished ||
			!s.PurgeAt.Equal(s.DeletedAt.Add(30*24*time.Hour)) {
			t.Errorf("trashed story = %+v", s)
		}
		wantProblem(t, e.do(t, ed, "GET", "/articles/"+live.ID, nil), http.StatusNotFound, "")
	})
	t.Run("a restore brings a published story back withdrawn", func(t *testing.T) {
		wantProblem(t, e.do(t, ed, "POST", "/trash/not-an-id/restore", nil), http.StatusBadRequest, "id")
		wantProblem(t, e.do(t, ed, "POST", "/trash/"+draft.ID+"/restore", nil), http.StatusNotFound, "") // not deleted
		w := e.do(t, ed, "POST", "/trash/"+live.ID+"/restore", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		if got := decode[article](t, w); got.Status != content.StatusUnpublished || got.PublishedAt == nil {
			t.Errorf("restored = %+v, want withdrawn keeping published_at", got)
		}
		wantProblem(t, e.do(t, ed, "POST", "/trash/"+live.ID+"/restore", nil), http.StatusNotFound, "")
	})
	t.Run("a purge removes a deleted story for good and never a live one", func(t *testing.T) {
		wantProblem(t, e.do(t, ed, "DELETE", "/trash/"+draft.ID, nil), http.StatusNotFound, "")
		if w := e.do(t, ed, "DELETE", "/articles/"+draft.ID, nil); w.Code != http.StatusNoContent {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		if w := e.do(t, ed, "DELETE", "/trash/"+draft.ID, nil); w.Code != http.StatusNoContent {
			t.Fatalf("purge: %d %s", w.Code, w.Body)
		}
		if got := decode[trashList](t, e.do(t, ed, "GET", "/trash", nil)); len(got.Stories) != 0 {
			t.Errorf("trash after purge = %+v", got.Stories)
		}
		wantProblem(t, e.do(t, ed, "POST", "/trash/"+draft.ID+"/restore", nil), http.StatusNotFound, "")
	})
	t.Run("the Trash page is for editors and shows who deleted what", func(t *testing.T) {
		x := e.create(t, au, storyEdit("Ferry timetable"))
		if w := e.do(t, ed, "DELETE", "/articles/"+x.ID, nil); w.Code != http.StatusNoContent {
			t.Fatal(w.Code)
		}
		w := e.page(t, ed, "/admin/trash")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Ferry timetable") || !strings.Contains(w.Body.String(), "by Edda Editor") {
			t.Errorf("trash page: %d %s", w.Code, w.Body)
		}
		if w := e.page(t, au, "/admin/trash"); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Not allowed") {
			t.Errorf("an author's trash page: %d", w.Code)
		}
	})
	t.Run("a Trash of more than a page pages, in the API and on the page", func(t *testing.T) {
		const trashPage = 100 // the Trash's page size
		for i := range trashPage + 5 {
			x := e.create(t, au, storyEdit(fmt.Sprintf("Old notice %d", i)))
			if w := e.do(t, ed, "DELETE", "/articles/"+x.ID, nil); w.Code != http.StatusNoContent {
				t.Fatal(w.Code)
			}
		}
		type page struct {
			Stories []content.TrashedStory `json:"stories"`
			Next    string                 `json:"next_cursor"`
		}
		first := decode[page](t, e.do(t, ed, "GET", "/trash", nil))
		if len(first.Stories) != trashPage || first.Next == "" {
			t.Fatalf("first page: %d stories, next %q", len(first.Stories), first.Next)
		}
		second := decode[page](t, e.do(t, ed, "GET", "/trash?cursor="+first.Next, nil))
		if len(second.Stories) != 6 || second.Next != "" { // five more and the ferry timetable
			t.Fatalf("second page: %d stories, next %q", len(second.Stories), second.Next)
		}
		seen := map[string]bool{}
		for _, s := range append(first.Stories, second.Stories...) {
			if seen[s.ID] {
				t.Errorf("%s is on both pages", s.Headline)
			}
			seen[s.ID] = true
		}
		wantProblem(t, e.do(t, ed, "GET", "/trash?cursor=not-a-cursor", nil), http.StatusBadRequest, "cursor")

		w := e.page(t, ed, "/admin/trash")
		if !strings.Contains(w.Body.String(), `id="trash-next" href="/admin/trash?cursor=`+first.Next+`"`) {
			t.Errorf("the first page has no link to the next: %s", w.Body)
		}
		w = e.page(t, ed, "/admin/trash?cursor="+first.Next)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Ferry timetable") || strings.Contains(w.Body.String(), `id="trash-next"`) ||
			!strings.Contains(w.Body.String(), `href="/admin/trash">Most recently deleted`) {
			t.Errorf("the last page: %d %s", w.Code, w.Body)
		}
		if w := e.page(t, ed, "/admin/trash?cursor=not-a-cursor"); w.Code != http.StatusBadRequest {
			t.Errorf("a bad cursor on the page: %d", w.Code)
		}
	})
}

func TestRetryingAFailedDelivery(t *testing.T) {
	e, db := hookRouter(t)
	ctx := context.Background()
	rec := call(t, e, "admin", "POST", "/api/admin/v1/webhooks", `{"url":"https://hooks.example.org/in"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	hook := decode[content.Webhook](t, rec)
	d, err := db.QueueTestDelivery(ctx, hook.ID)
	if err != nil {
		t.Fatal(err)
	}
	base := "/api/admin/v1/webhooks/" + hook.ID + "/deliveries/"
	wantProblem(t, call(t, e, "admin", "POST", base+d.ID+"/retry", ""), http.StatusConflict, "") // still pending
	// The dispatcher's path: claim it, fail it for good.
	claimed, err := db.ClaimDeliveries(ctx, time.Now().Add(time.Second), time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	if err := db.FinishDelivery(ctx, d.ID, content.Attempt{At: time.Now(), StatusCode: 500, Err: "HTTP 500"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, role, target string
		status             int
		field              string
	}{
		{"an editor cannot retry", "editor", base + d.ID + "/retry", http.StatusForbidden, ""},
		{"a malformed delivery id is refused", "admin", base + "nope/retry", http.StatusBadRequest, "delivery"},
		{"an unknown delivery is not found", "admin", base + "msg_0123456789abcdef0123456789abcdef/retry", http.StatusNotFound, ""},
		{"another hook's delivery is not found", "admin", "/api/admin/v1/webhooks/0190a000-0000-7000-8000-000000000001/deliveries/" + d.ID + "/retry", http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, call(t, e, tc.role, "POST", tc.target, ""), tc.status, tc.field)
		})
	}
	t.Run("a failed delivery is queued again now, with its id and attempts", func(t *testing.T) {
		rec := call(t, e, "admin", "POST", base+d.ID+"/retry", "")
		if rec.Code != http.StatusAccepted {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		got := decode[content.Delivery](t, rec)
		if got.ID != d.ID || got.Status != content.DeliveryPending || got.Attempts != 1 || got.LastStatusCode != 500 {
			t.Errorf("retried = %+v", got)
		}
		again, err := db.ClaimDeliveries(ctx, time.Now().Add(time.Second), time.Minute, 10)
		if err != nil || len(again) != 1 || again[0].ID != d.ID || again[0].Attempts != 2 {
			t.Errorf("the dispatcher's next claim: %+v %v", again, err)
		}
	})
	t.Run("a delivery of a hook turned off is not retried", func(t *testing.T) {
		if err := db.FinishDelivery(ctx, d.ID, content.Attempt{At: time.Now(), StatusCode: 500, Err: "HTTP 500"}); err != nil {
			t.Fatal(err)
		}
		if rec := call(t, e, "admin", "PATCH", "/api/admin/v1/webhooks/"+hook.ID, `{"active":false}`); rec.Code != http.StatusOK {
			t.Fatal(rec.Code)
		}
		p := wantProblem(t, call(t, e, "admin", "POST", base+d.ID+"/retry", ""), http.StatusConflict, "")
		if !strings.Contains(p.Detail, "turned off") {
			t.Errorf("detail %q", p.Detail)
		}
	})
}

func TestDeletingATagWithReassignment(t *testing.T) {
	e := newPagesEnv(t)
	ctx := context.Background()
	ed, au := e.role[auth.RoleEditor], e.role[auth.RoleAuthor]
	s := storyEdit("Count goes on")
	s.Tags = []string{"Elections"}
	pub := e.create(t, au, s)
	e.publish(t, au, pub)
	s2 := storyEdit("Turnout falls")
	s2.Tags = []string{"Voting"}
	e.publish(t, au, e.create(t, au, s2))

	for _, tc := range []struct {
		name, role, target string
		status             int
		field              string
	}{
		{"an author cannot delete tags", "author", "/tags/elections?reassign_to=voting", http.StatusForbidden, ""},
		{"the stories cannot move to the tag itself", "editor", "/tags/elections?reassign_to=elections", http.StatusBadRequest, "reassign_to"},
		{"the stories cannot move to a tag that does not exist", "editor", "/tags/elections?reassign_to=nowhere", http.StatusBadRequest, "reassign_to"},
		{"the target must be a slug", "editor", "/tags/elections?reassign_to=Not%20A%20Slug", http.StatusBadRequest, "reassign_to"},
		{"an unknown tag is not found", "editor", "/tags/nowhere", http.StatusNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, e.do(t, e.role[auth.Role(tc.role)], "DELETE", tc.target, nil), tc.status, tc.field)
		})
	}
	t.Run("a delete with reassign_to moves the stories and tells readers' caches", func(t *testing.T) {
		before, _ := e.db.Events(ctx, content.EventFilter{Limit: 1000})
		w := e.do(t, ed, "DELETE", "/tags/elections?reassign_to=voting", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		if got := decode[tagBody](t, w); got.Slug != "voting" || got.Count != 2 {
			t.Errorf("answer = %+v, want voting with 2 stories", got)
		}
		if got := decode[article](t, e.do(t, ed, "GET", "/articles/"+pub.ID, nil)); strings.Join(got.Tags, ",") != "Voting" {
			t.Errorf("the story's tags = %q", got.Tags)
		}
		public, err := e.db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Tags: []string{"voting"}})
		if err != nil || len(public) != 2 {
			t.Errorf("public stories tagged voting: %d (%v)", len(public), err)
		}
		after, _ := e.db.Events(ctx, content.EventFilter{Limit: 1000})
		var kinds []string
		for _, ev := range after[len(before):] {
			kinds = append(kinds, ev.Type+":"+ev.Slug)
		}
		got := strings.Join(kinds, " ")
		for _, want := range []string{content.EventTagDeleted + ":elections", content.EventUpdated + ":" + pub.Slug} {
			if !strings.Contains(got, want) {
				t.Errorf("events %s lack %s", got, want)
			}
		}
	})
	t.Run("a plain delete takes the tag off its stories", func(t *testing.T) {
		if w := e.do(t, ed, "DELETE", "/tags/voting", nil); w.Code != http.StatusNoContent {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		if got := decode[article](t, e.do(t, ed, "GET", "/articles/"+pub.ID, nil)); len(got.Tags) != 0 {
			t.Errorf("tags = %q", got.Tags)
		}
	})
}

func TestSendingAStoryBackWithAReason(t *testing.T) {
	e := newPagesEnv(t)
	co, ed := e.role[auth.RoleContributor], e.role[auth.RoleEditor]
	a := e.create(t, co, storyEdit("Harbour dredging"))
	if w := e.do(t, co, "POST", "/articles/"+a.ID+"/submit", nil); w.Code != http.StatusOK {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	wantProblem(t, e.do(t, ed, "POST", "/articles/"+a.ID+"/approve", map[string]string{"reason": "fine"}), http.StatusBadRequest, "reason")
	wantProblem(t, e.do(t, ed, "POST", "/articles/"+a.ID+"/reject", map[string]string{"reason": strings.Repeat("x", 1001)}), http.StatusBadRequest, "reason")
	if w := e.do(t, ed, "POST", "/articles/"+a.ID+"/reject", map[string]string{"reason": "Who paid for the dredging? Add the source."}); w.Code != http.StatusOK {
		t.Fatalf("reject: %d %s", w.Code, w.Body)
	}
	notes := decode[struct{ Notes []content.ReviewNote }](t, e.do(t, co, "GET", "/articles/"+a.ID+"/review-notes", nil)).Notes
	if len(notes) != 1 || notes[0].Text != "Who paid for the dredging? Add the source." || notes[0].ByName != "Edda Editor" {
		t.Fatalf("notes = %+v", notes)
	}
	w := e.page(t, co, "/admin")
	if !strings.Contains(w.Body.String(), "Sent back by Edda Editor") || !strings.Contains(w.Body.String(), "Who paid for the dredging?") {
		t.Errorf("the author's story list does not show the reason:\n%s", w.Body)
	}
}

func TestAdminPagesAnswerWithTheirStatus(t *testing.T) {
	e := newPagesEnv(t)
	au, ed, adm := e.role[auth.RoleAuthor], e.role[auth.RoleEditor], e.role[auth.RoleAdmin]
	pub := e.create(t, au, storyEdit("Lighthouse relit"))
	e.publish(t, au, pub)
	tests := []struct {
		name     string
		u        auth.User
		path     string
		status   int
		contains []string
		excludes []string
	}{
		{"a missing story is a 404 page, not an empty story list", ed, "/admin/articles/0190a000-0000-7000-8000-000000000009", http.StatusNotFound,
			[]string{"Not found", "does not exist", "Look in the Trash"}, []string{"No stories match"}},
		{"an editor is refused the webhooks page", ed, "/admin/webhooks", http.StatusForbidden, []string{"Not allowed", "Only admins can manage webhooks."}, nil},
		{"an editor is refused the settings page", ed, "/admin/settings", http.StatusForbidden, []string{"Not allowed"}, nil},
		{"an admin sees the webhooks page", adm, "/admin/webhooks", http.StatusOK, []string{"Add a webhook", "article.published", "js/pages.js"}, nil},
		{"an admin sees the settings and where they come from", adm, "/admin/settings", http.StatusOK,
			[]string{"The Harbour Gazette", "config file config.yaml", "environment DATELINE_TIME_ZONE", "read-only"}, nil},
		{"the story list links a published story to its live page", au, "/admin", http.StatusOK,
			[]string{`href="https://www.harbour.example/news/` + pub.Slug + `"`, "View live"}, nil},
		{"the nav shows admins webhooks, settings and the Trash", adm, "/admin", http.StatusOK,
			[]string{`href="/admin/webhooks"`, `href="/admin/settings"`, `href="/admin/trash"`}, nil},
		{"the nav shows authors none of them", au, "/admin", http.StatusOK, nil,
			[]string{`href="/admin/webhooks"`, `href="/admin/settings"`, `href="/admin/trash"`, "story-trash"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := e.page(t, tc.u, tc.path)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			for _, s := range tc.contains {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("the page lacks %q", s)
				}
			}
			for _, s := range tc.excludes {
				if strings.Contains(w.Body.String(), s) {
					t.Errorf("the page shows %q", s)
				}
			}
		})
	}
}
