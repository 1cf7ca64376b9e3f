package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
	"dateline/content/delivery"
	"dateline/content/sqlite"
)

// publicEnv is the production router without the response cache (so that
// every read reaches the store) over stories with everything a story can
// show.
type publicEnv struct {
	a       *app
	h       http.Handler
	plain   *sqlite.DB       // the same database, opened without a renderer
	lead    *content.Article // tags, authors, photos, links, corrections, pages
	linked  *content.Article // published; the lead links to it
	draft   *content.Article // the lead links to it too; never shown
	author  auth.User
	visible []string // tag slugs the list checks filter by
}

func newPublicEnv(t *testing.T) *publicEnv {
	t.Helper()
	a, _ := newTestApp(t)
	a.cfg.CacheMemoryMB = 0
	env := &publicEnv{a: a, h: newRouter(a), visible: []string{"harbour", "politics"}}
	ctx := context.Background()
	opt := a.cfg.storeOptions()
	opt.Render = nil
	plain, err := sqlite.Open(ctx, a.db.Path(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plain.Close() })
	env.plain = plain
	env.author, err = a.db.CreateUser(ctx, auth.User{Email: "ines@example.org", Name: "Inês Vaz", Bio: "Covers the port.", Role: auth.RoleAuthor})
	if err != nil {
		t.Fatal(err)
	}
	publish := func(art *content.Article) *content.Article {
		out, err := a.db.ChangeStatus(ctx, art.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	create := func(e content.Edit) *content.Article {
		art, err := a.db.CreateArticle(ctx, e, "")
		if err != nil {
			t.Fatal(err)
		}
		return art
	}
	photo := content.Photo{URL: "/media/quay.png", Caption: "The quay", Credit: "© Ann Lee/Agency", Alt: "A quay at dawn", Width: 800, Height: 600}
	env.linked = publish(create(content.Edit{Headline: "Ferry timetable changes", Body: "New times.",
		Photos: []content.Photo{photo}, Tags: []string{"Harbour"}}))
	env.draft = create(content.Edit{Headline: "Embargoed budget", Body: "Not yet."})
	lead := create(content.Edit{
		Headline: "Council votes to widen the quay", Standfirst: "A <b>long</b> night & a narrow vote.",
		Dateline: content.Dateline{Place: "PORT ELLIS", TimeZone: "America/New_York"},
		Byline:   "By Inês Vaz and agencies",
		Body:     "First page with **bold** text.\n\n" + content.PageBreak + "\n\nSecond page.\n\n" + content.PageBreak + "\n\nThird page.",
		Photos: []content.Photo{photo,
			{URL: "https://images.example.net/b.jpg", Caption: "Council", Credit: "© Agency", Alt: "The council chamber"}},
		Links: []content.RelatedLink{
			{Kind: content.LinkRelated, Title: "Timetable", ArticleID: env.linked.ID},
			{Kind: content.LinkRelated, Title: "Budget", ArticleID: env.draft.ID},
			{Kind: content.LinkOtherMedia, Title: "Elsewhere", URL: "https://other.example.com/x"},
			{Kind: content.LinkPartner, Title: "Partner", URL: "https://partner.example.net/y"},
		},
		Tags:      []string{"Politics", "Harbour"},
		AuthorIDs: []string{env.author.ID},
		SEO:       content.SEO{MetaTitle: "Quay vote", MetaDescription: "The vote", CanonicalURL: "https://news.example.org/quay"},
		Featured:  true,
	})
	lead = publish(lead)
	lead, err = a.db.UpdateArticle(ctx, lead.ID, content.Save{Update: true, Version: lead.Version, Edit: lead.Edit, Correction: "An earlier version misspelt the quay."})
	if err != nil {
		t.Fatal(err)
	}
	env.lead = lead
	return env
}

// get reads target through the stored JSON (when the store has it) and
// again through a store that renders nothing, which builds the JSON from
// the tables, and fails unless both answers are the same bytes with the
// same status and headers. It returns the answer.
func (env *publicEnv) get(t *testing.T, target string) (int, []byte) {
	t.Helper()
	stored := get(t, env.h, target)
	// A new router each time: the old tag slugs it knows follow the
	// generation of its own store, which another store's writes do not move.
	built := get(t, newRouter(&app{cfg: env.a.cfg, db: env.plain, log: env.a.log}), target)
	if stored.Code != built.Code || !bytes.Equal(stored.Body.Bytes(), built.Body.Bytes()) {
		t.Fatalf("%s: stored JSON answers\n%d %s\nbut the tables give\n%d %s", target, stored.Code, stored.Body, built.Code, built.Body)
	}
	for _, h := range []string{"Etag", "Surrogate-Key", "Content-Type", "Cache-Control"} {
		if stored.Header().Get(h) != built.Header().Get(h) {
			t.Errorf("%s: %s %q from stored JSON, %q from the tables", target, h, stored.Header().Get(h), built.Header().Get(h))
		}
	}
	return stored.Code, stored.Body.Bytes()
}

// check reads every list and story through env.get, and fails unless each
// published story's JSON and each list is stored (so the reads above took
// the stored path) and nothing else has stored JSON.
func (env *publicEnv) check(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	key := env.a.cfg.publicShapes().Key()
	featured := true
	lists := []content.ArticleFilter{{}, {Tags: []string{"harbour"}, Featured: &featured}, {Author: "ines-vaz"}}
	targets := []string{"/api/v1/articles?limit=100", "/api/v1/articles?limit=1"}
	for _, tag := range env.visible {
		lists = append(lists, content.ArticleFilter{Tags: []string{tag}})
		targets = append(targets, "/api/v1/articles?tag="+tag)
	}
	targets = append(targets, "/api/v1/articles?tag="+strings.Join(env.visible, ","))
	// Filters beyond tags take the general query for their keys.
	targets = append(targets, "/api/v1/articles?tag=harbour&featured=true", "/api/v1/articles?author=ines-vaz&limit=1",
		"/api/v1/articles?since=2000-01-01T00:00:00Z")
	// Searches: the snippet is spliced into the stored item, and the next
	// cursor carries the rank.
	searches := []string{"quay", "night+long", "pag*", "quay&limit=1", "page&tag=politics", "nowhere"}
	for _, q := range searches {
		targets = append(targets, "/api/v1/articles?q="+q)
	}
	for _, target := range targets {
		env.get(t, target)
	}
	for _, q := range []string{"quay", "night"} {
		f := content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Query: q, Limit: 20}
		if ok, err := storedItems(ctx, env.a.db.SearchHits, env.a.db, f, key); err != nil || !ok {
			t.Errorf("search %q: stored items %v, %v; want them all", q, ok, err)
		}
	}
	for _, f := range lists {
		f.Statuses, f.Limit = []content.Status{content.StatusPublished}, 100
		if ok, err := storedItems(ctx, env.a.db.ListKeys, env.a.db, f, key); err != nil || !ok {
			t.Errorf("list %v: stored items %v, %v; want them all", f.Tags, ok, err)
		}
	}
	all, err := env.a.db.Articles(ctx, content.ArticleFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := env.a.db.Articles(ctx, content.ArticleFilter{Deleted: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i, art := range append(all, deleted...) {
		code, _ := env.get(t, "/api/v1/articles/"+art.Slug)
		_, stored, err := env.a.db.PublicBlob(ctx, art.Slug, key, nil)
		if err != nil {
			t.Fatal(err)
		}
		public := art.Status == content.StatusPublished && i < len(all)
		if stored != public || (code == http.StatusOK) != public {
			t.Errorf("%s (%s, deleted %v): stored JSON %v, status %d", art.Slug, art.Status, i >= len(all), stored, code)
		}
	}
}

func (env *publicEnv) story(t *testing.T, art *content.Article) string {
	t.Helper()
	fresh, err := env.a.db.Article(context.Background(), content.ArticleFilter{ID: &art.ID})
	if err != nil {
		t.Fatal(err)
	}
	code, body := env.get(t, "/api/v1/articles/"+fresh.Slug)
	if code != http.StatusOK {
		t.Fatalf("%s: %d %s", fresh.Slug, code, body)
	}
	return string(body)
}

func TestStoredJSONStaysFresh(t *testing.T) {
	env := newPublicEnv(t)
	ctx := context.Background()
	db := env.a.db
	env.check(t)
	if body := env.story(t, env.lead); !strings.Contains(body, `"article_slug":"ferry-timetable-changes"`) ||
		strings.Contains(body, "Budget") || !strings.Contains(body, "misspelt") || !strings.Contains(body, `"number":3`) {
		t.Fatalf("the lead story lacks its linked story, correction or pages, or shows the draft: %s", body)
	}
	ptr := func(s string) *string { return &s }
	steps := []struct {
		name    string
		change  func() error
		visible []string
		shows   []string // in the lead story afterwards
		hides   []string
	}{
		{"a renamed tag shows its new name and slug", func() error {
			_, err := db.UpdateTag(ctx, "harbour", content.TagEdit{Name: ptr("Harbor")})
			return err
		}, []string{"harbor", "politics"}, []string{`{"slug":"harbor","name":"Harbor"}`}, []string{`"harbour"`}},
		{"a tag's new description changes nothing shown", func() error {
			_, err := db.UpdateTag(ctx, "harbor", content.TagEdit{Description: ptr("Ships and quays")})
			return err
		}, []string{"harbor", "politics"}, nil, []string{"Ships and quays"}},
		{"a merged tag leaves its stories for the target", func() error {
			_, err := db.MergeTags(ctx, "politics", "harbor")
			return err
		}, []string{"harbor"}, []string{`"slug":"harbor"`}, []string{`"politics"`}},
		{"a deleted tag leaves its stories", func() error {
			return db.DeleteTag(ctx, "harbor")
		}, nil, []string{`"tags":[]`}, []string{`"harbor"`}},
		{"a renamed author shows the new name and bio", func() error {
			_, err := db.UpdateUser(ctx, env.author.ID, auth.UserUpdate{Name: ptr("Inês Vaz-Costa"), Bio: ptr("Editor, harbour desk.")})
			return err
		}, nil, []string{`"name":"Inês Vaz-Costa"`, "Editor, harbour desk."}, []string{"Covers the port."}},
		{"a linked story's new slug moves the link", func() error {
			cur, err := db.Article(ctx, content.ArticleFilter{ID: &env.linked.ID})
			if err != nil {
				return err
			}
			e := cur.Edit
			e.Slug = "ferry-times"
			_, err = db.UpdateArticle(ctx, cur.ID, content.Save{Update: true, Version: cur.Version, Edit: e})
			return err
		}, nil, []string{`"article_slug":"ferry-times"`}, []string{`"article_slug":"ferry-timetable-changes"`}},
		{"a withdrawn linked story drops out of the links", func() error {
			_, err := db.ChangeStatus(ctx, env.linked.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished})
			return err
		}, nil, nil, []string{"ferry-times", "Timetable"}},
		{"a republished linked story comes back", func() error {
			_, err := db.ChangeStatus(ctx, env.linked.ID, content.StatusChange{From: []content.Status{content.StatusUnpublished}, To: content.StatusPublished})
			return err
		}, nil, []string{`"article_slug":"ferry-times"`}, nil},
		{"a published linked draft appears", func() error {
			_, err := db.ChangeStatus(ctx, env.draft.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished})
			return err
		}, nil, []string{`"title":"Budget"`}, nil},
		{"an edit of the story shows at once", func() error {
			cur, err := db.Article(ctx, content.ArticleFilter{ID: &env.lead.ID})
			if err != nil {
				return err
			}
			e := cur.Edit
			e.Headline = "Council widens the quay"
			e.Slug = "quay-widened"
			_, err = db.UpdateArticle(ctx, cur.ID, content.Save{Update: true, Version: cur.Version, Edit: e, Correction: "The vote was not narrow."})
			return err
		}, nil, []string{"Council widens the quay", "The vote was not narrow."}, nil},
		{"a deactivated author stays on the byline of published stories", func() error {
			_, err := db.UpdateUser(ctx, env.author.ID, auth.UserUpdate{Active: new(false)})
			return err
		}, nil, []string{`"name":"Inês Vaz-Costa"`}, nil},
		{"a deleted linked story drops out of the links", func() error {
			return db.DeleteArticle(ctx, env.linked.ID, "")
		}, nil, nil, []string{"ferry-times"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.change(); err != nil {
				t.Fatal(err)
			}
			env.visible = s.visible
			env.check(t)
			body := env.story(t, env.lead)
			for _, want := range s.shows {
				if !strings.Contains(body, want) {
					t.Errorf("the story lacks %s: %s", want, body)
				}
			}
			for _, not := range s.hides {
				if strings.Contains(body, not) {
					t.Errorf("the story still shows %s: %s", not, body)
				}
			}
		})
	}
	t.Run("an old slug still redirects to the current one", func(t *testing.T) {
		if rec := get(t, env.h, "/api/v1/articles/council-votes-to-widen-the-quay"); rec.Code != http.StatusMovedPermanently ||
			rec.Header().Get("Location") != "/api/v1/articles/quay-widened" {
			t.Fatalf("%d %q", rec.Code, rec.Header().Get("Location"))
		}
	})
	for _, s := range []struct {
		name   string
		change func() error
	}{
		{"a withdrawn story has no stored JSON and answers 404", func() error {
			_, err := db.ChangeStatus(ctx, env.lead.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished})
			return err
		}},
		{"a republished story is stored again", func() error {
			_, err := db.ChangeStatus(ctx, env.lead.ID, content.StatusChange{From: []content.Status{content.StatusUnpublished}, To: content.StatusPublished})
			return err
		}},
		{"a deleted story has no stored JSON and answers 404", func() error {
			return db.DeleteArticle(ctx, env.lead.ID, "")
		}},
	} {
		t.Run(s.name, func(t *testing.T) {
			if err := s.change(); err != nil {
				t.Fatal(err)
			}
			env.check(t)
		})
	}
}

func TestStoredJSONIsWhatReadsServe(t *testing.T) {
	env := newPublicEnv(t)
	ctx := context.Background()
	db := env.a.db
	// Writes through a store whose renderer marks its output (under the
	// router's render key) prove which path answered. A published save
	// stores the story's JSON anew and writes its event: a write that
	// changes stored JSON must say so.
	marking := env.reopen(t, markedRender{env.a.cfg.publicShapes()})
	lead, err := marking.Article(ctx, content.ArticleFilter{ID: &env.lead.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := marking.UpdateArticle(ctx, lead.ID, content.Save{Update: true, Version: lead.Version, Edit: lead.Edit}); err != nil {
		t.Fatal(err)
	}
	t.Run("a story by slug is the stored JSON", func(t *testing.T) {
		rec := get(t, env.h, "/api/v1/articles/"+env.lead.Slug)
		if !strings.HasPrefix(rec.Body.String(), "stored {") {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		if rec := get(t, env.h, "/api/v1/articles/"+env.lead.Slug+"?format=ninjs"); strings.Contains(rec.Body.String(), "stored") {
			t.Fatalf("ninjs is built from the story, not stored: %s", rec.Body)
		}
	})
	t.Run("a list by tag is made of stored items", func(t *testing.T) {
		rec := get(t, env.h, "/api/v1/articles?tag=politics")
		if want := `{"articles":[{"stored":"item"}],"meta":{"limit":20}}` + "\n"; rec.Body.String() != want {
			t.Fatalf("got %s, want %s", rec.Body, want)
		}
	})
	t.Run("a search is made of stored items with their snippets", func(t *testing.T) {
		rec := get(t, env.h, "/api/v1/articles?q=quay&tag=politics")
		want := `{"articles":[{"stored":"item","snippet":"Council votes to widen the <mark>quay</mark>"}],"meta":{"limit":20}}` + "\n"
		if rec.Body.String() != want {
			t.Fatalf("got %s, want %s", rec.Body, want)
		}
	})
	t.Run("a list with a story not stored is built from the tables", func(t *testing.T) {
		// A write without a renderer removes the stored JSON of the story.
		plain := env.reopen(t, nil)
		cur, err := plain.Article(ctx, content.ArticleFilter{ID: &env.linked.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := plain.UpdateArticle(ctx, cur.ID, content.Save{Update: true, Version: cur.Version, Edit: cur.Edit}); err != nil {
			t.Fatal(err)
		}
		rec := get(t, env.h, "/api/v1/articles?tag=harbour")
		if strings.Contains(rec.Body.String(), "stored item") || !strings.Contains(rec.Body.String(), env.linked.Slug) {
			t.Fatalf("%s", rec.Body)
		}
	})

	t.Run("JSON of another render key is not served, and a re-render replaces it", func(t *testing.T) {
		other := env.reopen(t, keyedRender{markedRender{env.a.cfg.publicShapes()}, "another base URL"})
		if _, err := other.UpdateTag(ctx, "politics", content.TagEdit{Name: new("Politics")}); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.PublicBlob(ctx, env.lead.Slug, "another base URL", nil); !ok {
			t.Fatal("nothing stored under the other key")
		}
		if code, body := env.get(t, "/api/v1/articles/"+env.lead.Slug); code != http.StatusOK || bytes.HasPrefix(body, []byte("stored")) {
			t.Fatalf("JSON stored under another key was served: %d %s", code, body)
		}
		if n, err := db.RerenderPublic(ctx); err != nil || n != 2 {
			t.Fatalf("re-rendered %d stories (%v), want the 2 published", n, err)
		}
		if n, err := db.RerenderPublic(ctx); err != nil || n != 0 {
			t.Fatalf("a second re-render did %d stories (%v), want none", n, err)
		}
		env.visible = []string{"harbour", "politics"}
		env.check(t)
	})
}

// reopen opens env's database file again as serve does, but rendering
// with render (nil: nothing), for writes whose stored JSON tests can tell
// apart.
func (env *publicEnv) reopen(t *testing.T, render sqlite.Renderer) *sqlite.DB {
	t.Helper()
	opt := env.a.cfg.storeOptions()
	opt.Render = render
	db, err := sqlite.Open(context.Background(), env.a.db.Path(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// markedRender renders as serve does, under the same key, with the whole
// story prefixed by "stored " and every list item {"stored":"item"}.
type markedRender struct{ sqlite.Renderer }

func (m markedRender) Render(a *content.Article, linked map[string]string) (content.PublicJSON, error) {
	r, err := m.Renderer.Render(a, linked)
	r.Full = append([]byte("stored "), r.Full...)
	r.Summary = []byte(`{"stored":"item"}`)
	return r, err
}

// keyedRender is a renderer under another key.
type keyedRender struct {
	sqlite.Renderer
	key string
}

func (k keyedRender) Key() string { return k.key }

func TestTheStoreAndTheRouterRenderUnderOneKey(t *testing.T) {
	a, _ := newTestApp(t)
	store, api := a.cfg.storeOptions().Render.Key(), delivery.NewWithOptions(nil, a.deliveryOptions()).RenderKey()
	if store != api {
		t.Fatalf("the store renders under %q, the router reads %q", store, api)
	}
}

func TestStoredJSONOfEscapedQueries(t *testing.T) {
	env := newPublicEnv(t)
	for _, target := range []string{
		"/api/v1/articles?tag=politics&limit=1",
		"/api/v1/articles?tag=harbour&tag=politics&limit=1&featured=true",
		"/api/v1/articles?author=ines-vaz",
		"/api/v1/articles?since=" + url.QueryEscape("2000-01-01T00:00:00+03:00"),
	} {
		t.Run("the stored path answers "+target+" as the tables do", func(t *testing.T) {
			code, body := env.get(t, target)
			if code != http.StatusOK || !bytes.Contains(body, []byte(`"slug"`)) {
				t.Fatalf("%d %s", code, body)
			}
		})
	}
	t.Run("the next page of a stored list follows its cursor", func(t *testing.T) {
		_, body := env.get(t, "/api/v1/articles?tag=harbour&limit=1")
		i := bytes.Index(body, []byte(`"next_cursor":"`))
		if i < 0 {
			t.Fatalf("no cursor: %s", body)
		}
		cur := body[i+len(`"next_cursor":"`):]
		cur = cur[:bytes.IndexByte(cur, '"')]
		if code, next := env.get(t, "/api/v1/articles?tag=harbour&limit=1&cursor="+string(cur)); code != http.StatusOK || bytes.Equal(next, body) {
			t.Fatalf("%d %s", code, next)
		}
	})
}

// storedItems reports whether the store holds a list item under key for
// every story of the page keys (ListKeys or SearchHits) finds for f.
func storedItems(ctx context.Context, keys func(context.Context, content.ArticleFilter) ([]content.Blob, bool, error),
	db delivery.Store, f content.ArticleFilter, key string) (bool, error) {
	bs, ok, err := keys(ctx, f)
	if !ok || err != nil {
		return ok, err
	}
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = b.ID
	}
	_, ok, err = db.ListItems(ctx, ids, key)
	return ok, err
}
