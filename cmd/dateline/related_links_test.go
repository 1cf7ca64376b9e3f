package main

import (
	"net/http"
	"testing"

	"dateline/auth"
)

// TestAnInternalRelatedLinkNeedsNoTitle checks through the production
// router that a link to a story of ours may leave its title empty and gets
// the linked story's headline, for editors and for readers, while a link
// to another site still needs one.
func TestAnInternalRelatedLinkNeedsNoTitle(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	ed := login(t, h, "edda@example.org", testPassword).AccessToken
	linked := publishedStory(t, a, "Harbour wall vote")

	rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles", bearer: ed,
		body: `{"headline": "Quay works begin", "body": "Diggers arrive.", "related_links": [{"kind": "related", "article_id": "` + linked.ID + `"}]}`})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create with an untitled internal link: %d %s", rec.Code, rec.Body)
	}
	var story struct {
		ID    string `json:"id"`
		Slug  string `json:"slug"`
		Links []struct {
			Title     string `json:"title"`
			ArticleID string `json:"article_id"`
		} `json:"related_links"`
	}
	decode(t, rec, &story)
	if len(story.Links) != 1 || story.Links[0].Title != "Harbour wall vote" || story.Links[0].ArticleID != linked.ID {
		t.Errorf("the link as saved: %+v, want the linked story's headline as its title", story.Links)
	}
	if rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles/" + story.ID + "/publish", bearer: ed}); rec.Code != http.StatusOK {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	var public struct {
		Links []struct {
			Title   string `json:"title"`
			Article string `json:"article_slug"`
		} `json:"related_links"`
	}
	pub := get(t, h, "/api/v1/articles/"+story.Slug)
	decode(t, pub, &public)
	if len(public.Links) != 1 || public.Links[0].Title != "Harbour wall vote" || public.Links[0].Article != linked.Slug {
		t.Errorf("readers see the link as %+v", public.Links)
	}

	rec = send(t, h, request{method: "POST", target: "/api/admin/v1/articles", bearer: ed,
		body: `{"headline": "Quay works end", "related_links": [{"kind": "other_media", "url": "https://news.example.com/q"}]}`})
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("an untitled link to another site: %d %s, want 400", rec.Code, rec.Body)
	}
	var p struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	decode(t, rec, &p)
	if len(p.Errors) != 1 || p.Errors[0].Field != "related_links[0].title" {
		t.Errorf("the problem names %+v, want related_links[0].title", p.Errors)
	}
}
