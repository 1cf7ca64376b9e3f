package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/webhook"
)

// hooks is a webhook receiver that counts what it gets, by event type.
type hooks struct {
	mu    sync.Mutex
	types []string
}

func newHooks(t *testing.T, a *app) *hooks {
	t.Helper()
	hk := &hooks{}
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev struct {
			Type string `json:"type"`
		}
		json.NewDecoder(r.Body).Decode(&ev)
		hk.mu.Lock()
		hk.types = append(hk.types, ev.Type+" "+r.Header.Get(webhook.HeaderID))
		hk.mu.Unlock()
	}))
	t.Cleanup(rcv.Close)
	url := rcv.URL
	if _, err := a.db.CreateWebhook(context.Background(), content.WebhookEdit{URL: &url}); err != nil {
		t.Fatal(err)
	}
	return hk
}

func (hk *hooks) count() int {
	hk.mu.Lock()
	defer hk.mu.Unlock()
	return len(hk.types)
}

// settle waits until the receiver got want deliveries, then a little
// longer for any it should not get.
func (hk *hooks) settle(t *testing.T, want int) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for hk.count() < want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	hk.mu.Lock()
	defer hk.mu.Unlock()
	return slices.Clone(hk.types)
}

// editorState is the part of the admin API's story the tests read.
type editorState struct {
	ID          string `json:"id"`
	Slug        string `json:"slug"`
	Headline    string `json:"headline"`
	Status      string `json:"status"`
	Version     int    `json:"version"`
	LiveVersion int    `json:"live_version"`
	WorkingCopy *struct {
		Version     int    `json:"version"`
		BaseVersion int    `json:"base_version"`
		SubmittedBy string `json:"submitted_by"`
	} `json:"working_copy"`
	Current *editorState `json:"current"`
}

func TestAWorkingCopyThroughTheProductionRouter(t *testing.T) {
	a, srv := newLiveApp(t)
	h := srv.Config.Handler
	hk := newHooks(t, a)
	stop := a.runBackground(context.Background())
	defer stop()
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	addUser(t, a, "arto@example.org", auth.RoleAuthor)
	cora := addUser(t, a, "cora@example.org", auth.RoleContributor)
	ed := login(t, h, "edda@example.org", testPassword).AccessToken
	au := login(t, h, "arto@example.org", testPassword).AccessToken
	co := login(t, h, "cora@example.org", testPassword).AccessToken

	call := func(token, method, path string, body any, want int) editorState {
		t.Helper()
		b, _ := json.Marshal(body)
		if body == nil {
			b = nil
		}
		rec := send(t, h, request{method: method, target: "/api/admin/v1/articles" + path, body: string(b), bearer: token})
		if rec.Code != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, rec.Code, want, rec.Body)
		}
		var out editorState
		json.Unmarshal(rec.Body.Bytes(), &out)
		return out
	}
	story := func(headline string) map[string]any {
		return map[string]any{"headline": headline, "standfirst": "", "dateline": map[string]string{"place": "OSLO"},
			"body": "Trams run.", "byline": "", "author_ids": []string{}, "related_links": []any{}, "tags": []string{},
			"seo": map[string]string{}, "featured": false, "slug": "",
			"photos": []map[string]string{{"url": "https://images.example.org/t.jpg", "caption": "A tram", "credit": "© Ann Lee/Agency", "alt": "A blue tram"}}}
	}
	save := func(version int, headline string, extra map[string]any) map[string]any {
		s := story(headline)
		s["version"] = version
		for k, v := range extra {
			s[k] = v
		}
		return s
	}
	public := func(slug string) string {
		t.Helper()
		var out struct {
			Headline    string `json:"headline"`
			Corrections []struct {
				Text string `json:"text"`
			} `json:"corrections"`
		}
		if code := getJSON(t, srv.URL+"/api/v1/articles/"+slug, &out); code != http.StatusOK {
			t.Fatalf("public read of %s: %d", slug, code)
		}
		if len(out.Corrections) > 0 {
			return out.Headline + " | " + out.Corrections[len(out.Corrections)-1].Text
		}
		return out.Headline
	}

	created := call(ed, "POST", "", story("Tram line opens"), http.StatusCreated)
	id := "/" + created.ID
	live := call(ed, "POST", id+"/publish", nil, http.StatusOK)
	if got := hk.settle(t, 1); len(got) != 1 {
		t.Fatalf("webhooks after publishing: %v, want one", got)
	}
	v := live.Version

	t.Run("an autosave of a live story goes to its working copy and the public API is unchanged", func(t *testing.T) {
		got := call(ed, "PUT", id, save(v, "Tram line opens on Monday", map[string]any{"autosave": true}), http.StatusOK)
		if got.WorkingCopy == nil || got.Version != v+1 || got.LiveVersion != v || got.Headline != "Tram line opens on Monday" || got.Status != "published" {
			t.Fatalf("after the autosave: %+v", got)
		}
		if p := public(live.Slug); p != "Tram line opens" {
			t.Errorf("public headline %q, want the live one", p)
		}
		if got := call(ed, "GET", id, nil, http.StatusOK); got.Version != v+1 || got.Headline != "Tram line opens on Monday" {
			t.Errorf("GET shows %+v, want the working copy", got)
		}
	})
	t.Run("the working copy shows what differs from live", func(t *testing.T) {
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles" + id + "/working-copy", bearer: au})
		var wc struct {
			Version     int      `json:"version"`
			LiveVersion int      `json:"live_version"`
			Changes     []string `json:"changes"`
			Diff        []struct{ Op, Text string }
		}
		decode(t, rec, &wc)
		if rec.Code != http.StatusOK || wc.Version != v+1 || wc.LiveVersion != v || !slices.Equal(wc.Changes, []string{"headline"}) {
			t.Fatalf("working copy: %d %+v", rec.Code, wc)
		}
		if !slices.ContainsFunc(wc.Diff, func(d struct{ Op, Text string }) bool {
			return d.Op == "+" && d.Text == "Headline: Tram line opens on Monday"
		}) {
			t.Errorf("diff %+v lacks the new headline", wc.Diff)
		}
	})
	t.Run("a save naming the live version is a 409 with the working copy as current", func(t *testing.T) {
		got := call(ed, "PUT", id, save(v, "Stale edit", nil), http.StatusConflict)
		if got.Current == nil || got.Current.Version != v+1 || got.Current.WorkingCopy == nil {
			t.Errorf("conflict body %+v", got)
		}
	})
	t.Run("a correction is refused on a save and an Update of a stale version is a 409", func(t *testing.T) {
		call(ed, "PUT", id, save(v+1, "Tram line opens on Monday", map[string]any{"correction": "Wrong day."}), http.StatusBadRequest)
		call(ed, "POST", id+"/update", map[string]any{"version": v}, http.StatusConflict)
	})
	t.Run("roles that may not update get 403", func(t *testing.T) {
		call(au, "POST", id+"/update", map[string]any{"version": v + 1}, http.StatusForbidden) // not the author's story
		call(co, "POST", id+"/update", map[string]any{"version": v + 1}, http.StatusForbidden)
		call(co, "POST", id+"/discard", map[string]any{"version": v + 1}, http.StatusForbidden)
	})
	if got := hk.settle(t, 1); len(got) != 1 {
		t.Fatalf("webhooks after saves of the working copy: %v, want still the one of publishing", got)
	}
	t.Run("Update publishes the working copy with its correction and one webhook", func(t *testing.T) {
		got := call(ed, "POST", id+"/update", map[string]any{"version": v + 1, "correction": "An earlier version gave no day."}, http.StatusOK)
		if got.WorkingCopy != nil || got.Version != v+1 || got.LiveVersion != v+1 {
			t.Fatalf("after Update: %+v", got)
		}
		if p := public(live.Slug); p != "Tram line opens on Monday | An earlier version gave no day." {
			t.Errorf("public after Update: %q", p)
		}
		hooks := hk.settle(t, 2)
		if len(hooks) != 2 || hooks[1][:len(content.EventUpdated)] != content.EventUpdated {
			t.Errorf("webhooks %v, want the publication and one update", hooks)
		}
	})
	t.Run("Discard drops the changes and readers see nothing", func(t *testing.T) {
		call(ed, "PUT", id, save(v+1, "Tram line closes", nil), http.StatusOK)
		got := call(ed, "POST", id+"/discard", map[string]any{"version": v + 2}, http.StatusOK)
		if got.WorkingCopy != nil || got.Headline != "Tram line opens on Monday" || got.Version != v+1 { // the live version
			t.Errorf("after Discard: %+v", got)
		}
		if p := public(live.Slug); p != "Tram line opens on Monday | An earlier version gave no day." {
			t.Errorf("public after Discard: %q", p)
		}
		call(ed, "PUT", id, save(v+2, "Tram line closes", nil), http.StatusConflict) // a tab still on the dropped copy
	})
	t.Run("restoring an old revision of a live story restores into the working copy", func(t *testing.T) {
		got := call(ed, "POST", id+"/revisions/1/restore", nil, http.StatusOK)
		if got.WorkingCopy == nil || got.Headline != "Tram line opens" || got.Version != v+3 { // past the dropped copy
			t.Errorf("after the restore: %+v", got)
		}
		if p := public(live.Slug); p != "Tram line opens on Monday | An earlier version gave no day." {
			t.Errorf("public after the restore: %q", p)
		}
	})
	if got := hk.settle(t, 2); len(got) != 2 {
		t.Errorf("webhooks at the end: %v, want the publication and the one update", got)
	}

	t.Run("a contributor's changes to their own live story are submitted for review, not published", func(t *testing.T) {
		art, err := a.db.CreateArticle(context.Background(), content.Edit{Headline: "Cora's ferry story", Body: "Ferries run.",
			Photos: []content.Photo{{URL: "https://images.example.org/f.jpg", Credit: "© Cora", Alt: "A ferry"}}}, cora.ID)
		if err != nil {
			t.Fatal(err)
		}
		pub := call(ed, "POST", "/"+art.ID+"/publish", nil, http.StatusOK)
		p := "/" + art.ID
		got := call(co, "PUT", p, save(pub.Version, "Cora's ferry story, revised", nil), http.StatusOK)
		if got.WorkingCopy == nil {
			t.Fatalf("the contributor's save: %+v", got)
		}
		call(co, "PUT", p, save(got.Version, "Cora's ferry story, revised", map[string]any{"update": true}), http.StatusForbidden)
		call(co, "POST", p+"/update", map[string]any{"version": got.Version}, http.StatusForbidden)
		sub := call(co, "POST", p+"/working-copy/submit", map[string]any{"version": got.Version}, http.StatusOK)
		if sub.WorkingCopy == nil || sub.WorkingCopy.SubmittedBy != cora.ID {
			t.Errorf("after submitting: %+v", sub)
		}
		if h := public(pub.Slug); h != "Cora's ferry story" {
			t.Errorf("public headline %q", h)
		}
		call(ed, "POST", p+"/update", map[string]any{"version": got.Version}, http.StatusOK)
		if h := public(pub.Slug); h != "Cora's ferry story, revised" {
			t.Errorf("public headline after the editor's Update: %q", h)
		}
	})
	t.Run("a scheduled story's changes wait in its working copy and Update makes them what it publishes", func(t *testing.T) {
		art := call(ed, "POST", "", story("Night ferry timetable"), http.StatusCreated)
		p := "/" + art.ID
		at := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		sch := call(ed, "POST", p+"/schedule", map[string]any{"publish_at": at}, http.StatusOK)
		got := call(ed, "PUT", p, save(sch.Version, "Night ferry timetable for winter", nil), http.StatusOK)
		if got.WorkingCopy == nil || got.Status != "scheduled" {
			t.Fatalf("a scheduled story's save: %+v", got)
		}
		// The publication and update of the story before, and of the contributor's.
		before := len(hk.settle(t, 4))
		up := call(ed, "POST", p+"/update", map[string]any{"version": got.Version}, http.StatusOK)
		if up.WorkingCopy != nil || up.Headline != "Night ferry timetable for winter" || up.Status != "scheduled" {
			t.Fatalf("after updating the scheduled story: %+v", up)
		}
		call(ed, "POST", p+"/publish", map[string]any{"version": up.Version}, http.StatusOK)
		if h := public(up.Slug); h != "Night ferry timetable for winter" {
			t.Errorf("published headline %q", h)
		}
		hooks := hk.settle(t, before+1)
		if len(hooks) != before+1 || !strings.HasPrefix(hooks[before], content.EventPublished+" ") {
			t.Errorf("webhooks %v, want one publication and no update for the scheduled story", hooks[before:])
		}
	})
	t.Run("a scheduled update can be cancelled and the changes stay", func(t *testing.T) {
		cur := call(ed, "GET", id, nil, http.StatusOK)
		at := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		call(ed, "POST", id+"/update", map[string]any{"version": cur.Version, "publish_at": at}, http.StatusOK)
		call(au, "DELETE", id+"/update", map[string]any{"version": cur.Version}, http.StatusForbidden)
		got := call(ed, "DELETE", id+"/update", map[string]any{"version": cur.Version}, http.StatusOK)
		if got.WorkingCopy == nil || got.Version != cur.Version {
			t.Fatalf("after cancelling: %+v", got)
		}
		call(ed, "DELETE", id+"/update", map[string]any{"version": cur.Version}, http.StatusConflict) // nothing scheduled now
		if items, _ := a.db.ScheduleItems(context.Background(), content.ScheduleFilter{}); len(items) != 0 {
			t.Errorf("schedule after cancelling: %+v", items)
		}
	})
	t.Run("an update scheduled for later is published by the scheduler", func(t *testing.T) {
		cur := call(ed, "GET", id, nil, http.StatusOK)
		at := time.Now().Add(700 * time.Millisecond).UTC().Format(time.RFC3339Nano)
		got := call(ed, "POST", id+"/update", map[string]any{"version": cur.Version, "publish_at": at}, http.StatusOK)
		if got.WorkingCopy == nil {
			t.Fatalf("after scheduling: %+v", got)
		}
		deadline := time.Now().Add(5 * time.Second)
		for public(live.Slug) != "Tram line opens | An earlier version gave no day." {
			if time.Now().After(deadline) {
				t.Fatalf("the scheduled update did not go out: %q", public(live.Slug))
			}
			time.Sleep(20 * time.Millisecond)
		}
		if got := call(ed, "GET", id, nil, http.StatusOK); got.WorkingCopy != nil {
			t.Errorf("the working copy is still there after the scheduled update: %+v", got)
		}
	})
}

// TestStoryListsMarkUnpublishedChanges: the admin API's story list and the
// admin app's story list say which live stories have a working copy, until
// Update publishes it.
func TestStoryListsMarkUnpublishedChanges(t *testing.T) {
	a, h := newTestApp(t)
	ctx := context.Background()
	addUser(t, a, "editor@harbour.example", auth.RoleEditor)
	es := login(t, h, "editor@harbour.example", testPassword)
	f := seed(t, a)
	live, err := a.db.Article(ctx, content.ArticleFilter{ID: &f.published.ID})
	if err != nil {
		t.Fatal(err)
	}
	marked := func(t *testing.T) (api bool, page bool) {
		t.Helper()
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles?limit=100", bearer: es.AccessToken})
		var list struct {
			Articles []struct {
				ID                 string `json:"id"`
				UnpublishedChanges bool   `json:"unpublished_changes"`
			} `json:"articles"`
		}
		decode(t, rec, &list)
		for _, it := range list.Articles {
			if it.UnpublishedChanges && it.ID != live.ID {
				t.Errorf("story %s is marked without a working copy", it.ID)
			}
			api = api || (it.ID == live.ID && it.UnpublishedChanges)
		}
		rec = send(t, h, request{method: "GET", target: "/admin", cookies: es.cookies})
		if rec.Code != http.StatusOK {
			t.Fatalf("the story list page: %d", rec.Code)
		}
		page = strings.Contains(rec.Body.String(), "unpublished changes</span>")
		return api, page
	}
	if api, page := marked(t); api || page {
		t.Fatalf("marked before any change: API %v, page %v", api, page)
	}
	e := live.Edit
	e.Headline = "A headline readers do not see yet"
	if _, err := a.db.UpdateArticle(ctx, live.ID, content.Save{Version: live.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	if api, page := marked(t); !api || !page {
		t.Fatalf("a working copy is not marked: API %v, page %v", api, page)
	}
	wc, err := a.db.WorkingCopy(ctx, live.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.PublishWorkingCopy(ctx, live.ID, content.Update{Version: wc.Version}); err != nil {
		t.Fatal(err)
	}
	if api, page := marked(t); api || page {
		t.Fatalf("still marked after Update: API %v, page %v", api, page)
	}
}
