package delivery_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
	"dateline/content/delivery"
	"dateline/content/shape"
	"dateline/content/sqlite"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	m.Run()
}

// now is the frozen clock of every test in this package.
var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// nastyHeadline has what breaks naive XML writers: markup, an ampersand, a
// CDATA terminator, quotes and U+FFFE, which XML 1.0 does not allow (and
// headline validation, which refuses control characters, lets through).
const nastyHeadline = "Storm & \"surge\" ]]> <b>hits</b> the coast \uFFFE today"

// testEnv is a real, migrated SQLite file and the delivery API's routes
// (with sitemaps) on a bare gin engine. As serve wires them, the store
// renders public JSON at write time with the renderer the API serves with,
// so reads take the production path and serve the stored JSON through the
// item cache and the tag lists. The store's
// clock is clock, frozen at now until a test moves it.
type testEnv struct {
	db    *sqlite.DB
	api   *delivery.API
	h     *gin.Engine
	clock time.Time
}

func newEnv(tb testing.TB, opt delivery.Options) *testEnv {
	tb.Helper()
	return openEnv(tb, opt, true)
}

// newBuiltEnv is newEnv over a store that renders nothing, so that every
// read builds its JSON from the tables: the path reads fall back to.
func newBuiltEnv(tb testing.TB, opt delivery.Options) *testEnv {
	tb.Helper()
	return openEnv(tb, opt, false)
}

func openEnv(tb testing.TB, opt delivery.Options, rendered bool) *testEnv {
	tb.Helper()
	if opt.BaseURL == "" {
		opt.BaseURL = "https://news.example.org"
	}
	if opt.SiteName == "" {
		opt.SiteName = "The Harbour Gazette"
	}
	opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	opt.Now = func() time.Time { return now }
	opt.Shapes = shape.New(shape.Options{BaseURL: opt.BaseURL, Zone: opt.Zone})
	if opt.ItemCacheBytes == 0 {
		// The item cache and tag lists as serve keeps them, so that every
		// test reads through them and sees its writes on the next read
		// (a negative size keeps none).
		opt.ItemCacheBytes = 1 << 20
	}
	env := &testEnv{clock: now}
	so := sqlite.Options{Zone: "Europe/Moscow", Now: func() time.Time { return env.clock }}
	if rendered {
		so.Render = opt.Shapes
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "dateline.db"), so)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	api := delivery.NewWithOptions(db, opt)
	tb.Cleanup(api.Close)
	r := gin.New()
	delivery.Mount(r, api)
	r.NoRoute(api.NotFound)
	env.db, env.api, env.h = db, api, r
	return env
}

func (env *testEnv) get(tb testing.TB, target string) *httptest.ResponseRecorder {
	tb.Helper()
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

// getWith is get with request headers.
func (env *testEnv) getWith(tb testing.TB, target string, header map[string]string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, req)
	return rec
}

// story returns an edit that is ready to publish.
func story(headline string, tags ...string) content.Edit {
	return content.Edit{
		Headline:   headline,
		Standfirst: "Lead of " + headline,
		Dateline:   content.Dateline{Place: "PORT ELLIS"},
		Byline:     "By Marta Quell",
		Body:       "First paragraph of " + headline + ".\n\n" + content.PageBreak + "\n\nSecond page.",
		Photos:     []content.Photo{{URL: "https://images.example.org/quay.jpg", Caption: "The quay", Credit: "© Ann Lee/Agency", Alt: "An empty quay", Width: 1200, Height: 800}},
		Tags:       tags,
	}
}

func at(d time.Duration) *time.Time {
	t := now.Add(d)
	return &t
}

// seeded are the stories seed stores, by role.
type seeded struct {
	nasty, weather, old                     string // published slugs
	draft, review, scheduled, withdrawn     string // slugs that must never show
	hiddenHeadlines                         []string
	harbourPublished, weatherPublishedCount int
}

// seed stores three published stories (one with a nasty headline and an
// unpublish_at, one on weather, one three days old) and one story in every
// other status, all tagged so that they would show if filtering failed.
func (env *testEnv) seed(tb testing.TB) seeded {
	tb.Helper()
	nasty := story(nastyHeadline, "Harbour")
	nasty.Slug = "storm-hits-the-coast"
	nasty.Body = "Waves & wind ]]> \x01 came <script>alert(1)</script> ashore."
	weather := story("Fog over the estuary", "Weather", "Harbour")
	weather.Slug = "fog-over-the-estuary"
	old := story("Old harbour news", "Harbour")
	old.Slug = "old-harbour-news"
	items := []content.Import{
		{Edit: nasty, Status: content.StatusPublished, PublishedAt: at(-time.Hour), UnpublishAt: at(30 * 24 * time.Hour)},
		{Edit: weather, Status: content.StatusPublished, PublishedAt: at(-3 * time.Hour)},
		{Edit: old, Status: content.StatusPublished, PublishedAt: at(-72 * time.Hour)},
		{Edit: withSlug(story("Embargoed draft", "Harbour", "Weather", "Secret"), "embargoed-draft"), Status: content.StatusDraft},
		{Edit: withSlug(story("Story in review", "Harbour", "Weather"), "story-in-review"), Status: content.StatusInReview},
		{Edit: withSlug(story("Scheduled story", "Harbour", "Weather"), "scheduled-story"), Status: content.StatusScheduled, PublishAt: at(time.Hour)},
		{Edit: withSlug(story("Withdrawn story", "Harbour", "Weather"), "withdrawn-story"), Status: content.StatusUnpublished, PublishedAt: at(-2 * time.Hour)},
	}
	if _, err := env.db.Import(context.Background(), items, ""); err != nil {
		tb.Fatal(err)
	}
	return seeded{
		nasty: nasty.Slug, weather: weather.Slug, old: old.Slug,
		draft: "embargoed-draft", review: "story-in-review", scheduled: "scheduled-story", withdrawn: "withdrawn-story",
		hiddenHeadlines:  []string{"Embargoed draft", "Story in review", "Scheduled story", "Withdrawn story"},
		harbourPublished: 3, weatherPublishedCount: 1,
	}
}

func withSlug(e content.Edit, slug string) content.Edit {
	e.Slug = slug
	return e
}

// seedMany stores n published stories "Story 0000"… with tag, the i-th
// published at now+base+i seconds (so the last is the newest), plus one
// draft and one scheduled story with the same tag.
func (env *testEnv) seedMany(tb testing.TB, n int, tag string, base time.Duration) {
	tb.Helper()
	items := make([]content.Import, 0, n+2)
	for i := range n {
		items = append(items, content.Import{
			Edit:        content.Edit{Headline: fmt.Sprintf("Story %04d", i), Body: "Text.", Tags: []string{tag}},
			Status:      content.StatusPublished,
			PublishedAt: at(base + time.Duration(i)*time.Second),
		})
	}
	items = append(items,
		content.Import{Edit: content.Edit{Headline: "Draft among many", Tags: []string{tag}}},
		content.Import{Edit: content.Edit{Headline: "Scheduled among many", Tags: []string{tag}}, Status: content.StatusScheduled, PublishAt: at(time.Minute)},
	)
	if _, err := env.db.Import(context.Background(), items, ""); err != nil {
		tb.Fatal(err)
	}
}

// credits are the users seedCredits stores, and the corrections it appends.
type credits struct {
	writer, hidden, idle auth.User // credited on published stories; on hidden ones only; on none
	published            []string  // texts of corrections of published stories, newest first
	withdrawn            string    // the text of the withdrawn story's correction
}

// seedCredits credits a writer on two published stories (and a draft), a
// second user only on the draft, the story in review, the scheduled and
// the withdrawn story, and creates a third user credited nowhere. It then
// appends corrections, a minute apart, to two published stories and to the
// withdrawn one. The clock is back at now afterwards.
func (env *testEnv) seedCredits(tb testing.TB, s seeded) credits {
	tb.Helper()
	ctx := context.Background()
	user := func(email, name string, role auth.Role) auth.User {
		u, err := env.db.CreateUser(ctx, auth.User{Email: email, Name: name, Bio: "Writes about " + name + ".", Role: role, PasswordHash: "x"})
		if err != nil {
			tb.Fatal(err)
		}
		return u
	}
	c := credits{
		writer: user("ines@example.org", "Inês Vaz", auth.RoleAuthor),
		hidden: user("hidden@example.org", "Hidden Writer", auth.RoleContributor),
		idle:   user("admin@example.org", "Site Admin", auth.RoleAdmin),
	}
	save := func(slug string, change func(*content.Save)) {
		tb.Helper()
		a, err := env.db.Article(ctx, content.ArticleFilter{Slug: &slug})
		if err != nil {
			tb.Fatal(err)
		}
		sv := content.Save{Update: true, Version: a.Version, Edit: a.Edit}
		change(&sv)
		if _, err := env.db.UpdateArticle(ctx, a.ID, sv); err != nil {
			tb.Fatalf("save %s: %v", slug, err)
		}
	}
	credit := func(slug string, users ...auth.User) {
		save(slug, func(sv *content.Save) {
			for _, u := range users {
				sv.Edit.AuthorIDs = append(sv.Edit.AuthorIDs, u.ID)
			}
		})
	}
	credit(s.nasty, c.writer)
	credit(s.weather, c.writer)
	credit(s.draft, c.writer, c.hidden)
	for _, slug := range []string{s.review, s.scheduled, s.withdrawn} {
		credit(slug, c.hidden)
	}
	defer func() { env.clock = now }()
	correct := func(slug, text string) {
		env.clock = env.clock.Add(time.Minute)
		save(slug, func(sv *content.Save) { sv.Correction = text })
	}
	correct(s.old, "An earlier version gave the wrong year.")
	correct(s.withdrawn, "Withdrawn correction: the mayor was misquoted.")
	correct(s.weather, "The fog lifted at noon, not at ten.")
	correct(s.old, "The harbour master's name is Quell.")
	c.published = []string{"The harbour master's name is Quell.", "The fog lifted at noon, not at ten.", "An earlier version gave the wrong year."}
	c.withdrawn = "Withdrawn correction: the mayor was misquoted."
	return c
}
