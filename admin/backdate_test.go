package admin_test

import (
	"net/http"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

func TestPublishAsOfAPastTime(t *testing.T) {
	asOf := "2016-09-08T08:43:00+03:00"
	want := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC)
	cases := []struct {
		name   string
		role   auth.Role
		action string
		body   map[string]any
		status int
		field  string
	}{
		{"an editor publishes a story as of 2016", auth.RoleEditor, "publish", map[string]any{"published_at": asOf}, http.StatusOK, ""},
		{"an admin approves a story as of 2016", auth.RoleAdmin, "approve", map[string]any{"published_at": asOf}, http.StatusOK, ""},
		{"an author may not backdate", auth.RoleAuthor, "publish", map[string]any{"published_at": asOf}, http.StatusForbidden, ""},
		{"a future time is a schedule, not a backdate", auth.RoleEditor, "publish", map[string]any{"published_at": "2099-01-01T00:00:00Z"}, http.StatusBadRequest, "published_at"},
		{"a time without an offset is refused", auth.RoleEditor, "publish", map[string]any{"published_at": "2016-09-08T08:43:00"}, http.StatusBadRequest, "published_at"},
		{"scheduling takes no published_at", auth.RoleEditor, "schedule", map[string]any{"published_at": asOf, "publish_at": "2099-01-01T00:00:00Z"}, http.StatusBadRequest, "published_at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			u := e.role[tc.role]
			a := e.create(t, u, storyEdit("Agency copy from 2016"))
			if tc.action == "approve" {
				if w := e.do(t, u, "POST", "/articles/"+a.ID+"/submit", nil); w.Code != http.StatusOK {
					t.Fatal(w.Body.String())
				}
			}
			w := e.do(t, u, "POST", "/articles/"+a.ID+"/"+tc.action, tc.body)
			if tc.status != http.StatusOK {
				wantProblem(t, w, tc.status, tc.field)
				return
			}
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body.String())
			}
			got := decode[article](t, w)
			if got.Status != content.StatusPublished || got.PublishedAt == nil || !got.PublishedAt.Equal(want) {
				t.Fatalf("status %s published_at %v, want published at %v", got.Status, got.PublishedAt, want)
			}
			revs, err := e.db.Revisions(t.Context(), a.ID)
			if err != nil || revs[0].PublishedAsOf == nil || !revs[0].PublishedAsOf.Equal(want) || revs[0].PublishedAsOfBy != u.ID {
				t.Errorf("revision log = %+v (%v), want the backdate and who set it", revs[0], err)
			}
		})
	}
}

func TestAStoryOncePublishedKeepsItsDate(t *testing.T) {
	e := newEnv(t)
	ed := e.role[auth.RoleEditor]
	a := e.create(t, ed, storyEdit("Published once"))
	for _, step := range []string{"publish", "withdraw"} {
		if w := e.do(t, ed, "POST", "/articles/"+a.ID+"/"+step, nil); w.Code != http.StatusOK {
			t.Fatal(w.Body.String())
		}
	}
	w := e.do(t, ed, "POST", "/articles/"+a.ID+"/republish", map[string]any{"published_at": "2016-09-08T08:43:00+03:00"})
	p := wantProblem(t, w, http.StatusConflict, "")
	if p.Code != content.ECONFLICT {
		t.Errorf("problem = %+v", p)
	}
}
