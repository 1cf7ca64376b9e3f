package admin

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// PreviewIssuer signs preview tokens that name a grant.
type PreviewIssuer interface {
	IssuePreview(grantID, articleID string, version int, ttl time.Duration) (string, error)
}

// PreviewRenderer renders a revision as the delivery API's preview endpoint
// serves it; the document is stored with the link's grant.
type PreviewRenderer interface {
	RenderPreview(ctx context.Context, articleID string, version int) ([]byte, error)
}

// PreviewStore keeps the grants behind preview links.
type PreviewStore interface {
	// CreatePreviewGrant returns the grant with its Code, the short code
	// of the link's address (shown only then).
	CreatePreviewGrant(ctx context.Context, g content.PreviewGrant, document []byte) (content.PreviewGrant, error)
	// PreviewByCode returns the grant of a link's code with its stored
	// document while it stands, else EUNAUTHORIZED.
	PreviewByCode(ctx context.Context, code string) (content.PreviewGrant, []byte, error)
	PreviewGrants(ctx context.Context, articleID string) ([]content.PreviewGrant, error)
	RevokePreviewGrant(ctx context.Context, articleID, id, by string) (content.PreviewGrant, error)
	RevokePreviewGrants(ctx context.Context, articleID, by string) (int, error)
}

// PreviewLinks makes, lists and revokes the preview links of stories, and
// serves their page (preview_page.go). A link is a short address,
// /preview/<code>, naming a grant the store keeps; a signed token names
// the same grant for the delivery API (GET /api/v1/preview/{token}). Both
// work while the grant is neither revoked nor expired. Who may do what is
// content.Permit's ActPreview: a story's owners and editors. Withdrawing or
// deleting a story revokes its links (the store does that).
type PreviewLinks struct {
	Tokens  PreviewIssuer
	Render  PreviewRenderer
	Grants  PreviewStore
	TTL     time.Duration // how long a new link works
	BaseURL string        // the server's public URL, for the link
	// FrontendURL, if set, is the newsroom's own preview page with
	// {token} where the token goes: a link's address then redirects there
	// instead of showing the server's page.
	FrontendURL string
	Zone        *time.Location // the newsroom's, for expiry times
	Clock12     bool           // expiry times on the 12-hour clock, as the app shows times
	SiteName    string
	Now         func() time.Time
	api         *API
	page        *template.Template
}

// previewLinkJSON is a new link: url is its short address (on the
// request's own origin), token the signed token for the delivery API,
// expires_local its expiry in the newsroom's zone, as the app shows it.
type previewLinkJSON struct {
	ID           string    `json:"id"`
	Token        string    `json:"token"`
	URL          string    `json:"url"`
	Version      int       `json:"version"`
	ExpiresAt    time.Time `json:"expires_at"`
	ExpiresLocal string    `json:"expires_local"`
}

// previewGrantJSON is a link as lists show it: never its token.
type previewGrantJSON struct {
	ID        string    `json:"id"`
	Version   int       `json:"version"`
	State     string    `json:"state"` // active, expired or revoked
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// ExpiresLocal is ExpiresAt in the newsroom's zone.
	ExpiresLocal string     `json:"expires_local"`
	RevokedAt    *time.Time `json:"revoked_at"`
	RevokedBy    string     `json:"revoked_by,omitempty"`
}

// handleCreate serves POST /articles/:id/preview: a link, valid for TTL,
// to the story's current revision: its short address (url, on the
// request's origin: requestOrigin) and a signed token for the delivery
// API. The revision is rendered here, once, and stored with the grant;
// the page and the delivery API serve that document.
func (p *PreviewLinks) handleCreate(c *gin.Context) {
	api := p.api
	a, ok := api.story(c, content.ActPreview)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	expires := p.Now().Add(p.TTL)
	// The revision stays while the link works (and a minute more, for the
	// token's own clock), whatever autosaves follow.
	version, err := api.Articles.HoldRevision(ctx, a.ID, expires.Add(time.Minute))
	if err != nil {
		api.problem(c, err)
		return
	}
	doc, err := p.Render.RenderPreview(ctx, a.ID, version)
	if err != nil {
		api.problem(c, err)
		return
	}
	g, err := p.Grants.CreatePreviewGrant(ctx, content.PreviewGrant{ArticleID: a.ID, Version: version,
		CreatedBy: user(c).ID, ExpiresAt: expires}, doc)
	if err != nil {
		api.problem(c, err)
		return
	}
	tok, err := p.Tokens.IssuePreview(g.ID, a.ID, version, p.TTL)
	if err != nil {
		api.problem(c, err)
		return
	}
	api.Log.InfoContext(ctx, "preview link made", "article", a.ID, "version", version, "grant", g.ID, "by", user(c).ID)
	c.JSON(http.StatusOK, previewLinkJSON{ID: g.ID, Token: tok, URL: requestOrigin(c, p.BaseURL) + "/preview/" + g.Code,
		Version: version, ExpiresAt: g.ExpiresAt.UTC(), ExpiresLocal: p.local(g.ExpiresAt)})
}

// handleList serves GET /articles/:id/previews.
func (p *PreviewLinks) handleList(c *gin.Context) {
	api := p.api
	a, ok := api.story(c, content.ActPreview)
	if !ok {
		return
	}
	gs, err := p.Grants.PreviewGrants(c.Request.Context(), a.ID)
	if err != nil {
		api.problem(c, err)
		return
	}
	now := p.Now()
	out := make([]previewGrantJSON, len(gs))
	for i, g := range gs {
		out[i] = previewGrantJSON{ID: g.ID, Version: g.Version, State: g.State(now), CreatedBy: g.CreatedBy,
			CreatedAt: g.CreatedAt.UTC(), ExpiresAt: g.ExpiresAt.UTC(), ExpiresLocal: p.local(g.ExpiresAt),
			RevokedAt: utcPtr(g.RevokedAt), RevokedBy: g.RevokedBy}
	}
	c.JSON(http.StatusOK, gin.H{"previews": out})
}

// handleRevoke serves DELETE /articles/:id/previews/:grant; a link of
// another story is not found.
func (p *PreviewLinks) handleRevoke(c *gin.Context) {
	api := p.api
	a, ok := api.story(c, content.ActPreview)
	if !ok {
		return
	}
	id, err := pathID(c, "grant")
	if err != nil {
		api.problem(c, err)
		return
	}
	if _, err := p.Grants.RevokePreviewGrant(c.Request.Context(), a.ID, id, user(c).ID); err != nil {
		api.problem(c, err)
		return
	}
	api.Log.InfoContext(c.Request.Context(), "preview link revoked", "article", a.ID, "grant", id, "by", user(c).ID)
	c.Status(http.StatusNoContent)
}

// handleRevokeAll serves DELETE /articles/:id/previews.
func (p *PreviewLinks) handleRevokeAll(c *gin.Context) {
	api := p.api
	a, ok := api.story(c, content.ActPreview)
	if !ok {
		return
	}
	n, err := p.Grants.RevokePreviewGrants(c.Request.Context(), a.ID, user(c).ID)
	if err != nil {
		api.problem(c, err)
		return
	}
	api.Log.InfoContext(c.Request.Context(), "preview links revoked", "article", a.ID, "count", n, "by", user(c).ID)
	c.Status(http.StatusNoContent)
}

// local formats t in the newsroom's zone, with the zone's name: "3 Dec
// 2026 18:45 (Europe/Lisbon)".
func (p *PreviewLinks) local(t time.Time) string {
	return newsroomTime(t, p.Zone, p.Clock12) + " (" + p.Zone.String() + ")"
}

// requestOrigin returns the origin links in the answer to c should use:
// base (the configured base URL) when the request came to base's host,
// else the request's own scheme and host, so that a server reached under
// another name (a second port, a tunnel, a test) hands out links that
// open where the editor is. The host is the one the client sent; the
// link goes back to that same client only.
func requestOrigin(c *gin.Context, base string) string {
	base = strings.TrimRight(base, "/")
	u, err := url.Parse(base)
	host := c.Request.Host
	if host == "" || (err == nil && strings.EqualFold(u.Host, host)) {
		return base
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + host
}
