// Package admin is Dateline's admin app: its pages under /admin and its JSON
// API under /api/admin/v1 (stories with their workflow, revisions and edit
// locks, tags, media, accounts, API keys, webhooks). NewHandler registers
// every route, listed in one place in routes.go; each endpoint checks the
// user's permissions itself.
package admin

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
	"dateline/content/transfer"
)

// ArticleStore is what the story endpoints read and write.
type ArticleStore interface {
	Articles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, error)
	Article(ctx context.Context, f content.ArticleFilter) (*content.Article, error)
	CreateArticle(ctx context.Context, e content.Edit, by string) (*content.Article, error)
	UpdateArticle(ctx context.Context, id string, s content.Save) (*content.Article, error)
	ChangeStatus(ctx context.Context, id string, ch content.StatusChange) (*content.Article, error)
	DeleteArticle(ctx context.Context, id, by string) error
	Revisions(ctx context.Context, id string) ([]content.Revision, error)
	Revision(ctx context.Context, id string, version int) (content.Revision, error)
	// HoldRevision keeps the story's current revision, whose version it
	// returns, from being replaced or pruned until until.
	HoldRevision(ctx context.Context, id string, until time.Time) (int, error)
	// The working copy of a live story (content.WorkingCopy): read it,
	// publish it (now or at a time), drop it, submit it for review.
	WorkingCopy(ctx context.Context, id string) (content.WorkingCopy, error)
	WithWorkingCopies(ctx context.Context, ids []string) (map[string]bool, error)
	PublishWorkingCopy(ctx context.Context, id string, u content.Update) (*content.Article, error)
	DiscardWorkingCopy(ctx context.Context, id string, d content.Discard) (*content.Article, error)
	SubmitWorkingCopy(ctx context.Context, id string, version int, by string) (content.WorkingCopy, error)
	CancelScheduledUpdate(ctx context.Context, id string, version int, by string) (content.WorkingCopy, error)
}

// LockStore keeps the edit locks.
type LockStore interface {
	Lock(ctx context.Context, articleID string) (content.EditLock, error)
	AcquireLock(ctx context.Context, articleID, userID string, takeOver bool) (content.EditLock, error)
	HeartbeatLock(ctx context.Context, articleID, userID string) (content.EditLock, error)
	ReleaseLock(ctx context.Context, articleID, userID string, force bool) error
}

// TagStore manages tags.
type TagStore interface {
	Tags(ctx context.Context, f content.TagFilter) ([]content.Tag, error)
	CreateTag(ctx context.Context, t content.TagEdit) (content.Tag, error)
	UpdateTag(ctx context.Context, slug string, t content.TagEdit) (content.Tag, error)
	MergeTags(ctx context.Context, source, target string) (content.Tag, error)
	DeleteTag(ctx context.Context, slug string) error
}

// MediaStore keeps the records of uploaded images.
type MediaStore interface {
	CreateMedia(ctx context.Context, m content.Media) (content.Media, error)
	MediaItems(ctx context.Context, f content.MediaFilter) ([]content.Media, error)
	MediaItem(ctx context.Context, id string) (content.Media, error)
	UpdateMedia(ctx context.Context, id string, u content.MediaUpdate) (content.Media, error)
	DeleteMedia(ctx context.Context, id string) (content.Media, error)
	MediaUses(ctx context.Context, id string) ([]content.MediaUse, error)
}

// Store is everything the admin API needs; content/sqlite.DB is one.
type Store interface {
	ArticleStore
	LockStore
	TagStore
	MediaStore
	transfer.Store        // imports (imports.go)
	transfer.ExportSource // exports (exports.go)
}

// API serves the admin endpoints.
type API struct {
	Articles ArticleStore
	Locks    LockStore
	Tags     TagStore
	Media    MediaStore
	// Files is the directory uploads are written to; the server serves it
	// at /media/.
	Files MediaFiles
	// Photos says how uploads are decoded and re-encoded.
	Photos Photos
	Log    *slog.Logger
	// Imports and Exports serve POST /imports and GET /export; PhotoClient
	// fetches the photos of imports that ask for it (nil: such imports are
	// refused) and SpoolDir holds an uploaded export while it is imported
	// ("": the system's temporary directory). See NewWithImports.
	Imports     transfer.Store
	Exports     transfer.ExportSource
	PhotoClient *http.Client
	SpoolDir    string
	importZone  string // ImportOptions.Zone
	// Now returns the current time; tests may freeze it.
	Now func() time.Time

	renders renderSlots
}

// New returns an API over store that writes uploads into the directory
// mediaDir.
func New(store Store, mediaDir string, log *slog.Logger) *API {
	return NewWithMedia(store, MediaDir(mediaDir), log)
}

// NewWithMedia returns an API over store that writes uploads into files,
// with the default Photos.
func NewWithMedia(store Store, files MediaFiles, log *slog.Logger) *API {
	return NewWithPhotos(store, files, Photos{}, log)
}

// NewWithPhotos returns an API over store that writes uploads into files
// and processes them as photos says.
func NewWithPhotos(store Store, files MediaFiles, photos Photos, log *slog.Logger) *API {
	return NewWithOptions(store, files, log, Options{Photos: photos})
}

// Options configure NewWithOptions: how uploads are processed and how the
// import endpoint works.
type Options struct {
	Photos  Photos
	Imports ImportOptions
}

// NewWithOptions returns an API over store that writes uploads into files,
// configured by opt.
func NewWithOptions(store Store, files MediaFiles, log *slog.Logger, opt Options) *API {
	if log == nil {
		log = slog.Default()
	}
	return &API{Articles: store, Locks: store, Tags: store, Media: store, Imports: store, Exports: store, Files: files,
		Photos: opt.Photos.withDefaults(), Log: log, Now: time.Now, renders: newRenderSlots(),
		PhotoClient: opt.Imports.PhotoClient, SpoolDir: opt.Imports.SpoolDir, importZone: opt.Imports.Zone}
}

// NotFound answers a request for an admin endpoint that does not exist.
func (api *API) NotFound(c *gin.Context) {
	api.problem(c, content.Errorf(content.ENOTFOUND, "no such endpoint"))
}

// RequireUser refuses, with a 401 problem, requests that reach the admin
// API without an authenticated user on the context: a second wall behind
// the authentication middleware (routes.go).
func (api *API) RequireUser(c *gin.Context) {
	if _, ok := authgin.UserFrom(c); !ok {
		api.problem(c, content.Errorf(content.EUNAUTHORIZED, "sign in to use the admin API"))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Next()
}

// user returns the authenticated user; RequireUser guarantees one.
func user(c *gin.Context) auth.User {
	u, _ := authgin.UserFrom(c)
	return u
}

func (api *API) now() time.Time { return api.Now().UTC() }

// pathID returns the path parameter name as a canonical UUID, or a
// validation error naming it.
func pathID(c *gin.Context, name string) (string, error) {
	raw := c.Param(name)
	u, err := uuid.Parse(raw)
	if err != nil || len(raw) != 36 {
		return "", &content.Error{Code: content.EINVALID, Message: "invalid id",
			Fields: []content.FieldError{{Field: name, Message: "must be a UUID"}}}
	}
	return u.String(), nil
}

// noContent answers 204.
func noContent(c *gin.Context) { c.Status(http.StatusNoContent) }
