// Package storetest is the store contract suite: the behaviours every
// Dateline store must have, written once against the interfaces its
// consumers declare (the admin API's story store, the delivery API's
// reads, the scheduler's claims, the outbox) and run against every store
// (content/sqlite today). A store passes when Run passes with a fresh,
// migrated store for every test.
package storetest

import (
	"context"
	"testing"
	"time"

	"dateline/content"
)

// Store is what the suite drives: the union of what the admin API, the
// delivery API, the scheduler and the webhook dispatcher use of a store,
// in content's types only.
type Store interface {
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

// Open returns a fresh, empty, migrated store for one test, closed when the
// test ends, and a function that sets the store's clock.
type Open func(t *testing.T) (Store, func(time.Time))

// Run runs every contract against stores from open.
func Run(t *testing.T, open Open) {
	for _, c := range contracts() {
		t.Run(c.name, func(t *testing.T) {
			s, setClock := open(t)
			c.run(t, &env{t: t, s: s, setClock: setClock, now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)})
		})
	}
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
