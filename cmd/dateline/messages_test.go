package main

import (
	"net/http"
	"strings"
	"testing"

	"dateline/auth"
)

// TestAWebhookToAPrivateAddressIsRefusedWhenMade checks the production
// wiring of the create-time check: the same rule as the delivery dialer,
// lifted by webhooks_allow_private.
func TestAWebhookToAPrivateAddressIsRefusedWhenMade(t *testing.T) {
	for _, allow := range []bool{false, true} {
		a, _ := newTestApp(t)
		a.cfg.WebhooksAllowPrivate = allow
		h := newRouter(a)
		addUser(t, a, "admin@harbour.example", auth.RoleAdmin)
		tok := login(t, h, "admin@harbour.example", testPassword).AccessToken
		tests := []struct {
			name, body string
			private    bool
		}{
			{"a loopback address", `{"url": "http://127.0.0.1:9000/hook"}`, true},
			{"localhost", `{"url": "http://localhost:9000/hook"}`, true},
			{"a cloud metadata address", `{"url": "http://169.254.169.254/latest"}`, true},
			{"a public address", `{"url": "https://93.184.216.34/hook"}`, false},
		}
		for _, tt := range tests {
			want := http.StatusCreated
			if tt.private && !allow {
				want = http.StatusBadRequest
			}
			t.Run(tt.name+" with webhooks_allow_private "+map[bool]string{true: "on", false: "off"}[allow], func(t *testing.T) {
				rec := send(t, h, request{method: "POST", target: "/api/admin/v1/webhooks", body: tt.body, bearer: tok})
				if rec.Code != want {
					t.Fatalf("%d %s, want %d", rec.Code, rec.Body, want)
				}
				if want == http.StatusBadRequest && (!strings.Contains(rec.Body.String(), `"field":"url"`) || !strings.Contains(rec.Body.String(), "webhooks_allow_private")) {
					t.Errorf("the refusal does not name url and the setting: %s", rec.Body)
				}
			})
		}
		if !allow {
			t.Run("changing a hook's url to a private address is refused too", func(t *testing.T) {
				rec := send(t, h, request{method: "POST", target: "/api/admin/v1/webhooks", body: `{"url": "https://93.184.216.35/hook"}`, bearer: tok})
				var hook struct{ ID string }
				decode(t, rec, &hook)
				rec = send(t, h, request{method: "PATCH", target: "/api/admin/v1/webhooks/" + hook.ID, body: `{"url": "http://10.0.0.8/hook"}`, bearer: tok})
				if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"field":"url"`) {
					t.Errorf("%d %s", rec.Code, rec.Body)
				}
			})
		}
	}
}
