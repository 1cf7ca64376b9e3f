package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite/sqlitetest"
)

// previewLink is the answer to POST /articles/{id}/preview.
type previewLink struct {
	ID, Token, URL string
	Version        int
	ExpiresAt      time.Time `json:"expires_at"`
}

// mintPreview asks for a preview link of story id as bearer and expects
// status; it returns the link when status is 200.
func mintPreview(tb testing.TB, h http.Handler, bearer, id string, status int) previewLink {
	tb.Helper()
	rec := send(tb, h, request{method: "POST", target: "/api/admin/v1/articles/" + id + "/preview", bearer: bearer})
	if rec.Code != status {
		tb.Fatalf("preview link of %s: %d %s, want %d", id, rec.Code, rec.Body, status)
	}
	var link previewLink
	if status == http.StatusOK {
		decode(tb, rec, &link)
	}
	return link
}

// storyBy creates a draft written by userID.
func storyBy(tb testing.TB, a *app, userID, headline string) *content.Article {
	tb.Helper()
	art, err := a.db.CreateArticle(context.Background(), content.Edit{Headline: headline, Dateline: content.Dateline{Place: "OSLO"},
		Body: "The embargoed text of " + headline + "."}, userID)
	if err != nil {
		tb.Fatal(err)
	}
	return art
}

// TestDraftPreviewThroughTheDeliveryAPI covers preview links: issued by the
// admin API for the story's current revision, served by the delivery API
// with noindex and no caching, pinned to that revision, refused when
// expired, forged or of the wrong audience.
func TestDraftPreviewThroughTheDeliveryAPI(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "ed@harbour.example", auth.RoleEditor)
	s := login(t, h, "ed@harbour.example", testPassword)
	f := seed(t, a)

	link := mintPreview(t, h, s.AccessToken, f.draft.ID, http.StatusOK)
	// The link is short, on the request's origin (httptest's example.com);
	// the token is for the delivery API.
	if !strings.HasPrefix(link.URL, "http://example.com/preview/") || len(link.URL) > 60 || link.Version != f.draft.Version || link.ID == "" {
		t.Fatalf("preview link %+v", link)
	}

	// A later save must not change what the link shows.
	e := f.draft.Edit
	e.Headline = "Embargoed draft, second take"
	if _, err := a.db.UpdateArticle(context.Background(), f.draft.ID, content.Save{Update: true, Version: f.draft.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}

	rec := get(t, h, "/api/v1/preview/"+link.Token)
	if rec.Code != http.StatusOK {
		t.Fatalf("preview: %d %s", rec.Code, rec.Body)
	}
	if rec.Header().Get("X-Robots-Tag") == "" || !strings.Contains(rec.Header().Get("Cache-Control"), "no-store") {
		t.Errorf("preview headers: %v", rec.Header())
	}
	var got struct {
		Headline string
		BodyHTML string `json:"body_html"`
		Pages    []struct{ HTML string }
	}
	decode(t, rec, &got)
	if got.Headline != "Embargoed draft" || !strings.Contains(got.BodyHTML, "Page two") || len(got.Pages) != 2 {
		t.Errorf("preview shows %+v, want the pinned revision", got)
	}

	keys, err := signingKeys(a.cfg)
	if err != nil {
		t.Fatal(err)
	}
	tokensAt := func(at time.Time) *auth.Tokens {
		tk, _ := auth.NewTokens(auth.TokenOptions{Issuer: strings.TrimRight(a.cfg.BaseURL, "/"), Keys: keys, Now: func() time.Time { return at }})
		return tk
	}
	tests := []struct {
		name  string
		token func() string
	}{
		{"a forged token is refused", func() string { return link.Token[:len(link.Token)-4] + "AAAA" }},
		{"an access token is refused", func() string { return s.AccessToken }},
		{"an expired token of a standing grant is refused", func() string {
			tok, err := tokensAt(time.Now().Add(-48*time.Hour)).IssuePreview(link.ID, f.draft.ID, f.draft.Version, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}},
		{"a signed token naming no grant is refused", func() string {
			tok, err := tokensAt(time.Now()).IssuePreview("0190a000-0000-7000-8000-000000000042", f.draft.ID, f.draft.Version, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}},
		{"a signed token naming the grant for another version is refused", func() string {
			tok, err := tokensAt(time.Now()).IssuePreview(link.ID, f.draft.ID, f.draft.Version+1, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}},
		{"a signed token naming the grant for another story is refused", func() string {
			tok, err := tokensAt(time.Now()).IssuePreview(link.ID, f.review.ID, f.draft.Version, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, "/api/v1/preview/"+tt.token())
			if rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "Embargoed") {
				t.Errorf("%d %s", rec.Code, rec.Body)
			}
		})
	}

	// Without a session no link is issued.
	if rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles/" + f.draft.ID + "/preview"}); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous preview link: %d", rec.Code)
	}
}

// TestOnlyWhoMayShareAStoryMakesItsPreviewLink: a preview link shows a story
// outside the newsroom, so contributors and authors make links of their own
// stories only, editors and admins of every story.
func TestOnlyWhoMayShareAStoryMakesItsPreviewLink(t *testing.T) {
	a, h := newTestApp(t)
	reporter := addUser(t, a, "reporter@harbour.example", auth.RoleContributor)
	other := addUser(t, a, "other@harbour.example", auth.RoleContributor)
	addUser(t, a, "author@harbour.example", auth.RoleAuthor)
	addUser(t, a, "editor@harbour.example", auth.RoleEditor)
	addUser(t, a, "admin@harbour.example", auth.RoleAdmin)
	own := storyBy(t, a, reporter.ID, "Harbour deal")
	othersDraft := storyBy(t, a, other.ID, "Another desk's embargoed draft")
	tests := []struct {
		name   string
		who    string
		story  *content.Article
		status int
	}{
		{"a contributor makes a link of their own draft", "reporter", own, http.StatusOK},
		{"a contributor cannot make one of another reporter's draft", "reporter", othersDraft, http.StatusForbidden},
		{"an author cannot make one of someone else's draft", "author", othersDraft, http.StatusForbidden},
		{"an editor makes one of anyone's draft", "editor", othersDraft, http.StatusOK},
		{"an admin makes one of anyone's draft", "admin", othersDraft, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := login(t, h, tt.who+"@harbour.example", testPassword)
			mintPreview(t, h, s.AccessToken, tt.story.ID, tt.status)
			if tt.status != http.StatusOK {
				for _, r := range []request{
					{method: "GET", target: "/api/admin/v1/articles/" + tt.story.ID + "/previews"},
					{method: "DELETE", target: "/api/admin/v1/articles/" + tt.story.ID + "/previews"},
				} {
					r.bearer = s.AccessToken
					if rec := send(t, h, r); rec.Code != http.StatusForbidden {
						t.Errorf("%s %s: %d, want 403", r.method, r.target, rec.Code)
					}
				}
			}
		})
	}
}

// TestPreviewLinksCanBeRevoked: a link stops working when the story's owner
// or an editor revokes it, when every link of the story is revoked, and
// when the story is withdrawn or deleted; someone else cannot revoke it.
// TestAPreviewOfALiveStoryShowsItsUnpublishedChanges: a preview link of a
// published story with a working copy shows the working copy, while the
// public story stays as it is.
func TestAPreviewOfALiveStoryShowsItsUnpublishedChanges(t *testing.T) {
	a, h := newTestApp(t)
	ctx := context.Background()
	addUser(t, a, "editor@harbour.example", auth.RoleEditor)
	es := login(t, h, "editor@harbour.example", testPassword)
	f := seed(t, a)
	live, err := a.db.Article(ctx, content.ArticleFilter{ID: &f.published.ID})
	if err != nil {
		t.Fatal(err)
	}
	e := live.Edit
	e.Headline = "Pending headline for the preview"
	if _, err := a.db.UpdateArticle(ctx, live.ID, content.Save{Version: live.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	wc, err := a.db.WorkingCopy(ctx, live.ID)
	if err != nil {
		t.Fatal(err)
	}
	link := mintPreview(t, h, es.AccessToken, live.ID, http.StatusOK)
	if link.Version != wc.Version {
		t.Errorf("the link names version %d, want the working copy's %d", link.Version, wc.Version)
	}
	if rec := get(t, h, "/api/v1/preview/"+link.Token); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Pending headline for the preview") {
		t.Errorf("preview: %d %s", rec.Code, rec.Body)
	}
	if rec := get(t, h, "/api/v1/articles/"+live.Slug); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Pending headline") {
		t.Errorf("the public story shows the pending change: %d %s", rec.Code, rec.Body)
	}
}

func TestPreviewLinksCanBeRevoked(t *testing.T) {
	a, h := newTestApp(t)
	reporter := addUser(t, a, "reporter@harbour.example", auth.RoleContributor)
	addUser(t, a, "other@harbour.example", auth.RoleContributor)
	addUser(t, a, "editor@harbour.example", auth.RoleEditor)
	rs := login(t, h, "reporter@harbour.example", testPassword)
	others := login(t, h, "other@harbour.example", testPassword)
	es := login(t, h, "editor@harbour.example", testPassword)
	f := seed(t, a)
	shows := func(t *testing.T, link previewLink) bool {
		t.Helper()
		rec := get(t, h, "/api/v1/preview/"+link.Token)
		if rec.Code != http.StatusOK && rec.Code != http.StatusUnauthorized {
			t.Fatalf("preview: %d %s", rec.Code, rec.Body)
		}
		if rec.Code == http.StatusUnauthorized && !strings.Contains(rec.Body.String(), `"detail":"invalid or expired token"`) {
			t.Errorf("refusal says %s", rec.Body)
		}
		return rec.Code == http.StatusOK
	}
	del := func(t *testing.T, bearer, target string, status int) {
		t.Helper()
		if rec := send(t, h, request{method: "DELETE", target: target, bearer: bearer}); rec.Code != status {
			t.Fatalf("DELETE %s: %d %s, want %d", target, rec.Code, rec.Body, status)
		}
	}

	t.Run("the story's owner revokes one link and the others keep working", func(t *testing.T) {
		story := storyBy(t, a, reporter.ID, "Owner revokes")
		first := mintPreview(t, h, rs.AccessToken, story.ID, http.StatusOK)
		second := mintPreview(t, h, rs.AccessToken, story.ID, http.StatusOK)
		del(t, rs.AccessToken, "/api/admin/v1/articles/"+story.ID+"/previews/"+first.ID, http.StatusNoContent)
		if shows(t, first) {
			t.Error("a revoked link still shows the story")
		}
		if !shows(t, second) {
			t.Error("revoking one link ended another")
		}
		var list struct {
			Previews []struct {
				ID, State string
				RevokedBy string `json:"revoked_by"`
			}
		}
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles/" + story.ID + "/previews", bearer: rs.AccessToken})
		decode(t, rec, &list)
		states := map[string]string{}
		revokedBy := ""
		for _, p := range list.Previews {
			states[p.ID] = p.State
			if p.ID == first.ID {
				revokedBy = p.RevokedBy
			}
		}
		if len(list.Previews) != 2 || states[first.ID] != content.PreviewRevoked || states[second.ID] != content.PreviewActive || revokedBy != reporter.ID {
			t.Errorf("the story's links: %s", rec.Body)
		}
		if strings.Contains(rec.Body.String(), second.Token) {
			t.Error("the list shows a link's token")
		}
	})
	t.Run("another reporter cannot revoke it", func(t *testing.T) {
		story := storyBy(t, a, reporter.ID, "Not yours")
		link := mintPreview(t, h, rs.AccessToken, story.ID, http.StatusOK)
		del(t, others.AccessToken, "/api/admin/v1/articles/"+story.ID+"/previews/"+link.ID, http.StatusForbidden)
		if !shows(t, link) {
			t.Error("a refused revocation ended the link")
		}
	})
	t.Run("a link of another story is not found under this one", func(t *testing.T) {
		mine := storyBy(t, a, reporter.ID, "Mine")
		theirs := storyBy(t, a, reporter.ID, "Also mine")
		link := mintPreview(t, h, rs.AccessToken, theirs.ID, http.StatusOK)
		del(t, rs.AccessToken, "/api/admin/v1/articles/"+mine.ID+"/previews/"+link.ID, http.StatusNotFound)
		if !shows(t, link) {
			t.Error("the link was revoked through another story")
		}
	})
	t.Run("an editor revokes every link of a story", func(t *testing.T) {
		story := storyBy(t, a, reporter.ID, "Editor revokes all")
		one := mintPreview(t, h, rs.AccessToken, story.ID, http.StatusOK)
		two := mintPreview(t, h, es.AccessToken, story.ID, http.StatusOK)
		del(t, es.AccessToken, "/api/admin/v1/articles/"+story.ID+"/previews", http.StatusNoContent)
		if shows(t, one) || shows(t, two) {
			t.Error("a link survived revoking every link of the story")
		}
	})
	t.Run("withdrawing the story revokes its links", func(t *testing.T) {
		link := mintPreview(t, h, es.AccessToken, f.published.ID, http.StatusOK)
		if !shows(t, link) {
			t.Fatal("the link does not work")
		}
		if rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles/" + f.published.ID + "/withdraw", bearer: es.AccessToken}); rec.Code != http.StatusOK {
			t.Fatalf("withdraw: %d %s", rec.Code, rec.Body)
		}
		if shows(t, link) {
			t.Error("a withdrawn story's link still shows it")
		}
	})
	t.Run("deleting the story revokes its links", func(t *testing.T) {
		story := storyBy(t, a, reporter.ID, "Deleted soon")
		link := mintPreview(t, h, rs.AccessToken, story.ID, http.StatusOK)
		del(t, es.AccessToken, "/api/admin/v1/articles/"+story.ID, http.StatusNoContent)
		if shows(t, link) {
			t.Error("a deleted story's link still shows it")
		}
	})
}

// TestPreviewLinkLifetimeIsConfigured: preview_ttl sets how long a link
// works, in its token and on the server; past it the link is refused.
func TestPreviewLinkLifetimeIsConfigured(t *testing.T) {
	a, _, _, skew := keyTestApp(t)
	a.cfg.PreviewTTL = 30 * time.Minute
	h := newRouter(a)
	addUser(t, a, "ed@harbour.example", auth.RoleEditor)
	s := login(t, h, "ed@harbour.example", testPassword)
	story := storyBy(t, a, "", "Short-lived")
	link := mintPreview(t, h, s.AccessToken, story.ID, http.StatusOK)
	if d := time.Until(link.ExpiresAt); d < 29*time.Minute || d > 31*time.Minute {
		t.Errorf("the link expires in %s, want 30m", d)
	}
	var claims jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(link.Token, &claims); err != nil {
		t.Fatal(err)
	}
	if life := claims.ExpiresAt.Sub(claims.IssuedAt.Time); life != 30*time.Minute {
		t.Errorf("the token lives %s, want 30m", life)
	}
	if rec := get(t, h, "/api/v1/preview/"+link.Token); rec.Code != http.StatusOK {
		t.Fatalf("preview: %d %s", rec.Code, rec.Body)
	}
	*skew = 31 * time.Minute // the server's clock passes the grant's expiry
	if rec := get(t, h, "/api/v1/preview/"+link.Token); rec.Code != http.StatusUnauthorized {
		t.Errorf("a link past its grant's expiry: %d %s", rec.Code, rec.Body)
	}
}

// TestAPreviewIsRenderedOnceAndServedAsStored: the revision is rendered when
// the link is made and kept with the grant; every request serves those
// bytes and renders nothing. The test changes the stored document behind
// the server's back: the next answer is the changed bytes, which it could
// not be if the request rendered the revision again.
func TestAPreviewIsRenderedOnceAndServedAsStored(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "ed@harbour.example", auth.RoleEditor)
	s := login(t, h, "ed@harbour.example", testPassword)
	f := seed(t, a)
	link := mintPreview(t, h, s.AccessToken, f.draft.ID, http.StatusOK)

	_, stored, err := a.db.StandingPreview(t.Context(), link.ID)
	if err != nil {
		t.Fatal(err)
	}
	first, second := get(t, h, "/api/v1/preview/"+link.Token), get(t, h, "/api/v1/preview/"+link.Token)
	if first.Code != http.StatusOK || !bytes.Equal(first.Body.Bytes(), stored) || !bytes.Equal(second.Body.Bytes(), stored) {
		t.Fatalf("the answers are not the stored document:\n%s\n%s\nstored %s", first.Body, second.Body, stored)
	}
	marked := bytes.Replace(stored, []byte(`"headline":"Embargoed draft"`), []byte(`"headline":"Served as stored"`), 1)
	if bytes.Equal(marked, stored) {
		t.Fatalf("no headline in the stored document %s", stored)
	}
	sqlitetest.ReplacePreviewDocument(t, filepath.Join(a.cfg.DataDir, "dateline.db"), link.ID, marked)
	if third := get(t, h, "/api/v1/preview/"+link.Token); !bytes.Equal(third.Body.Bytes(), marked) {
		t.Errorf("the third request rendered the revision again instead of serving what is stored: %s", third.Body)
	}
}
