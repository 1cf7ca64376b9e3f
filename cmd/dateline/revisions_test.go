package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"dateline/auth"
)

// TestAutosavesShareARevisionThroughTheAdminAPI drives the editor's saves
// through the production router with the default revision settings:
// autosaves fold into one revision, the version check still refuses a stale
// save, a preview link keeps its revision, manual saves and restores add
// revisions of their own.
func TestAutosavesShareARevisionThroughTheAdminAPI(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "ed@harbour.example", auth.RoleEditor)
	tok := login(t, h, "ed@harbour.example", testPassword).AccessToken
	api := "/api/admin/v1/articles"

	rec := send(t, h, request{method: "POST", target: api, bearer: tok,
		body: `{"headline": "Take 0", "dateline": {"place": "OSLO"}, "body": "Text."}`})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var story struct {
		ID      string
		Version int
	}
	decode(t, rec, &story)
	save := func(version int, headline string, autosave bool, want int) {
		t.Helper()
		body := fmt.Sprintf(`{"version": %d, "autosave": %t, "headline": %q, "dateline": {"place": "OSLO"}, "body": "Text."}`, version, autosave, headline)
		rec := send(t, h, request{method: "PATCH", target: api + "/" + story.ID, bearer: tok, body: body})
		if rec.Code != want {
			t.Fatalf("save %q on version %d: %d, want %d: %s", headline, version, rec.Code, want, rec.Body)
		}
		if want == http.StatusOK {
			decode(t, rec, &story)
		}
	}
	revisions := func() []string {
		t.Helper()
		rec := send(t, h, request{method: "GET", target: api + "/" + story.ID + "/revisions", bearer: tok})
		var out struct {
			Revisions []struct {
				Version  int
				Autosave bool
				State    struct{ Headline string }
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("revisions: %d %s", rec.Code, rec.Body)
		}
		var got []string
		for _, r := range out.Revisions {
			s := fmt.Sprintf("v%d %s", r.Version, r.State.Headline)
			if r.Autosave {
				s += " (auto)"
			}
			got = append(got, s)
		}
		return got
	}
	check := func(step string, want ...string) {
		t.Helper()
		if got := revisions(); !slices.Equal(got, want) {
			t.Errorf("%s: revisions %q, want %q", step, got, want)
		}
	}

	for i := 1; i <= 3; i++ {
		save(story.Version, fmt.Sprintf("Take %d", i), true, http.StatusOK)
	}
	if story.Version != 4 {
		t.Fatalf("version %d after three autosaves, want 4", story.Version)
	}
	check("three autosaves", "v4 Take 3 (auto)", "v1 Take 0")
	save(3, "Stale take", true, http.StatusConflict)

	rec = send(t, h, request{method: "POST", target: api + "/" + story.ID + "/preview", bearer: tok})
	var link struct {
		Token   string
		Version int
	}
	decode(t, rec, &link)
	if rec.Code != http.StatusOK || link.Version != 4 {
		t.Fatalf("preview link: %d %s", rec.Code, rec.Body)
	}
	save(story.Version, "Take 4", true, http.StatusOK)
	save(story.Version, "Take 5", true, http.StatusOK)
	check("autosaves after a preview link", "v6 Take 5 (auto)", "v4 Take 3 (auto)", "v1 Take 0")
	rec = get(t, h, "/api/v1/preview/"+link.Token)
	var shown struct{ Headline string }
	decode(t, rec, &shown)
	if rec.Code != http.StatusOK || shown.Headline != "Take 3" {
		t.Errorf("preview after autosaves: %d %s, want Take 3", rec.Code, rec.Body)
	}

	save(story.Version, "Take 6", false, http.StatusOK)
	save(story.Version, "Take 7", true, http.StatusOK)
	check("a manual save and an autosave", "v8 Take 7 (auto)", "v7 Take 6", "v6 Take 5 (auto)", "v4 Take 3 (auto)", "v1 Take 0")

	rec = send(t, h, request{method: "POST", target: fmt.Sprintf("%s/%s/revisions/4/restore", api, story.ID), bearer: tok})
	if rec.Code != http.StatusOK {
		t.Fatalf("restore v4: %d %s", rec.Code, rec.Body)
	}
	decode(t, rec, &story)
	save(story.Version, "Take 8", true, http.StatusOK)
	check("a restore and an autosave", "v10 Take 8 (auto)", "v9 Take 3", "v8 Take 7 (auto)", "v7 Take 6",
		"v6 Take 5 (auto)", "v4 Take 3 (auto)", "v1 Take 0")
}
