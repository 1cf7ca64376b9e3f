package content

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// EventTypes lists the event types the outbox writes, which webhooks can
// subscribe to.
var EventTypes = []string{EventPublished, EventUpdated, EventUnpublished, EventTagUpdated, EventTagDeleted, EventAuthorUpdated}

// ArticleEventTypes lists the event types of stories, the ones the
// changes feed shows.
var ArticleEventTypes = []string{EventPublished, EventUpdated, EventUnpublished}

// EventTest is the type of the test message an admin sends to a webhook; it
// is never written to the outbox.
const EventTest = "webhook.test"

// Event is one row of the outbox: a change of public significance to a
// story, a tag or an author, written in the same transaction as the
// change. ArticleID is empty for a tag's or an author's event, whose Slug
// is the tag's or author's.
type Event struct {
	ID         int64          `json:"id"`
	Type       string         `json:"type"`
	ArticleID  string         `json:"article_id"`
	Slug       string         `json:"slug"`
	Payload    map[string]any `json:"payload"` // e.g. first, version, previous_slug
	OccurredAt time.Time      `json:"occurred_at"`
}

// EventFilter selects outbox events in id order.
type EventFilter struct {
	AfterID int64    // events with a greater id
	Limit   int      // 0 means DefaultLimit
	Types   []string // only events of these types; empty: every type
}

// Webhook is a subscription of a URL to event types. Secret is the signing
// key ("whsec_" + base64); stores return it only when the hook is created.
type Webhook struct {
	ID             string    `json:"id"`
	URL            string    `json:"url"`
	Events         []string  `json:"events"` // empty: every event type
	Description    string    `json:"description"`
	Secret         string    `json:"secret,omitempty"`
	Active         bool      `json:"active"`
	DisabledReason string    `json:"disabled_reason,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Wants reports whether the hook subscribes to events of type typ.
func (w *Webhook) Wants(typ string) bool {
	return len(w.Events) == 0 || slices.Contains(w.Events, typ)
}

// WebhookEdit is what an admin sets on a webhook. Nil fields of a patch are
// left as they are.
type WebhookEdit struct {
	URL         *string   `json:"url"`
	Events      *[]string `json:"events"`
	Description *string   `json:"description"`
	Active      *bool     `json:"active"`
}

// Validate checks the fields that are set and normalizes the event list:
// "*" or an empty list means every event type; duplicates are dropped.
// create requires a URL.
func (e *WebhookEdit) Validate(create bool) error {
	var p Problems
	switch {
	case e.URL != nil:
		u := strings.TrimSpace(*e.URL)
		e.URL = &u
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" || pu.User != nil || len(u) > 2000 {
			p.Add("url", "must be an absolute http or https URL without credentials, at most 2000 characters")
		}
	case create:
		p.Add("url", "is required")
	}
	if e.Events != nil {
		evs := []string{}
		all := false
		for i, ev := range *e.Events {
			switch {
			case ev == "*":
				all = true
			case slices.Contains(EventTypes, ev):
				if !slices.Contains(evs, ev) {
					evs = append(evs, ev)
				}
			default:
				p.Add("events["+strconv.Itoa(i)+"]", "%q is not an event type; use one of %s or \"*\"", ev, strings.Join(EventTypes, ", "))
			}
		}
		if all || len(evs) == len(EventTypes) {
			evs = []string{}
		}
		e.Events = &evs
	}
	if e.Description != nil {
		d := strings.TrimSpace(*e.Description)
		e.Description = &d
		checkText(&p, "description", d, false)
		if len([]rune(d)) > 200 {
			p.Add("description", "at most 200 characters")
		}
	}
	return p.Err()
}

// NewWebhookSecret returns a new random signing secret in the Standard
// Webhooks form: "whsec_" followed by the base64 of 32 random bytes.
func NewWebhookSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b), nil
}

// DeliveryStatus is where one webhook delivery stands.
type DeliveryStatus string

// The delivery statuses: pending until it succeeds or gives up.
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryFailed    DeliveryStatus = "failed"
)

// Delivery is one event sent (or to be sent) to one webhook. ID is the
// stable "webhook-id" every attempt carries, so receivers can drop
// duplicates.
type Delivery struct {
	ID             string         `json:"id"`
	WebhookID      string         `json:"webhook_id"`
	Event          Event          `json:"event"`
	Status         DeliveryStatus `json:"status"`
	Attempts       int            `json:"attempts"`
	LastStatusCode int            `json:"last_status_code,omitempty"`
	LastError      string         `json:"last_error,omitempty"`
	NextAttemptAt  *time.Time     `json:"next_attempt_at,omitempty"`
	DeliveredAt    *time.Time     `json:"delivered_at,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`

	// URL and Secret are the target's, filled in only for the sender.
	URL    string `json:"-"`
	Secret string `json:"-"`
}

// DeliveryFilter selects deliveries, newest first.
type DeliveryFilter struct {
	WebhookID string
	Status    DeliveryStatus // "" for all
	Limit     int            // 0 means DefaultLimit
}

// Attempt is the outcome of one delivery attempt.
type Attempt struct {
	At         time.Time
	StatusCode int    // 0 when no response came
	Err        string // why it failed; "" when delivered
	Delivered  bool
	// RetryAt is when to try again; nil (and not delivered) gives up and
	// marks the delivery failed.
	RetryAt *time.Time
	// DisableHook turns the webhook off (the receiver answered 410 Gone).
	DisableHook bool
}

// MaxAttemptError bounds the bytes of an attempt's error a delivery keeps.
const MaxAttemptError = 500

// AttemptRecord is what a store writes for an attempt (Attempt.Record).
type AttemptRecord struct {
	Status DeliveryStatus // pending (to retry), delivered or failed
	Error  string         // Err cut to MaxAttemptError bytes on a character boundary
	// DisabledReason is the webhook's disabled_reason when the attempt
	// turns it off, "" otherwise.
	DisabledReason string
}

// Record decides what a store writes for the attempt: the delivery's new
// status, the error it keeps and, for a 410, why its webhook is off.
func (a Attempt) Record() AttemptRecord {
	r := AttemptRecord{Status: DeliveryFailed, Error: a.Err}
	switch {
	case a.Delivered:
		r.Status = DeliveryDelivered
	case a.RetryAt != nil:
		r.Status = DeliveryPending
	}
	if len(r.Error) > MaxAttemptError {
		cut := MaxAttemptError
		for cut > 0 && !utf8.RuneStart(r.Error[cut]) {
			cut--
		}
		r.Error = r.Error[:cut]
	}
	if a.DisableHook {
		r.DisabledReason = "the receiver answered 410 Gone at " + a.At.UTC().Format(EventTimeLayout)
	}
	return r
}

// ScheduleAction is what the scheduler does to a story when it is due.
type ScheduleAction string

// The scheduler's actions.
const (
	ActionPublish   ScheduleAction = "publish"   // at publish_at, from scheduled
	ActionUnpublish ScheduleAction = "unpublish" // at unpublish_at, from published
	ActionUpdate    ScheduleAction = "update"    // at a working copy's publish_at (a scheduled update)
)

// ScheduleItem is one publication or withdrawal the scheduler will carry
// out (or should have).
type ScheduleItem struct {
	ArticleID string         `json:"article_id"`
	Slug      string         `json:"slug"`
	Headline  string         `json:"headline"`
	Action    ScheduleAction `json:"action"`
	At        time.Time      `json:"at"`
}

// ScheduleFilter selects schedule items in time order.
type ScheduleFilter struct {
	DueBy *time.Time // due at or before this instant
	After *time.Time // due strictly after this instant
	Limit int        // 0 means DefaultLimit
}

// ScheduleFailure is an item whose claim failed with an unexpected error
// (anything but "someone else already did it"); the scheduler retries it.
type ScheduleFailure struct {
	ScheduleItem
	Error       string    `json:"error"`
	Attempts    int       `json:"attempts"`
	LastAttempt time.Time `json:"last_attempt"`
	NextRetry   time.Time `json:"next_retry"`
}

// ScheduleHealth is what an editor or operator needs to trust the
// scheduler: what comes next, what is late and what failed.
type ScheduleHealth struct {
	Now      time.Time         `json:"now"`
	NextDue  *time.Time        `json:"next_due"`
	Upcoming []ScheduleItem    `json:"upcoming"`
	Late     []ScheduleItem    `json:"late"` // due more than the grace period ago, not yet done
	Failed   []ScheduleFailure `json:"failed"`
	// LastPublishLag is how long after its time the last item this
	// process carried out was done, in seconds; nil before the first.
	LastPublishLag *float64 `json:"last_publish_lag_seconds"`
	FailedTotal    int      `json:"failed_total"` // failed claims since start
}
