package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/auth"
)

// TestWorkflowStepsOfSomeoneNotHoldingTheEditLockAreRefused checks through
// the production router that the edit lock blocks more than saves: while
// one user holds it, another user's submit, publish, schedule, withdraw,
// Update, Discard and cancelling a scheduled update are each a 409 naming
// the holder, and the story stays as it was; the holder's own steps go
// through.
func TestWorkflowStepsOfSomeoneNotHoldingTheEditLockAreRefused(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "arto@example.org", auth.RoleAuthor)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	au := login(t, h, "arto@example.org", testPassword).AccessToken
	ed := login(t, h, "edda@example.org", testPassword).AccessToken

	call := func(token, method, path, body string) (int, string) {
		t.Helper()
		rec := send(t, h, request{method: method, target: "/api/admin/v1" + path, body: body, bearer: token})
		return rec.Code, rec.Body.String()
	}
	var story struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Version int    `json:"version"`
		WC      *struct {
			Version int `json:"version"`
		} `json:"working_copy"`
	}
	read := func() {
		t.Helper()
		rec := send(t, h, request{method: "GET", target: "/api/admin/v1/articles/" + story.ID, bearer: au})
		decode(t, rec, &story)
	}
	rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles", bearer: au,
		body: `{"headline": "Ferry timetable changes", "body": "Boats run later.", "photos": [{"url": "https://images.example.org/f.jpg", "caption": "A ferry", "credit": "© Ann Lee/Agency", "alt": "A white ferry"}]}`})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	decode(t, rec, &story)
	if code, body := call(au, "POST", "/articles/"+story.ID+"/lock", ""); code != http.StatusOK {
		t.Fatalf("the author takes the lock: %d %s", code, body)
	}

	refused := func(name, method, path, body string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			before := story
			code, out := call(ed, method, "/articles/"+story.ID+path, body)
			if code != http.StatusConflict {
				t.Fatalf("%s by a user not holding the lock: %d %s, want 409", name, code, out)
			}
			if !strings.Contains(out, "arto is editing this story") || !strings.Contains(out, `"lock"`) {
				t.Errorf("the refusal does not say who is editing: %s", out)
			}
			read()
			if story.Status != before.Status || story.Version != before.Version {
				t.Errorf("the refused %s changed the story: %+v, was %+v", name, story, before)
			}
		})
	}
	later := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	refused("submit", "POST", "/submit", fmt.Sprintf(`{"version": %d}`, story.Version))
	refused("publish", "POST", "/publish", fmt.Sprintf(`{"version": %d}`, story.Version))
	refused("schedule", "POST", "/schedule", fmt.Sprintf(`{"version": %d, "publish_at": %q}`, story.Version, later))

	if code, body := call(au, "POST", "/articles/"+story.ID+"/publish", fmt.Sprintf(`{"version": %d}`, story.Version)); code != http.StatusOK {
		t.Fatalf("the holder publishes: %d %s", code, body)
	}
	read()
	code, body := call(au, "PATCH", "/articles/"+story.ID, fmt.Sprintf(`{"version": %d, "headline": "Ferry timetable changes again"}`, story.Version))
	if code != http.StatusOK {
		t.Fatalf("the holder saves into the working copy: %d %s", code, body)
	}
	read()
	if story.WC == nil {
		t.Fatalf("no working copy after a save of a live story: %+v", story)
	}
	wc := story.WC.Version
	refused("update", "POST", "/update", fmt.Sprintf(`{"version": %d}`, wc))
	refused("discard", "POST", "/discard", fmt.Sprintf(`{"version": %d}`, wc))
	refused("withdraw", "POST", "/withdraw", fmt.Sprintf(`{"version": %d}`, wc))

	// A scheduled update is the holder's to cancel, too.
	if code, body := call(au, "POST", "/articles/"+story.ID+"/update", fmt.Sprintf(`{"version": %d, "publish_at": %q}`, wc, later)); code != http.StatusOK {
		t.Fatalf("the holder schedules the update: %d %s", code, body)
	}
	read()
	refused("cancel the scheduled update", "DELETE", "/update", fmt.Sprintf(`{"version": %d}`, wc))
	if code, body := call(au, "DELETE", "/articles/"+story.ID+"/update", fmt.Sprintf(`{"version": %d}`, wc)); code != http.StatusOK {
		t.Fatalf("the holder cancels the scheduled update: %d %s", code, body)
	}
	read()

	// Once the editor takes over, the roles turn: the author is refused.
	if code, body := call(ed, "POST", "/articles/"+story.ID+"/lock/takeover", ""); code != http.StatusOK {
		t.Fatalf("take over: %d %s", code, body)
	}
	if code, body := call(au, "POST", "/articles/"+story.ID+"/update", fmt.Sprintf(`{"version": %d}`, wc)); code != http.StatusConflict || !strings.Contains(body, "edda is editing") {
		t.Errorf("the author's Update after a take-over: %d %s, want 409 naming the editor", code, body)
	}
	if code, body := call(ed, "POST", "/articles/"+story.ID+"/update", fmt.Sprintf(`{"version": %d}`, wc)); code != http.StatusOK {
		t.Errorf("the new holder's Update: %d %s", code, body)
	}
}
