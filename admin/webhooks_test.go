package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

// hookRouter is newEnv, and its store, for the webhook and schedule
// endpoints.
func hookRouter(tb testing.TB) (*env, *sqlite.DB) {
	tb.Helper()
	e := newEnv(tb)
	return e, e.db
}

// call sends a request to target as the user of role ("" sends no
// credentials).
func call(tb testing.TB, e *env, role, method, target, body string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if role != "" {
		e.authorize(tb, req, e.role[auth.Role(role)])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

func TestWebhookEndpoints(t *testing.T) {
	h, db := hookRouter(t)
	rec := call(t, h, "admin", "POST", "/api/admin/v1/webhooks", `{"url":"https://hooks.example.org/in","events":["article.published"],"description":"Site rebuild"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var created content.Webhook
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.Secret, "whsec_") || len(created.Secret) < 40 || !created.Active {
		t.Fatalf("created = %+v", created)
	}
	base := "/api/admin/v1/webhooks/" + created.ID
	if _, err := db.QueueTestDelivery(context.Background(), created.ID); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, role, method, target, body string
		status                           int
		contains, excludes               []string
	}{
		{"the list never shows a secret", "admin", "GET", "/api/admin/v1/webhooks", "", 200,
			[]string{`"url":"https://hooks.example.org/in"`, `"events":["article.published"]`}, []string{"whsec_", `"secret"`}},
		{"one hook never shows its secret", "admin", "GET", base, "", 200, []string{`"description":"Site rebuild"`}, []string{"whsec_"}},
		{"a patch changes only what it names", "admin", "PATCH", base, `{"events":["*"],"active":false}`, 200,
			[]string{`"events":[]`, `"active":false`, `"description":"Site rebuild"`}, nil},
		{"a patch turns the hook back on", "admin", "PATCH", base, `{"active":true}`, 200, []string{`"active":true`}, nil},
		{"the delivery log lists deliveries", "admin", "GET", base + "/deliveries", "", 200,
			[]string{`"type":"webhook.test"`, `"status":"pending"`, `"id":"msg_`}, []string{"whsec_"}},
		{"the delivery log filters by status", "admin", "GET", base + "/deliveries?status=delivered", "", 200, []string{`"deliveries":[]`}, nil},
		{"a bad status filter is refused", "admin", "GET", base + "/deliveries?status=lost", "", 400, []string{`"field":"status"`}, nil},
		{"a bad limit is refused", "admin", "GET", base + "/deliveries?limit=9999", "", 400, []string{`"field":"limit"`}, nil},
		{"a test message is queued", "admin", "POST", base + "/test", "", 202, []string{`"type":"webhook.test"`}, nil},
		{"a URL that is not http is refused", "admin", "POST", "/api/admin/v1/webhooks", `{"url":"ftp://x.example.org/"}`, 400, []string{`"field":"url"`}, nil},
		{"a missing URL is refused", "admin", "POST", "/api/admin/v1/webhooks", `{"events":[]}`, 400, []string{`"field":"url"`}, nil},
		{"an unknown event type is refused", "admin", "POST", "/api/admin/v1/webhooks", `{"url":"https://a.example.org","events":["article.deleted"]}`, 400, []string{`"field":"events[0]"`}, nil},
		{"an unknown field is refused by name", "admin", "POST", "/api/admin/v1/webhooks", `{"url":"https://a.example.org","secret":"mine"}`, 400, []string{`"field":"secret"`}, nil},
		{"a wrong type is refused by name", "admin", "PATCH", base, `{"active":"yes"}`, 400, []string{`"field":"active"`}, nil},
		{"trailing data is refused", "admin", "PATCH", base, `{"active":true} {}`, 400, []string{`"detail":"the request body must hold one JSON value and nothing after it"`}, []string{`"field"`}},
		{"an unknown hook is not found", "admin", "GET", "/api/admin/v1/webhooks/0190a000-0000-7000-8000-00000000dead", "", 404, []string{`"code":"not_found"`}, nil},
		{"the log of an unknown hook is not found", "admin", "GET", "/api/admin/v1/webhooks/0190a000-0000-7000-8000-00000000dead/deliveries", "", 404, nil, nil},
		{"a malformed hook id is a 400 naming the id", "admin", "GET", "/api/admin/v1/webhooks/nope", "", 400, []string{`"field":"id"`}, nil},
		{"an editor may not manage webhooks", "editor", "GET", "/api/admin/v1/webhooks", "", 403, []string{`"code":"forbidden"`}, nil},
		{"nobody without a login may", "", "POST", "/api/admin/v1/webhooks", `{"url":"https://a.example.org"}`, 401, []string{`"code":"unauthorized"`}, nil},
		{"an editor may see the schedule", "editor", "GET", "/api/admin/v1/schedule", "", 200, []string{`"upcoming":[]`, `"late":[]`, `"failed":[]`}, nil},
		{"an author may not see the schedule", "author", "GET", "/api/admin/v1/schedule", "", 403, nil, nil},
		{"a delete removes the hook", "admin", "DELETE", base, "", 204, nil, nil},
		{"a deleted hook is gone", "admin", "GET", base, "", 404, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := call(t, h, tt.role, tt.method, tt.target, tt.body)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("content type %q", rec.Header().Get("Content-Type"))
			}
			for _, s := range tt.contains {
				if !strings.Contains(rec.Body.String(), s) {
					t.Errorf("body lacks %s: %s", s, rec.Body)
				}
			}
			for _, s := range tt.excludes {
				if strings.Contains(rec.Body.String(), s) {
					t.Errorf("body has %s: %s", s, rec.Body)
				}
			}
		})
	}
}

func TestScheduleEndpointListsUpcomingAndLate(t *testing.T) {
	h, db := hookRouter(t)
	ctx := context.Background()
	soon, overdue := time.Now().Add(time.Hour), time.Now().Add(-time.Hour)
	_, err := db.Import(ctx, []content.Import{
		{Edit: content.Edit{Headline: "Coming up"}, Status: content.StatusScheduled, PublishAt: &soon},
		{Edit: content.Edit{Headline: "Running late"}, Status: content.StatusScheduled, PublishAt: &overdue},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	rec := call(t, h, "editor", "GET", "/api/admin/v1/schedule", "")
	var out content.ScheduleHealth
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Upcoming) != 1 || out.Upcoming[0].Slug != "coming-up" || len(out.Late) != 1 || out.Late[0].Slug != "running-late" ||
		out.NextDue == nil || !out.NextDue.Equal(out.Late[0].At) {
		t.Errorf("schedule = %s", rec.Body)
	}
}
