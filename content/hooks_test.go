package content

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestAnAttemptIsRecordedAsItsOutcome(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	retry := at.Add(time.Minute)
	long := strings.Repeat("x", MaxAttemptError-1) + "é and more" // é straddles the limit
	tests := []struct {
		name   string
		a      Attempt
		want   DeliveryStatus
		err    string
		reason string
	}{
		{"a delivered attempt", Attempt{At: at, StatusCode: 204, Delivered: true}, DeliveryDelivered, "", ""},
		{"a failed attempt with a retry stays pending", Attempt{At: at, StatusCode: 500, Err: "500 Internal Server Error", RetryAt: &retry}, DeliveryPending, "500 Internal Server Error", ""},
		{"a failed attempt without a retry gives up", Attempt{At: at, Err: "dial refused"}, DeliveryFailed, "dial refused", ""},
		{"a 410 gives up and says when the webhook was turned off", Attempt{At: at, StatusCode: 410, Err: "410 Gone: the receiver asked to stop", DisableHook: true},
			DeliveryFailed, "410 Gone: the receiver asked to stop", "the receiver answered 410 Gone at 2026-03-01T08:30:00.000000Z"},
		{"a long error is cut on a character boundary", Attempt{At: at, Err: long}, DeliveryFailed, strings.Repeat("x", MaxAttemptError-1), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.a.Record()
			if r.Status != tc.want || r.Error != tc.err || r.DisabledReason != tc.reason {
				t.Errorf("Record() = %+v, want status %s, error %q, reason %q", r, tc.want, tc.err, tc.reason)
			}
			if !utf8.ValidString(r.Error) || len(r.Error) > MaxAttemptError {
				t.Errorf("the error kept is %d bytes, valid UTF-8 %v", len(r.Error), utf8.ValidString(r.Error))
			}
		})
	}
}
