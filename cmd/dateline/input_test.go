package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"dateline/auth"
)

// TestAmbiguousJSONBodiesAreRefused sends bodies that encoding/json alone
// would accept (the last duplicate wins, keys match fields whatever their
// case, invalid UTF-8 becomes U+FFFD) to every kind of endpoint of the
// production router: each is a 400 problem naming the key, and nothing is
// written.
func TestAmbiguousJSONBodiesAreRefused(t *testing.T) {
	a, h := newTestApp(t)
	admin := addUser(t, a, "admin@harbour.example", auth.RoleAdmin)
	tok := login(t, h, admin.Email, testPassword).AccessToken
	rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles", body: `{"headline": "Harbour reopens"}`, bearer: tok})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var story struct {
		ID      string
		Version int
	}
	decode(t, rec, &story)
	tests := []struct {
		name, method, target, body, field string
	}{
		{"a story with a headline twice in different case", "POST", "/api/admin/v1/articles", `{"headline": "a", "Headline": "b"}`, "Headline"},
		{"a story with a headline twice", "POST", "/api/admin/v1/articles", `{"headline": "a", "headline": "b"}`, "headline"},
		{"a story whose headline key is in capitals", "POST", "/api/admin/v1/articles", `{"HEADLINE": "x"}`, "HEADLINE"},
		{"a story whose photo has a credit twice", "POST", "/api/admin/v1/articles", `{"headline": "a", "photos": [{"url": "https://i.example.org/a.jpg", "credit": "A", "Credit": "B"}]}`, "photos[0].Credit"},
		{"a story whose second link has a title key in capitals", "POST", "/api/admin/v1/articles", `{"headline": "a", "related_links": [{"title": "t", "url": "https://e.example.org/"}, {"TITLE": "t"}]}`, "related_links[1].TITLE"},
		{"a story whose dateline has a place twice", "POST", "/api/admin/v1/articles", `{"headline": "a", "dateline": {"place": "A", "Place": "B"}}`, "dateline.Place"},
		{"a story with invalid UTF-8", "POST", "/api/admin/v1/articles", "{\"headline\": \"Harbour \xff\"}", ""},
		{"a story with a lone surrogate escape", "POST", "/api/admin/v1/articles", `{"headline": "Harbour \ud83d"}`, "headline"},
		{"a save with a version twice", "PUT", "/api/admin/v1/articles/" + story.ID, `{"version": 1, "Version": 2, "headline": "b"}`, "Version"},
		{"a workflow step with a time twice", "POST", "/api/admin/v1/articles/" + story.ID + "/schedule", `{"publish_at": "2099-01-01T00:00:00Z", "PUBLISH_AT": "2099-01-02T00:00:00Z"}`, "PUBLISH_AT"},
		{"a restore with a version twice", "POST", "/api/admin/v1/articles/" + story.ID + "/revisions/1/restore", `{"version": 1, "version": 1}`, "version"},
		{"a tag with a name twice", "POST", "/api/admin/v1/tags", `{"name": "Politics", "Name": "Sport"}`, "Name"},
		{"a preview render with a body key in capitals", "POST", "/api/admin/v1/render", `{"Body": "x"}`, "Body"},
		{"a webhook with a url twice", "POST", "/api/admin/v1/webhooks", `{"url": "https://hooks.example.org/a", "URL": "https://hooks.example.org/b"}`, "URL"},
		{"an API key with a name twice", "POST", "/api/admin/v1/api-keys", `{"name": "ci", "name": "cd"}`, "name"},
		{"a user with an email twice", "POST", "/api/admin/v1/users", `{"email": "x@harbour.example", "Email": "y@harbour.example", "name": "X", "role": "author"}`, "Email"},
		{"a user change with a role key in capitals", "PATCH", "/api/admin/v1/users/" + admin.ID, `{"ROLE": "contributor"}`, "ROLE"},
		{"a login with a password twice", "POST", "/api/admin/v1/auth/login", `{"email": "admin@harbour.example", "password": "x", "Password": "` + testPassword + `"}`, "Password"},
	}
	for _, tt := range tests {
		what := "naming " + tt.field
		if tt.field == "" {
			what = "about the whole request body, naming no field"
		}
		t.Run(tt.name+" is a 400 "+what, func(t *testing.T) {
			rec := send(t, h, request{method: tt.method, target: tt.target, body: tt.body, bearer: tok})
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			var p struct {
				Code   string `json:"code"`
				Detail string `json:"detail"`
				Errors []struct{ Field, Message string }
			}
			err := json.Unmarshal(rec.Body.Bytes(), &p)
			if tt.field == "" {
				if err != nil || p.Code != "invalid" || len(p.Errors) != 0 || !strings.HasPrefix(p.Detail, "the request body ") {
					t.Errorf("problem %s, want code invalid about the request body", rec.Body)
				}
				return
			}
			if err != nil || p.Code != "invalid" || len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
				t.Errorf("problem %s, want code invalid naming %s", rec.Body, tt.field)
			}
		})
	}
	t.Run("nothing was written", func(t *testing.T) {
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles", bearer: tok})
		var list struct {
			Articles []struct {
				Headline string
				Version  int
				Status   string
			}
		}
		decode(t, rec, &list)
		if len(list.Articles) != 1 || list.Articles[0].Headline != "Harbour reopens" || list.Articles[0].Version != 1 || list.Articles[0].Status != "draft" {
			t.Errorf("stories %+v, want only the first, unchanged", list.Articles)
		}
		for _, path := range []string{"/api/admin/v1/tags", "/api/admin/v1/webhooks"} {
			if rec := send(t, h, request{method: "GET", target: path, bearer: tok}); strings.Contains(rec.Body.String(), `"name":"Politics"`) || strings.Contains(rec.Body.String(), "hooks.example.org") {
				t.Errorf("%s: %s", path, rec.Body)
			}
		}
		if u, _ := a.db.UserByID(t.Context(), admin.ID); u.Role != auth.RoleAdmin {
			t.Errorf("role %s", u.Role)
		}
	})
}

// TestInvisibleCharactersCannotMakeASecondTag checks the plain-text rule
// through the production router: invisible characters are stripped from
// headlines, tag names and slugs, so "Poli\u200btics" is the tag
// "Politics", and a headline of invisible characters only is refused.
func TestInvisibleCharactersCannotMakeASecondTag(t *testing.T) {
	a, h := newTestApp(t)
	editor := addUser(t, a, "editor@harbour.example", auth.RoleEditor)
	tok := login(t, h, editor.Email, testPassword).AccessToken
	create := func(t *testing.T, body string) (int, string) {
		t.Helper()
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles", body: body, bearer: tok})
		return rec.Code, rec.Body.String()
	}
	type storyJSON struct {
		Headline, Slug, Byline string
		Tags                   []string
		Photos                 []struct{ Credit string }
	}
	t.Run("a story's headline, slug, byline, credit and tags lose their invisible characters", func(t *testing.T) {
		code, body := create(t, `{"headline": "Poli\u200btics \u2060today", "byline": "Ann\u00ad Lee",
			"photos": [{"url": "https://i.example.org/a.jpg", "credit": "\ufeff© Ann Lee"}],
			"tags": ["Politics", "Poli\u200btics", "Poli\u200dtics", "Poli\u3164tics", "poli\u00adtics"]}`)
		if code != http.StatusCreated {
			t.Fatalf("%d %s", code, body)
		}
		var s storyJSON
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			t.Fatal(err)
		}
		if s.Headline != "Politics today" || s.Slug != "politics-today" || s.Byline != "Ann Lee" || s.Photos[0].Credit != "© Ann Lee" || strings.Join(s.Tags, "|") != "Politics" {
			t.Errorf("story %+v", s)
		}
	})
	t.Run("a second story tagged Poli\\u200btics joins the tag Politics", func(t *testing.T) {
		if code, body := create(t, `{"headline": "Budget", "tags": ["Poli\u200btics"]}`); code != http.StatusCreated {
			t.Fatalf("%d %s", code, body)
		}
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/tags", bearer: tok})
		var list struct {
			Tags []struct{ Slug, Name string }
		}
		decode(t, rec, &list)
		if len(list.Tags) != 1 || list.Tags[0].Slug != "politics" || list.Tags[0].Name != "Politics" {
			t.Errorf("tags %+v, want only Politics", list.Tags)
		}
	})
	t.Run("creating the tag Poli\\u2060tics is a conflict with Politics", func(t *testing.T) {
		rec := send(t, h, request{method: "POST", target: "/api/admin/v1/tags", body: `{"name": "Poli\u2060tics"}`, bearer: tok})
		if rec.Code != http.StatusConflict {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
	for _, headline := range []string{`\u200b`, `\u200b\u200c\u200d\u2060\ufeff`, `\u3164`, `\u00ad \u115f\u1160 \uffa0`, `\udb40\udc41\udb40\udc7f`} {
		t.Run("a headline of only "+headline+" is a 400 naming headline", func(t *testing.T) {
			code, body := create(t, `{"headline": "`+headline+`"}`)
			if code != http.StatusBadRequest || !strings.Contains(body, `"field":"headline"`) {
				t.Errorf("%d %s", code, body)
			}
		})
	}
}
