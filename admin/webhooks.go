package admin

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// WebhookStore is what the webhook endpoints need from storage.
type WebhookStore interface {
	CreateWebhook(ctx context.Context, e content.WebhookEdit) (*content.Webhook, error)
	Webhooks(ctx context.Context) ([]content.Webhook, error)
	Webhook(ctx context.Context, id string) (*content.Webhook, error)
	UpdateWebhook(ctx context.Context, id string, e content.WebhookEdit) (*content.Webhook, error)
	DeleteWebhook(ctx context.Context, id string) error
	Deliveries(ctx context.Context, f content.DeliveryFilter) ([]content.Delivery, error)
	QueueTestDelivery(ctx context.Context, id string) (*content.Delivery, error)
	// RetryDelivery queues a failed delivery for another attempt now.
	RetryDelivery(ctx context.Context, hookID, id string) (*content.Delivery, error)
}

// Webhooks serves the admin webhook endpoints. Only admins may use them.
type Webhooks struct {
	Store WebhookStore
	// Kick, if set, wakes the dispatcher after a test message is queued.
	Kick func()
	Log  *slog.Logger
	// CheckURL, if set, refuses a target URL that deliveries would refuse
	// (a private, loopback or link-local address; see
	// webhook.CheckTarget): a create or a change of url is then a 400
	// naming url, and nothing is saved.
	CheckURL func(ctx context.Context, url string) error
}

// checkURL applies CheckURL to the URL of e, if any.
func (h *Webhooks) checkURL(c *gin.Context, e content.WebhookEdit) error {
	if h.CheckURL == nil || e.URL == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := h.CheckURL(ctx, *e.URL); err != nil {
		var p content.Problems
		p.Add("url", "is refused: %s; deliveries are never sent there (webhooks_allow_private allows it for local development)", err.Error())
		return p.Err()
	}
	return nil
}

func (h *Webhooks) handleList(c *gin.Context) {
	hooks, err := h.Store.Webhooks(c.Request.Context())
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.JSON(http.StatusOK, gin.H{"webhooks": hooks})
}

func (h *Webhooks) handleCreate(c *gin.Context) {
	var e content.WebhookEdit
	if err := decodeBody(c, &e, hookMaxBody, false); err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	if err := h.checkURL(c, e); err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	w, err := h.Store.CreateWebhook(c.Request.Context(), e)
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.Header("Location", c.Request.URL.Path+"/"+w.ID)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, w)
}

func (h *Webhooks) handleGet(c *gin.Context) {
	id, ok := h.hookID(c)
	if !ok {
		return
	}
	w, err := h.Store.Webhook(c.Request.Context(), id)
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.JSON(http.StatusOK, w)
}

func (h *Webhooks) handleUpdate(c *gin.Context) {
	id, ok := h.hookID(c)
	if !ok {
		return
	}
	var e content.WebhookEdit
	if err := decodeBody(c, &e, hookMaxBody, false); err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	if err := h.checkURL(c, e); err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	w, err := h.Store.UpdateWebhook(c.Request.Context(), id, e)
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.JSON(http.StatusOK, w)
}

func (h *Webhooks) handleDelete(c *gin.Context) {
	id, ok := h.hookID(c)
	if !ok {
		return
	}
	if err := h.Store.DeleteWebhook(c.Request.Context(), id); err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Webhooks) handleDeliveries(c *gin.Context) {
	ctx := c.Request.Context()
	id, ok := h.hookID(c)
	if !ok {
		return
	}
	limit, err := queryLimit(c, 50, 500)
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	status := content.DeliveryStatus(c.Query("status"))
	switch status {
	case "", content.DeliveryPending, content.DeliveryDelivered, content.DeliveryFailed:
	default:
		var p content.Problems
		p.Add("status", "must be pending, delivered or failed")
		writeProblem(c, h.Log, p.Err(), nil)
		return
	}
	if _, err := h.Store.Webhook(ctx, id); err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	ds, err := h.Store.Deliveries(ctx, content.DeliveryFilter{WebhookID: id, Status: status, Limit: limit})
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.JSON(http.StatusOK, gin.H{"deliveries": ds})
}

func (h *Webhooks) handleTest(c *gin.Context) {
	id, ok := h.hookID(c)
	if !ok {
		return
	}
	d, err := h.Store.QueueTestDelivery(c.Request.Context(), id)
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	if h.Kick != nil {
		h.Kick()
	}
	c.JSON(http.StatusAccepted, d)
}

// handleRetry serves POST /webhooks/:id/deliveries/:delivery/retry: a
// failed delivery is sent again now, with the same webhook-id and body, by
// the dispatcher (202 with the delivery, pending). A delivered or still
// pending delivery, or one of a webhook turned off, is a 409 saying so.
func (h *Webhooks) handleRetry(c *gin.Context) {
	id, ok := h.hookID(c)
	if !ok {
		return
	}
	did := c.Param("delivery")
	if !validDeliveryID(did) {
		var p content.Problems
		p.Add("delivery", "must be a delivery id (msg_ and 32 hexadecimal digits)")
		writeProblem(c, h.Log, p.Err(), nil)
		return
	}
	d, err := h.Store.RetryDelivery(c.Request.Context(), id, did)
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	if h.Kick != nil {
		h.Kick()
	}
	c.JSON(http.StatusAccepted, d)
}

// validDeliveryID reports whether s has the form of a delivery id.
func validDeliveryID(s string) bool {
	if len(s) != 36 || s[:4] != "msg_" {
		return false
	}
	for _, r := range s[4:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// hookID returns the :id parameter as a canonical UUID. A malformed id is
// answered with a 400 naming "id", like every other resource's, and false.
func (h *Webhooks) hookID(c *gin.Context) (string, bool) {
	id, err := pathID(c, "id")
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return "", false
	}
	return id, true
}
