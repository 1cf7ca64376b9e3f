package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

// TestDraftPreviewThroughTheDeliveryAPI covers preview links: issued by the
// admin API for the story's current revision, served by the delivery API
// with noindex and no caching, pinned to that revision, refused when
// expired, forged or of the wrong audience.
func TestDraftPreviewThroughTheDeliveryAPI(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "ed@harbour.example", auth.RoleEditor)
	s := login(t, h, "ed@harbour.example", testPassword)
	f := seed(t, a)

	rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles/" + f.draft.ID + "/preview", bearer: s.AccessToken})
	if rec.Code != http.StatusOK {
		t.Fatalf("issue preview: %d %s", rec.Code, rec.Body)
	}
	var link struct {
		Token, URL string
		Version    int
	}
	decode(t, rec, &link)
	if !strings.HasPrefix(link.URL, a.cfg.BaseURL+"/api/v1/preview/") || link.Version != f.draft.Version {
		t.Fatalf("preview link %+v", link)
	}

	// A later save must not change what the link shows.
	e := f.draft.Edit
	e.Headline = "Embargoed draft, second take"
	if _, err := a.db.UpdateArticle(context.Background(), f.draft.ID, content.Save{Version: f.draft.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}

	rec = get(t, h, "/api/v1/preview/"+link.Token)
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

	tests := []struct {
		name  string
		token func() string
	}{
		{"a forged token is refused", func() string { return link.Token[:len(link.Token)-4] + "AAAA" }},
		{"an access token is refused", func() string { return s.AccessToken }},
		{"an expired token is refused", func() string {
			keys, err := signingKeys(a.cfg)
			if err != nil {
				t.Fatal(err)
			}
			tokens, _ := auth.NewTokens(strings.TrimRight(a.cfg.BaseURL, "/"), keys)
			tokens.Now = func() time.Time { return time.Now().Add(-48 * time.Hour) }
			tok, err := tokens.IssuePreview(f.draft.ID, f.draft.Version, time.Hour)
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
