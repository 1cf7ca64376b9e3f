package admin

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
)

// KeyStore is what the API key endpoints need from storage.
type KeyStore interface {
	CreateAPIKey(ctx context.Context, k auth.APIKey) (auth.APIKey, error)
	APIKeys(ctx context.Context, f auth.APIKeyFilter) ([]auth.APIKey, error)
	APIKey(ctx context.Context, id string) (auth.APIKey, error)
	RevokeAPIKey(ctx context.Context, id string) (auth.APIKey, error)
}

// APIKeys serves the API key endpoints. Who may do what:
//
//   - every signed-in user creates, lists and revokes their own keys;
//   - an admin also lists and revokes everyone's (the list then holds every
//     key, each with its owner);
//   - a key is created only in a login session, never with another API key,
//     so a leaked key cannot mint keys that outlive its revocation;
//   - someone else's key is "not found" for a user who may not manage it.
//
// The key itself is in the answer to its creation and nowhere else.
type APIKeys struct {
	Store KeyStore
	Log   *slog.Logger
	Now   func() time.Time
}

func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// apiKeyJSON is an API key as the admin API shows it: never the key or its
// hash.
type apiKeyJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	State      string     `json:"state"` // active, expired or revoked
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	User       keyOwner   `json:"user"`
}

type keyOwner struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Active bool   `json:"active"`
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toKeyJSON(k auth.APIKey, now time.Time) apiKeyJSON {
	return apiKeyJSON{ID: k.ID, Name: k.Name, Prefix: k.Prefix, State: k.State(now), CreatedAt: k.CreatedAt.UTC(),
		LastUsedAt: utcPtr(k.LastUsedAt), ExpiresAt: utcPtr(k.ExpiresAt), RevokedAt: utcPtr(k.RevokedAt),
		User: keyOwner{ID: k.UserID, Name: k.UserName, Email: k.UserEmail, Active: k.UserActive}}
}

// keyMayManage reports whether actor may see and revoke k.
func keyMayManage(actor auth.User, k auth.APIKey) bool {
	return actor.ID == k.UserID || actor.Role == auth.RoleAdmin
}

func (h *APIKeys) now() time.Time { return h.Now().UTC() }

func (h *APIKeys) handleList(c *gin.Context) {
	actor := user(c)
	f := auth.APIKeyFilter{}
	if actor.Role != auth.RoleAdmin {
		f.UserID = &actor.ID
	}
	ks, err := h.Store.APIKeys(c.Request.Context(), f)
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	now := h.now()
	out := make([]apiKeyJSON, len(ks))
	for i, k := range ks {
		out[i] = toKeyJSON(k, now)
	}
	c.JSON(http.StatusOK, gin.H{"api_keys": out})
}

func (h *APIKeys) handleCreate(c *gin.Context) {
	actor := user(c)
	if _, viaKey := authgin.APIKeyFrom(c); viaKey {
		writeProblem(c, h.Log, forbid("an API key cannot create API keys; log in to create one"), nil)
		return
	}
	var req struct {
		Name      string  `json:"name"`
		ExpiresAt *string `json:"expires_at"`
	}
	if err := decodeBody(c, &req, 16<<10, false); err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	k := auth.APIKey{UserID: actor.ID, Name: req.Name}
	if req.ExpiresAt != nil && strings.TrimSpace(*req.ExpiresAt) != "" {
		t, err := time.Parse(time.RFC3339, *req.ExpiresAt)
		if err != nil {
			writeProblem(c, h.Log, invalid("expires_at", "must be an RFC 3339 time with an offset, such as 2026-12-31T23:59:00Z"), nil)
			return
		}
		k.ExpiresAt = &t
	}
	key, prefix, hash := auth.NewAPIKey()
	k.Prefix, k.Hash = prefix, hash
	k, err := h.Store.CreateAPIKey(c.Request.Context(), k)
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	h.Log.InfoContext(c.Request.Context(), "api key created", "api_key", k.ID, "user", actor.ID)
	c.Header("Location", c.Request.URL.Path+"/"+k.ID)
	c.JSON(http.StatusCreated, gin.H{"api_key": toKeyJSON(k, h.now()), "key": key})
}

func (h *APIKeys) handleRevoke(c *gin.Context) {
	actor := user(c)
	id, err := pathID(c, "id")
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	ctx := c.Request.Context()
	k, err := h.Store.APIKey(ctx, id)
	if err == nil && !keyMayManage(actor, k) {
		err = content.Errorf(content.ENOTFOUND, "no such API key")
	}
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	if _, err := h.Store.RevokeAPIKey(ctx, id); err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	h.Log.InfoContext(ctx, "api key revoked", "api_key", id, "owner", k.UserID, "by", actor.ID)
	c.Status(http.StatusNoContent)
}
