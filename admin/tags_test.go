package admin_test

import (
	"context"
	"net/http"
	"testing"

	"dateline/auth"
	"dateline/content"
)

type tagBody struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Count       int    `json:"count"`
}

func TestTagManagement(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ed, au := e.role[auth.RoleEditor], e.role[auth.RoleAuthor]
	s1 := storyEdit("Vote counted")
	s1.Tags = []string{"Elections"}
	a := e.create(t, au, s1)
	if w := e.do(t, au, "POST", "/articles/"+a.ID+"/publish", nil); w.Code != 200 {
		t.Fatalf("publish: %d %s", w.Code, w.Body.String())
	}
	s2 := storyEdit("Polls open")
	s2.Tags = []string{"Voting", "Elections"}
	e.create(t, au, s2)

	t.Run("non-editors cannot manage tags", func(t *testing.T) {
		wantProblem(t, e.do(t, au, "POST", "/tags", map[string]string{"name": "Sport"}), http.StatusForbidden, "")
		wantProblem(t, e.do(t, au, "DELETE", "/tags/voting", nil), http.StatusForbidden, "")
	})
	t.Run("an editor creates a tag", func(t *testing.T) {
		w := e.do(t, ed, "POST", "/tags", map[string]string{"name": " Local  News ", "description": "Around town"})
		if w.Code != http.StatusCreated {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		if got := decode[tagBody](t, w); got.Slug != "local-news" || got.Name != "Local News" {
			t.Errorf("tag = %+v", got)
		}
		wantProblem(t, e.do(t, ed, "POST", "/tags", map[string]string{"name": "local news"}), http.StatusConflict, "")
		wantProblem(t, e.do(t, ed, "POST", "/tags", map[string]string{"name": "!!!"}), http.StatusBadRequest, "name")
	})
	t.Run("a rename moves the slug along unless one is given", func(t *testing.T) {
		got := decode[tagBody](t, e.do(t, ed, "PATCH", "/tags/local-news", map[string]string{"name": "City"}))
		if got.Slug != "city" || got.Description != "Around town" {
			t.Errorf("renamed = %+v", got)
		}
		got = decode[tagBody](t, e.do(t, ed, "PATCH", "/tags/city", map[string]string{"name": "City news", "slug": "metro"}))
		if got.Slug != "metro" || got.Name != "City news" {
			t.Errorf("renamed with slug = %+v", got)
		}
		wantProblem(t, e.do(t, ed, "PATCH", "/tags/metro", map[string]string{"name": "Elections"}), http.StatusConflict, "")
		wantProblem(t, e.do(t, ed, "PATCH", "/tags/nope", map[string]string{"name": "X"}), http.StatusNotFound, "")
	})
	t.Run("a merge moves stories and keeps the published index right", func(t *testing.T) {
		w := e.do(t, ed, "POST", "/tags/elections/merge", map[string]string{"into": "voting"})
		if w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		if got := decode[tagBody](t, w); got.Slug != "voting" || got.Count != 2 {
			t.Errorf("target = %+v, want voting with 2 stories", got)
		}
		pub, err := e.db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Tags: []string{"voting"}})
		if err != nil || len(pub) != 1 || pub[0].ID != a.ID {
			t.Errorf("published by tag voting = %d stories (%v), want the published one", len(pub), err)
		}
		tags, err := e.db.Tags(ctx, content.TagFilter{Published: true})
		if err != nil || len(tags) != 1 || tags[0].Slug != "voting" || tags[0].Count != 1 {
			t.Errorf("published tags = %+v (%v)", tags, err)
		}
		wantProblem(t, e.do(t, ed, "POST", "/tags/voting/merge", map[string]string{"into": "voting"}), http.StatusBadRequest, "into")
	})
	t.Run("a delete removes the tag from stories", func(t *testing.T) {
		if w := e.do(t, ed, "DELETE", "/tags/voting", nil); w.Code != http.StatusNoContent {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		got := decode[article](t, e.do(t, ed, "GET", "/articles/"+a.ID, nil))
		if len(got.Tags) != 0 {
			t.Errorf("tags after delete = %q", got.Tags)
		}
		list := decode[struct{ Tags []tagBody }](t, e.do(t, au, "GET", "/tags", nil))
		if len(list.Tags) != 1 || list.Tags[0].Slug != "metro" {
			t.Errorf("tags = %+v, want only metro", list.Tags)
		}
	})
}
