package delivery_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/delivery"
)

func TestAuthorsShowOnlyWritersOfPublishedStories(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	people := env.seedCredits(t, s)
	private := []string{"@example.org", `"email"`, `"role"`, `"id"`, `"author"`, `"contributor"`, `"admin"`, people.writer.ID, people.hidden.ID, `"password`, `"token`, `"active"`}
	tests := []struct {
		name     string
		target   string
		status   int
		contains []string
		excludes []string
	}{
		{"the list shows the writer of published stories with the count of those only", "/api/v1/authors", 200,
			[]string{`{"authors":[{"slug":"ines-vaz","name":"Inês Vaz","bio":"Writes about Inês Vaz.","article_count":2}]}`},
			append([]string{"Hidden Writer", people.hidden.Slug, "Site Admin", people.idle.Slug}, private...)},
		{"an author of published stories is shown with the count of those only", "/api/v1/authors/" + people.writer.Slug, 200,
			[]string{`{"slug":"ines-vaz","name":"Inês Vaz","bio":"Writes about Inês Vaz.","article_count":2}`}, private},
		{"an author of a draft, a story in review, a scheduled and a withdrawn story is not found", "/api/v1/authors/" + people.hidden.Slug, 404,
			[]string{`"code":"not_found"`}, []string{"Hidden Writer"}},
		{"a user credited on no story is not found", "/api/v1/authors/" + people.idle.Slug, 404, []string{`"code":"not_found"`}, []string{"Site Admin"}},
		{"an unknown slug is not found", "/api/v1/authors/nobody", 404, []string{`"code":"not_found"`}, nil},
		{"a malformed slug is not found", "/api/v1/authors/Ines%20Vaz", 404, []string{`"code":"not_found"`}, nil},
		{"a parameter on the list is refused by name", "/api/v1/authors?role=admin", 400, []string{`"field":"role"`, `"code":"invalid"`}, []string{"Inês"}},
		{"a parameter on an author is refused by name", "/api/v1/authors/ines-vaz?include=email", 400, []string{`"field":"include"`}, []string{"Inês"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.get(t, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			wantType := "application/json; charset=utf-8"
			if tt.status != 200 {
				wantType = "application/problem+json"
			}
			if ct := rec.Header().Get("Content-Type"); ct != wantType {
				t.Errorf("content type %q, want %q", ct, wantType)
			}
			body := rec.Body.String()
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %s:\n%s", want, body)
				}
			}
			for _, leak := range tt.excludes {
				if strings.Contains(body, leak) {
					t.Errorf("body shows %s:\n%s", leak, body)
				}
			}
		})
	}
	t.Run("an author carries exactly the fields of a story's author and the count", func(t *testing.T) {
		var au map[string]any
		if err := json.Unmarshal(env.get(t, "/api/v1/authors/"+people.writer.Slug).Body.Bytes(), &au); err != nil {
			t.Fatal(err)
		}
		if keys := slices.Sorted(maps.Keys(au)); !slices.Equal(keys, []string{"article_count", "bio", "name", "slug"}) {
			t.Errorf("fields %v", keys)
		}
	})
	t.Run("the author's stories are the article list filtered by the author", func(t *testing.T) {
		body := env.get(t, "/api/v1/articles?author="+people.writer.Slug).Body.String()
		if strings.Count(body, `"slug":"ines-vaz"`) != 2 || strings.Contains(body, s.draft) {
			t.Errorf("stories of the author: %s", body)
		}
	})
}

func TestAuthorsAndCorrectionsRevalidateAndChangeWithTheContent(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	people := env.seedCredits(t, s)
	ctx := context.Background()
	targets := []string{"/api/v1/authors", "/api/v1/authors/" + people.writer.Slug, "/api/v1/corrections", "/api/v1/corrections?limit=2"}
	etags := map[string]string{}
	for _, target := range targets {
		rec := env.get(t, target)
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("ETag"), `"`) {
			t.Fatalf("%s: %d ETag %q", target, rec.Code, rec.Header().Get("ETag"))
		}
		etags[target] = rec.Header().Get("ETag")
	}
	// revalidate asks for target with its last ETag and returns the status.
	revalidate := func(t *testing.T, target string) int {
		t.Helper()
		rec := env.getWith(t, target, map[string]string{"If-None-Match": etags[target]})
		if rec.Code == 200 {
			if rec.Header().Get("ETag") == etags[target] {
				t.Errorf("%s: 200 with the ETag it was asked for", target)
			}
			etags[target] = rec.Header().Get("ETag")
		}
		return rec.Code
	}
	for _, tt := range []struct {
		name  string
		keys  string
		check string
	}{
		{"/api/v1/authors", "authors", ""},
		{"/api/v1/authors/" + people.writer.Slug, "authors author:ines-vaz", ""},
		{"/api/v1/corrections", "corrections", ""},
	} {
		t.Run(tt.name+" carries caching headers and its surrogate keys", func(t *testing.T) {
			for range 2 { // a miss, then a hit of the response cache
				rec := env.get(t, tt.name)
				h := rec.Header()
				if h.Get("Surrogate-Key") != tt.keys || h.Get("Cache-Control") != "public, max-age=30, stale-while-revalidate=60" ||
					h.Get("Access-Control-Allow-Origin") != "*" || h.Get("ETag") != etags[tt.name] {
					t.Errorf("headers %v", h)
				}
			}
		})
	}
	t.Run("a repeated read with the ETag is answered 304", func(t *testing.T) {
		for _, target := range targets {
			if code := revalidate(t, target); code != http.StatusNotModified {
				t.Errorf("%s: %d, want 304", target, code)
			}
		}
	})
	t.Run("a new correction of a published story changes the log at the next read", func(t *testing.T) {
		env.clock = now.Add(time.Hour)
		defer func() { env.clock = now }()
		a, err := env.db.Article(ctx, content.ArticleFilter{Slug: &s.nasty})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.db.UpdateArticle(ctx, a.ID, content.Save{Update: true, Version: a.Version, Edit: a.Edit, Correction: "The surge peaked at four metres."}); err != nil {
			t.Fatal(err)
		}
		for _, target := range targets[2:] {
			if code := revalidate(t, target); code != 200 {
				t.Errorf("%s: %d after a new correction, want 200", target, code)
			}
			if body := env.get(t, target).Body.String(); !strings.Contains(body, `"text":"The surge peaked at four metres.","article_slug":"`+s.nasty+`"`) {
				t.Errorf("%s lacks the new correction first: %s", target, body)
			}
		}
		for _, target := range targets[:2] {
			if code := revalidate(t, target); code != http.StatusNotModified {
				t.Errorf("%s: %d, want 304: a correction changes no author", target, code)
			}
		}
	})
	t.Run("a withdrawal takes the story's corrections and its author's count at the next read", func(t *testing.T) {
		a, err := env.db.Article(ctx, content.ArticleFilter{Slug: &s.weather})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
			t.Fatal(err)
		}
		for _, target := range targets[:3] {
			if code := revalidate(t, target); code != 200 {
				t.Errorf("%s: %d after a withdrawal, want 200", target, code)
			}
		}
		// The first two corrections are not the withdrawn story's.
		if code := revalidate(t, targets[3]); code != http.StatusNotModified {
			t.Errorf("%s: %d, want 304", targets[3], code)
		}
		if body := env.get(t, "/api/v1/authors/"+people.writer.Slug).Body.String(); !strings.Contains(body, `"article_count":1`) {
			t.Errorf("count after the withdrawal: %s", body)
		}
		if body := env.get(t, "/api/v1/corrections").Body.String(); strings.Contains(body, "fog lifted") {
			t.Errorf("the withdrawn story's correction is listed: %s", body)
		}
	})
	t.Run("a new author of a published story joins the list at the next read", func(t *testing.T) {
		a, err := env.db.Article(ctx, content.ArticleFilter{Slug: &s.old})
		if err != nil {
			t.Fatal(err)
		}
		e := a.Edit
		e.AuthorIDs = []string{people.idle.ID}
		if _, err := env.db.UpdateArticle(ctx, a.ID, content.Save{Update: true, Version: a.Version, Edit: e}); err != nil {
			t.Fatal(err)
		}
		if code := revalidate(t, "/api/v1/authors"); code != 200 {
			t.Errorf("the list: %d, want 200", code)
		}
		if rec := env.get(t, "/api/v1/authors/"+people.idle.Slug); rec.Code != 200 {
			t.Errorf("the new author: %d %s", rec.Code, rec.Body)
		}
	})
}
