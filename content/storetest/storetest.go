// Package storetest is the store contract suite: the behaviours every
// Dateline store must have, written once against the interfaces its
// consumers declare (the admin API's story store, the delivery API's
// reads, the scheduler's claims, the outbox, accounts, API keys and the
// login throttle, edit locks, webhook deliveries, media metadata) and run
// against every store (content/sqlite today). A store passes when Run
// passes with a fresh, migrated store for every test.
package storetest

import (
	"context"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

// Store is what the suite drives: the union of what the admin API, the
// delivery API, the scheduler and the webhook dispatcher use of a store,
// in content's types only.
type Store interface {
	Stories
	Accounts
	Newsroom
	Trash
}

// Stories is what the admin API's story store, the delivery API's reads,
// the scheduler's claims and the outbox's readers use of a store.
type Stories interface {
	CreateArticle(ctx context.Context, e content.Edit, by string) (*content.Article, error)
	UpdateArticle(ctx context.Context, id string, s content.Save) (*content.Article, error)
	ChangeStatus(ctx context.Context, id string, ch content.StatusChange) (*content.Article, error)
	DeleteArticle(ctx context.Context, id, by string) error
	WorkingCopy(ctx context.Context, id string) (content.WorkingCopy, error)
	PublishWorkingCopy(ctx context.Context, id string, u content.Update) (*content.Article, error)
	DiscardWorkingCopy(ctx context.Context, id string, d content.Discard) (*content.Article, error)
	Import(ctx context.Context, items []content.Import, by string) ([]string, error)

	Article(ctx context.Context, f content.ArticleFilter) (*content.Article, error)
	Articles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, error)
	RedirectSlug(ctx context.Context, oldSlug string) (string, error)
	Revisions(ctx context.Context, id string) ([]content.Revision, error)
	Tags(ctx context.Context, f content.TagFilter) ([]content.Tag, error)
	PublishedCount(ctx context.Context) (int, error)
	PublishedStamps(ctx context.Context, offset, limit int) ([]*content.Article, error)

	ScheduleItems(ctx context.Context, f content.ScheduleFilter) ([]content.ScheduleItem, error)
	Events(ctx context.Context, f content.EventFilter) ([]content.Event, error)
	Generation() uint64
}

// Accounts is what the accounts API and the authentication middleware use
// of a store: users, sessions, one-time tokens, API keys and the login
// throttle.
type Accounts interface {
	CreateUser(ctx context.Context, u auth.User) (auth.User, error)
	UpdateUser(ctx context.Context, id string, upd auth.UserUpdate) (auth.User, error)
	UserByID(ctx context.Context, id string) (auth.User, error)
	UserByEmail(ctx context.Context, email string) (auth.User, error)
	CountUsers(ctx context.Context) (int, error)
	LogOutEverywhere(ctx context.Context, id string) error

	CreateRefreshToken(ctx context.Context, userID, hash string, expiresAt time.Time) (auth.RefreshToken, error)
	RotateRefreshToken(ctx context.Context, oldHash, newHash string, expiresAt time.Time) (auth.User, error)
	RevokeRefreshFamily(ctx context.Context, hash string) error
	CreateSetupToken(ctx context.Context, hash string, expiresAt time.Time) error
	CreateFirstAdmin(ctx context.Context, hash string, u auth.User) (auth.User, error)

	CreateAPIKey(ctx context.Context, k auth.APIKey) (auth.APIKey, error)
	RevokeAPIKey(ctx context.Context, id string) (auth.APIKey, error)
	APIKeys(ctx context.Context, f auth.APIKeyFilter) ([]auth.APIKey, error)
	APIKeyUser(ctx context.Context, hash string) (auth.APIKey, auth.User, error)

	TakeLoginAttempt(ctx context.Context, keys auth.LoginKeys, limits auth.LoginLimits, now time.Time) (bool, time.Duration, error)
	LoginThrottleBuckets(ctx context.Context) (int, error)
}

// Newsroom is what the editor, the webhook dispatcher and the media
// library use of a store beyond stories: edit locks, webhooks and their
// deliveries, media metadata.
type Newsroom interface {
	Lock(ctx context.Context, articleID string) (content.EditLock, error)
	AcquireLock(ctx context.Context, articleID, userID string, takeOver bool) (content.EditLock, error)
	HeartbeatLock(ctx context.Context, articleID, userID string) (content.EditLock, error)
	ReleaseLock(ctx context.Context, articleID, userID string, force bool) error

	CreateWebhook(ctx context.Context, e content.WebhookEdit) (*content.Webhook, error)
	FanOutEvents(ctx context.Context, limit int) (int, error)
	Deliveries(ctx context.Context, f content.DeliveryFilter) ([]content.Delivery, error)
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]content.Delivery, error)
	FinishDelivery(ctx context.Context, id string, a content.Attempt) error
	NextDeliveryAt(ctx context.Context) (time.Time, bool, error)

	CreateMedia(ctx context.Context, m content.Media) (content.Media, error)
	UpdateMedia(ctx context.Context, id string, u content.MediaUpdate) (content.Media, error)
	MediaItems(ctx context.Context, f content.MediaFilter) ([]content.Media, error)
	MediaItem(ctx context.Context, id string) (content.Media, error)
	MediaUses(ctx context.Context, id string) ([]content.MediaUse, error)
}

// NewsroomStore is what the newsroom contracts drive: Newsroom, and the
// users and stories its contracts edit, lock and hook.
type NewsroomStore interface {
	Newsroom
	CreateUser(ctx context.Context, u auth.User) (auth.User, error)
	CreateArticle(ctx context.Context, e content.Edit, by string) (*content.Article, error)
	ChangeStatus(ctx context.Context, id string, ch content.StatusChange) (*content.Article, error)
}

// Open returns a fresh, empty, migrated store for one test, closed when the
// test ends, and a function that sets the store's clock.
type Open func(t *testing.T) (Store, func(time.Time))

// Run runs every contract against stores from open: RunStories,
// RunAccounts, RunNewsroom and RunTrash.
func Run(t *testing.T, open Open) {
	RunStories(t, func(t *testing.T) (Stories, func(time.Time)) { return open(t) })
	RunAccounts(t, func(t *testing.T) (Accounts, func(time.Time)) { return open(t) })
	RunNewsroom(t, func(t *testing.T) (NewsroomStore, func(time.Time)) { return open(t) })
	RunTrash(t, open)
}

// RunTrash runs the contracts of the Trash (deletion, restore, purge),
// review notes and the retry of failed webhook deliveries. They drive
// stories, users and webhooks as well, so open returns a whole Store.
func RunTrash(t *testing.T, open Open) {
	run(t, trashContracts(), open)
}

// RunStories runs the contracts of stories: saves, revisions, the
// workflow, working copies, the schedule and its claims, slugs, tags,
// search and the outbox. open returns a fresh store for one test, as Open.
func RunStories(t *testing.T, open func(t *testing.T) (Stories, func(time.Time))) {
	run(t, contracts(), func(t *testing.T) (Store, func(time.Time)) {
		s, clock := open(t)
		return partial{Stories: s}, clock
	})
}

// RunAccounts runs the contracts of users, sessions, one-time tokens, API
// keys and the login throttle. open returns a fresh store for one test, as Open.
func RunAccounts(t *testing.T, open func(t *testing.T) (Accounts, func(time.Time))) {
	run(t, append(accountContracts(), throttleContracts()...), func(t *testing.T) (Store, func(time.Time)) {
		s, clock := open(t)
		return partial{Accounts: s}, clock
	})
}

// RunNewsroom runs the contracts of edit locks, webhooks and their
// deliveries, and media metadata. open returns a fresh store for one
// test, as Open.
func RunNewsroom(t *testing.T, open func(t *testing.T) (NewsroomStore, func(time.Time))) {
	run(t, newsroomContracts(), func(t *testing.T) (Store, func(time.Time)) {
		s, clock := open(t)
		return partial{Newsroom: s, Accounts: newsroomUsers{s: s}, Stories: newsroomStories{s: s}}, clock
	})
}

func run(t *testing.T, cs []contract, open Open) {
	for _, c := range cs {
		t.Run(c.name, func(t *testing.T) {
			s, setClock := open(t)
			c.run(t, &env{t: t, s: s, setClock: setClock, now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)})
		})
	}
}

// partial is a Store of which a group runner was given only some parts;
// a contract of the group calls no method of the others (a call would
// panic on the nil interface).
type partial struct {
	Stories
	Accounts
	Newsroom
	trashStore
}

// trashStore is Trash under a name that is not one of its methods, so
// that partial can embed it.
type trashStore interface{ Trash }

// newsroomUsers and newsroomStories give the newsroom contracts the
// methods of the other groups a NewsroomStore has.
type newsroomUsers struct {
	Accounts // nil: the newsroom contracts use only CreateUser
	s        NewsroomStore
}

type newsroomStories struct {
	Stories // nil: the newsroom contracts use only the methods below
	s       NewsroomStore
}

func (u newsroomUsers) CreateUser(ctx context.Context, v auth.User) (auth.User, error) {
	return u.s.CreateUser(ctx, v)
}

func (s newsroomStories) CreateArticle(ctx context.Context, e content.Edit, by string) (*content.Article, error) {
	return s.s.CreateArticle(ctx, e, by)
}

func (s newsroomStories) ChangeStatus(ctx context.Context, id string, ch content.StatusChange) (*content.Article, error) {
	return s.s.ChangeStatus(ctx, id, ch)
}

type contract struct {
	name string
	run  func(t *testing.T, e *env)
}

// env is one test's store with its clock.
type env struct {
	t        *testing.T
	s        Store
	setClock func(time.Time)
	now      time.Time
}

func (e *env) ctx() context.Context { return context.Background() }

// at sets the store's clock.
func (e *env) at(t time.Time) {
	e.now = t
	e.setClock(t)
}

// ready is a story that may be published: a credited photo with alt text.
func ready(headline string) content.Edit {
	return content.Edit{
		Headline:   headline,
		Standfirst: "Lead of " + headline,
		Dateline:   content.Dateline{Place: "PORT ELLIS"},
		Body:       "First paragraph of " + headline + ".\n\nSecond paragraph.",
		Photos:     []content.Photo{{URL: "https://images.example.org/a.jpg", Caption: "The quay", Credit: "© Ana Reis/Agency", Alt: "An empty quay"}},
		Tags:       []string{"Harbour"},
	}
}

// draft stores a new draft and fails the test on error.
func (e *env) draft(edit content.Edit) *content.Article {
	e.t.Helper()
	a, err := e.s.CreateArticle(e.ctx(), edit, "")
	if err != nil {
		e.t.Fatalf("create %q: %v", edit.Headline, err)
	}
	return a
}

// change applies a workflow step and fails the test on error.
func (e *env) change(a *content.Article, ch content.StatusChange) *content.Article {
	e.t.Helper()
	if len(ch.From) == 0 {
		ch.From = []content.Status{a.Status}
	}
	out, err := e.s.ChangeStatus(e.ctx(), a.ID, ch)
	if err != nil {
		e.t.Fatalf("%s → %s: %v", a.Status, ch.To, err)
	}
	return out
}

// published stores a new story and publishes it.
func (e *env) published(headline string) *content.Article {
	e.t.Helper()
	return e.change(e.draft(ready(headline)), content.StatusChange{To: content.StatusPublished})
}

// public returns the published story with slug as the delivery API reads
// it, or nil when there is none.
func (e *env) public(slug string) *content.Article {
	e.t.Helper()
	a, err := e.s.Article(e.ctx(), content.ArticleFilter{Slug: &slug, Statuses: []content.Status{content.StatusPublished}, Full: true})
	if content.ErrorCode(err) == content.ENOTFOUND {
		return nil
	}
	if err != nil {
		e.t.Fatalf("read %s: %v", slug, err)
	}
	return a
}

// events returns every outbox event in order.
func (e *env) events() []content.Event {
	e.t.Helper()
	evs, err := e.s.Events(e.ctx(), content.EventFilter{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}

// save saves edit over a at its version.
func (e *env) save(a *content.Article, edit content.Edit) (*content.Article, error) {
	return e.s.UpdateArticle(e.ctx(), a.ID, content.Save{Version: a.Version, Edit: edit})
}

// pending saves edit into the working copy of live story a and returns the
// working copy.
func (e *env) pending(a *content.Article, edit content.Edit) content.WorkingCopy {
	e.t.Helper()
	version := a.Version
	if wc, err := e.s.WorkingCopy(e.ctx(), a.ID); err == nil {
		version = wc.Version
	}
	if _, err := e.s.UpdateArticle(e.ctx(), a.ID, content.Save{Version: version, Edit: edit, Autosave: true}); err != nil {
		e.t.Fatalf("save working copy of %s: %v", a.Slug, err)
	}
	wc, err := e.s.WorkingCopy(e.ctx(), a.ID)
	if err != nil {
		e.t.Fatalf("working copy of %s: %v", a.Slug, err)
	}
	return wc
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := content.ErrorCode(err); got != code {
		t.Fatalf("error %v (code %q), want code %q", err, got, code)
	}
}
