package admin_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

func TestConcurrentSavesOneWinsNothingIsLost(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ed := e.role[auth.RoleEditor]
	a := e.create(t, ed, storyEdit("Harbour reopens"))

	edits := []content.Edit{storyEdit("Harbour reopens after storm"), storyEdit("Harbour reopens at dawn")}
	codes := make([]int, 2)
	bodies := make([]*bytes.Buffer, 2)
	recorded := func(code int, body *bytes.Buffer) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(code)
		w.Write(body.Bytes())
		return w
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range edits {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			w := e.do(t, ed, "PUT", "/articles/"+a.ID, save(a.Version, edits[i]))
			codes[i], bodies[i] = w.Code, w.Body
		}()
	}
	close(start)
	wg.Wait()

	winner, loser := 0, 1
	if codes[0] != http.StatusOK {
		winner, loser = 1, 0
	}
	if codes[winner] != http.StatusOK || codes[loser] != http.StatusConflict {
		t.Fatalf("codes = %v, want one 200 and one 409", codes)
	}
	p := wantProblem(t, recorded(codes[loser], bodies[loser]), http.StatusConflict, "")
	if p.Current == nil || p.Current.Headline != edits[winner].Headline || p.Current.Version != 2 {
		t.Fatalf("the conflict carries current = %+v, want the winner's version 2", p.Current)
	}

	// The loser reapplies the edit on the current version: nothing is lost.
	w2 := e.do(t, ed, "PUT", "/articles/"+a.ID, save(p.Current.Version, edits[loser]))
	if w2.Code != http.StatusOK {
		t.Fatalf("retry: %d %s", w2.Code, w2.Body.String())
	}
	revs, err := e.db.Revisions(ctx, a.ID)
	if err != nil || len(revs) != 3 {
		t.Fatalf("revisions = %d, %v; want 3", len(revs), err)
	}
	if revs[1].Edit.Headline != edits[winner].Headline || revs[0].Edit.Headline != edits[loser].Headline {
		t.Errorf("revisions hold %q and %q, want both edits", revs[1].Edit.Headline, revs[0].Edit.Headline)
	}

	// Restoring revision 2 saves its editable state byte for byte.
	w3 := e.do(t, ed, "POST", "/articles/"+a.ID+"/revisions/2/restore", nil)
	if w3.Code != http.StatusOK {
		t.Fatalf("restore: %d %s", w3.Code, w3.Body.String())
	}
	restored := decode[article](t, w3)
	if restored.Version != 4 || restored.Headline != edits[winner].Headline {
		t.Errorf("restored = version %d %q, want version 4 with the winner's headline", restored.Version, restored.Headline)
	}
	old, err := e.db.RevisionState(ctx, a.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	now, err := e.db.RevisionState(ctx, a.ID, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(old, now) {
		t.Errorf("restored state differs:\n%s\n%s", old, now)
	}
	// Restoring on a stale version is a conflict too.
	wantProblem(t, e.do(t, ed, "POST", "/articles/"+a.ID+"/revisions/1/restore", map[string]int{"version": 2}), http.StatusConflict, "")
}

func TestUpdateNeedsTheVersionAndKeepsPublishedStoriesPublished(t *testing.T) {
	e := newEnv(t)
	au := e.role[auth.RoleAuthor]
	a := e.create(t, au, storyEdit("Bridge opens"))

	t.Run("a save without a version is refused", func(t *testing.T) {
		wantProblem(t, e.do(t, au, "PUT", "/articles/"+a.ID, storyEdit("Bridge opens")), http.StatusBadRequest, "version")
	})
	t.Run("a correction on a draft is refused", func(t *testing.T) {
		body := save(1, storyEdit("Bridge opens"))
		body["correction"] = "Fixed."
		wantProblem(t, e.do(t, au, "PUT", "/articles/"+a.ID, body), http.StatusBadRequest, "correction")
	})
	w := e.do(t, au, "POST", "/articles/"+a.ID+"/publish", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("publish: %d %s", w.Code, w.Body.String())
	}
	pub := decode[article](t, w)
	t.Run("a correction is not attached by a save of the working copy", func(t *testing.T) {
		body := save(pub.Version, storyEdit("Bridge opens to traffic"))
		body["correction"] = "An earlier version gave the wrong date."
		wantProblem(t, e.do(t, au, "PUT", "/articles/"+a.ID, body), http.StatusBadRequest, "correction")
	})
	t.Run("a save that is the Update keeps the story published with a correction", func(t *testing.T) {
		body := save(pub.Version, storyEdit("Bridge opens to traffic"))
		body["correction"] = "An earlier version gave the wrong date."
		body["update"] = true
		w := e.do(t, au, "PUT", "/articles/"+a.ID, body)
		if w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		got := decode[article](t, w)
		if got.Status != content.StatusPublished || len(got.Corrections) != 1 || *got.PublishedAt != *pub.PublishedAt {
			t.Errorf("after edit: status %s corrections %+v published_at %v, want published, one correction, same first publication",
				got.Status, got.Corrections, got.PublishedAt)
		}
	})
	t.Run("a published story's Update cannot lose a photo credit", func(t *testing.T) {
		ed := storyEdit("Bridge opens to traffic")
		ed.Photos[0].Credit = ""
		body := save(2, ed)
		body["update"] = true
		wantProblem(t, e.do(t, au, "PUT", "/articles/"+a.ID, body), http.StatusBadRequest, "photos[0].credit")
	})
}

func TestWorkflowStepsCheckTimesCreditsAndState(t *testing.T) {
	e := newEnv(t)
	ed := e.role[auth.RoleEditor]
	uncredited := storyEdit("Uncredited photo")
	uncredited.Photos[0].Credit = ""
	bad := e.create(t, ed, uncredited)
	good := e.create(t, ed, storyEdit("Credited photo"))
	future := time.Now().Add(time.Hour).Format(time.RFC3339)

	cases := []struct {
		name   string
		id     string
		step   string
		body   any
		status int
		field  string
	}{
		{"publishing a story whose photo lacks a credit is refused naming the photo", bad.ID, "publish", nil, 400, "photos[0].credit"},
		{"scheduling a story whose photo lacks a credit is refused naming the photo", bad.ID, "schedule", map[string]string{"publish_at": future}, 400, "photos[0].credit"},
		{"scheduling needs publish_at", good.ID, "schedule", map[string]string{}, 400, "publish_at"},
		{"scheduling in the past is refused", good.ID, "schedule", map[string]string{"publish_at": "2001-01-01T10:00:00+03:00"}, 400, "publish_at"},
		{"a time without an offset is refused", good.ID, "schedule", map[string]string{"publish_at": "2031-01-01T10:00:00"}, 400, "publish_at"},
		{"unpublish_at before publish_at is refused", good.ID, "schedule", map[string]string{"publish_at": future, "unpublish_at": time.Now().Add(30 * time.Minute).Format(time.RFC3339)}, 400, "unpublish_at"},
		{"submit takes no times", good.ID, "submit", map[string]string{"publish_at": future}, 400, "publish_at"},
		{"withdrawing a draft is a conflict", good.ID, "withdraw", nil, 409, ""},
		{"a stale version is a conflict", good.ID, "submit", map[string]int{"version": 7}, 409, ""},
		{"an unknown field is refused", good.ID, "submit", map[string]int{"versoin": 1}, 400, "versoin"},
		{"scheduling with an offset works", good.ID, "schedule", map[string]string{"publish_at": "2031-01-01T10:00:00+03:00"}, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := e.do(t, ed, "POST", "/articles/"+tc.id+"/"+tc.step, tc.body)
			if tc.status == 200 {
				if w.Code != 200 {
					t.Fatalf("%d %s", w.Code, w.Body.String())
				}
				got := decode[article](t, w)
				if got.Status != content.StatusScheduled || got.PublishAt == nil || !got.PublishAt.Equal(time.Date(2031, 1, 1, 7, 0, 0, 0, time.UTC)) {
					t.Errorf("scheduled = %s at %v, want scheduled at 07:00 UTC", got.Status, got.PublishAt)
				}
				return
			}
			p := wantProblem(t, w, tc.status, tc.field)
			if tc.status == 409 && p.Detail == "" {
				t.Errorf("a conflict without a reason")
			}
		})
	}
	t.Run("an illegal step says why", func(t *testing.T) {
		p := wantProblem(t, e.do(t, ed, "POST", "/articles/"+good.ID+"/approve", nil), http.StatusConflict, "")
		if !strings.Contains(p.Detail, "only a story in review can be approved") {
			t.Errorf("detail = %q", p.Detail)
		}
	})
	t.Run("a missing permission says why", func(t *testing.T) {
		p := wantProblem(t, e.do(t, e.role[auth.RoleContributor], "POST", "/articles/"+good.ID+"/unschedule", nil), http.StatusForbidden, "")
		if !strings.Contains(p.Detail, "only their own stories") {
			t.Errorf("detail = %q", p.Detail)
		}
	})
}

func TestDeletedStoriesVanishButKeepTheirRevisions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ed := e.role[auth.RoleEditor]
	a := e.create(t, ed, storyEdit("Mayor resigns"))
	if w := e.do(t, ed, "POST", "/articles/"+a.ID+"/publish", nil); w.Code != 200 {
		t.Fatalf("publish: %d %s", w.Code, w.Body.String())
	}
	if w := e.do(t, ed, "DELETE", "/articles/"+a.ID, nil); w.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", w.Code, w.Body.String())
	}
	wantProblem(t, e.do(t, ed, "GET", "/articles/"+a.ID, nil), http.StatusNotFound, "")
	wantProblem(t, e.do(t, ed, "DELETE", "/articles/"+a.ID, nil), http.StatusNotFound, "")
	list := decode[struct{ Articles []article }](t, e.do(t, ed, "GET", "/articles", nil))
	if len(list.Articles) != 0 {
		t.Errorf("list shows %d stories after delete", len(list.Articles))
	}
	trash := decode[struct{ Articles []article }](t, e.do(t, ed, "GET", "/articles?deleted=true", nil))
	if len(trash.Articles) != 1 {
		t.Errorf("deleted list shows %d stories, want 1", len(trash.Articles))
	}
	wantProblem(t, e.do(t, e.role[auth.RoleAuthor], "GET", "/articles?deleted=true", nil), http.StatusForbidden, "")
	pub, err := e.db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}})
	if err != nil || len(pub) != 0 {
		t.Errorf("published reads show %d stories (%v)", len(pub), err)
	}
	revs, err := e.db.Revisions(ctx, a.ID)
	if err != nil || len(revs) != 1 {
		t.Errorf("revisions = %d (%v), want them kept", len(revs), err)
	}
}

func TestListFiltersAndPages(t *testing.T) {
	e := newEnv(t)
	co, ed := e.role[auth.RoleContributor], e.role[auth.RoleEditor]
	for _, h := range []string{"Rain in Oslo", "Sun in Rome", "Rain in Lima", "100% turnout_reported"} {
		ed2 := storyEdit(h)
		if strings.HasPrefix(h, "Rain") {
			ed2.Tags = []string{"Weather"}
		}
		e.create(t, co, ed2)
		e.advance(time.Second)
	}
	cases := []struct {
		name  string
		query string
		want  []string
	}{
		{"all statuses, most recently updated first", "", []string{"100% turnout_reported", "Rain in Lima", "Sun in Rome", "Rain in Oslo"}},
		{"by tag", "?tag=weather", []string{"Rain in Lima", "Rain in Oslo"}},
		{"by headline text, case-insensitive", "?q=RAIN", []string{"Rain in Lima", "Rain in Oslo"}},
		{"LIKE wildcards in q are literal", "?q=%25", []string{"100% turnout_reported"}},
		{"by status", "?status=published", nil},
		{"by several statuses", "?status=draft,published&tag=weather&q=oslo", []string{"Rain in Oslo"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := e.do(t, co, "GET", "/articles"+tc.query, nil)
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body.String())
			}
			var got []string
			for _, a := range decode[struct{ Articles []article }](t, w).Articles {
				got = append(got, a.Headline)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("a cursor pages through every story once", func(t *testing.T) {
		var seen []string
		q := "?limit=3"
		for range 5 {
			page := decode[struct {
				Articles []article
				Meta     struct {
					NextCursor string `json:"next_cursor"`
				}
			}](t, e.do(t, ed, "GET", "/articles"+q, nil))
			for _, a := range page.Articles {
				seen = append(seen, a.Headline)
			}
			if page.Meta.NextCursor == "" {
				break
			}
			q = "?limit=3&cursor=" + page.Meta.NextCursor
		}
		if len(seen) != 4 {
			t.Errorf("paged through %q, want 4 stories", seen)
		}
	})
	for _, q := range []string{"?status=gone", "?limit=0", "?limit=101", "?cursor=nope", "?sort=headline", "?tag=Not%20A%20Slug", "?deleted=maybe"} {
		t.Run("the query "+q+" is refused", func(t *testing.T) {
			wantProblem(t, e.do(t, co, "GET", "/articles"+q, nil), http.StatusBadRequest, "")
		})
	}
}

func TestRequestsAreStrict(t *testing.T) {
	e := newEnv(t)
	ed := e.role[auth.RoleEditor]
	a := e.create(t, ed, storyEdit("Strict"))
	huge := `{"headline": "x", "body": "` + strings.Repeat("a", 3<<20) + `"}`
	cases := []struct {
		name, method, path string
		body               any
		status             int
		field              string
	}{
		{"an unknown field is refused by name", "POST", "/articles", `{"headline": "x", "colour": "red"}`, 400, "colour"},
		{"trailing data is refused", "POST", "/articles", `{"headline": "x"} {"headline": "y"}`, 400, ""},
		{"a wrong type names the field", "POST", "/articles", `{"headline": "x", "photos": [{"url": "https://a.example/x.jpg", "width": "wide"}]}`, 400, "photos.width"},
		{"a body over 2 MiB is refused", "POST", "/articles", huge, 413, ""},
		{"an empty body is refused", "POST", "/articles", "", 400, ""},
		{"invalid content names the field", "POST", "/articles", `{"headline": ""}`, 400, "headline"},
		{"an id that is not a UUID is refused", "GET", "/articles/123", nil, 400, "id"},
		{"an id of UUID length that is no UUID is refused", "GET", "/articles/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", nil, 400, "id"},
		{"a UUID in braces is refused", "PUT", "/articles/{0190a000-0000-7000-8000-000000000001}", `{}`, 400, "id"},
		{"a bad id in a workflow step is refused", "POST", "/articles/1/publish", nil, 400, "id"},
		{"a media id that is not a UUID is refused", "DELETE", "/media/abc", nil, 400, "id"},
		{"a revision that is not a number is refused", "GET", "/articles/" + a.ID + "/revisions/x", nil, 400, "version"},
		{"an unknown story is not found", "GET", "/articles/0190a000-0000-7000-8000-999999999999", nil, 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, e.do(t, ed, tc.method, tc.path, tc.body), tc.status, tc.field)
		})
	}
	t.Run("a request without a user is refused", func(t *testing.T) {
		wantProblem(t, e.do(t, auth.User{}, "GET", "/articles", nil), http.StatusUnauthorized, "")
	})
}
