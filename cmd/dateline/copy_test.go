package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/demo"
	"dateline/content/postgres"
	"dateline/content/postgres/pgtest"
	"dateline/content/schedule"
	"dateline/content/sqlite/sqlitetest"
)

// newsroom is what richNewsroom made beyond the demo's stories.
type newsroom struct {
	editor                 auth.User
	apiKey                 string
	session                session
	scheduled              *content.Article
	renamedSlug, oldSlug   string
	oldTag, newTag         string
	trashed, workingCopy   *content.Article
	historyDraft, rejected *content.Article
	previewCode            string
}

// richNewsroom seeds the demo newsroom into a's store and adds what the
// demo lacks: users with passwords, profiles and an API key, a session, a
// draft with a revision history (an autosave among them), a published
// story with a working copy, one with a changed slug and a correction, a
// story sent back from review with a note, a trashed story, a renamed tag,
// an edit lock, an imported story with its author and old permalink, a
// preview link, a setup link, renditions, and a webhook with deliveries.
func richNewsroom(t *testing.T, a *app, h http.Handler) newsroom {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Seed(ctx, a.db, filepath.Join(a.cfg.DataDir, "media"), a.db.Now()); err != nil {
		t.Fatal(err)
	}
	var n newsroom
	hash, err := cheapArgon2.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	n.editor, err = a.db.CreateUser(ctx, auth.User{Email: "edda@example.org", Name: "Edda Berg", Role: auth.RoleEditor,
		Bio: "Night editor of the Gazette.", PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	writer, err := a.db.CreateUser(ctx, auth.User{Email: "cora@example.org", Name: "Cora Lind", Role: auth.RoleContributor, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	key, prefix, keyHash := auth.NewAPIKey()
	if _, err := a.db.CreateAPIKey(ctx, auth.APIKey{UserID: n.editor.ID, Name: "site build", Prefix: prefix, Hash: keyHash}); err != nil {
		t.Fatal(err)
	}
	n.apiKey = key
	n.session = login(t, h, "edda@example.org", testPassword)
	hook := "https://hooks.example.org/dateline"
	if _, err := a.db.CreateWebhook(ctx, content.WebhookEdit{URL: &hook}); err != nil {
		t.Fatal(err)
	}

	published, err := a.db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Full: true, Limit: 100})
	if err != nil || len(published) < 4 {
		t.Fatalf("the demo published %d stories (%v)", len(published), err)
	}
	scheduled, err := a.db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusScheduled}, Full: true, Limit: 10})
	if err != nil || len(scheduled) == 0 {
		t.Fatalf("the demo scheduled %d stories (%v)", len(scheduled), err)
	}
	sort.Slice(scheduled, func(i, j int) bool { return scheduled[i].PublishAt.Before(*scheduled[j].PublishAt) })
	n.scheduled = scheduled[0]

	save := func(art *content.Article, s content.Save) *content.Article {
		t.Helper()
		s.Version, s.By = art.Version, n.editor.ID
		if s.Edit.Headline == "" {
			s.Edit = art.Edit
		}
		out, err := a.db.UpdateArticle(ctx, art.ID, s)
		if err != nil {
			t.Fatalf("save %s: %v", art.Slug, err)
		}
		return out
	}

	// A draft saved again and again, the last save an autosave.
	d, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Ferry timetable draft", Body: "First go.", Tags: []string{"Harbour"}}, writer.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, body := range []string{"Second go.", "Third go, longer.", "Fourth go, with a *twist*."} {
		e := d.Edit
		e.Body = body
		d = save(d, content.Save{Edit: e, Autosave: i == 2})
	}
	n.historyDraft = d

	// A published story with unpublished changes in its working copy.
	wc := published[0]
	e := wc.Edit
	e.Standfirst = "A standfirst readers must not see yet."
	save(wc, content.Save{Edit: e})
	n.workingCopy = wc

	// A published story whose slug changed, with a correction.
	moved := published[1]
	e = moved.Edit
	n.oldSlug = moved.Slug
	e.Slug = moved.Slug + "-updated"
	moved = save(moved, content.Save{Edit: e, Update: true, Correction: "An earlier version misspelt the harbour master's name."})
	n.renamedSlug = moved.Slug

	// A story sent back from review with a reason.
	r, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Council budget leak", Body: "Figures."}, writer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = a.db.ChangeStatus(ctx, r.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusInReview, By: writer.ID}); err != nil {
		t.Fatal(err)
	}
	if r, err = a.db.ChangeStatus(ctx, r.ID, content.StatusChange{From: []content.Status{content.StatusInReview}, To: content.StatusDraft,
		By: n.editor.ID, Reason: "Needs a second source."}); err != nil {
		t.Fatal(err)
	}
	n.rejected = r

	// A published story in the Trash.
	n.trashed = published[2]
	if err := a.db.DeleteArticle(ctx, n.trashed.ID, n.editor.ID); err != nil {
		t.Fatal(err)
	}

	// A renamed tag keeps its old slug as a redirect.
	tags, err := a.db.Tags(ctx, content.TagFilter{})
	if err != nil || len(tags) == 0 {
		t.Fatalf("tags: %v %v", tags, err)
	}
	for _, tg := range tags {
		if tg.Count > 0 {
			n.oldTag = tg.Slug
			break
		}
	}
	slug := n.oldTag + "-desk"
	tg, err := a.db.UpdateTag(ctx, n.oldTag, content.TagEdit{Slug: &slug})
	if err != nil {
		t.Fatal(err)
	}
	n.newTag = tg.Slug

	if _, err := a.db.AcquireLock(ctx, n.historyDraft.ID, n.editor.ID, false); err != nil {
		t.Fatal(err)
	}

	// A story imported from an old site, with its author and permalink.
	importer, ok := a.db.(interface {
		ImportStories(ctx context.Context, stories []*content.ImportedStory, opt content.ImportOptions) ([]content.ImportResult, error)
	})
	if !ok {
		t.Fatal("the store imports no stories")
	}
	then := a.db.Now().Add(-400 * 24 * time.Hour).Truncate(time.Second)
	res, err := importer.ImportStories(ctx, []*content.ImportedStory{{SourceID: "17",
		Import: content.Import{Edit: content.Edit{Headline: "From the archive: the lighthouse keeper", Body: "She kept the light for forty years."},
			Status: content.StatusPublished, PublishedAt: &then},
		Authors:  []content.ImportAuthor{{Key: "jvale", Name: "Jon Vale", Email: "jon@example.org", Bio: "Wrote the harbour column."}},
		OldSlugs: []string{"lighthouse-keeper-1987"}}}, content.ImportOptions{Source: "wxr:https://old.example.org"})
	if err != nil || len(res) != 1 || res[0].ArticleID == "" {
		t.Fatalf("import: %+v %v", res, err)
	}

	// A preview link, a setup link, renditions of a photo, and the
	// webhook's deliveries of the events since it was made.
	g, err := a.db.CreatePreviewGrant(ctx, content.PreviewGrant{ArticleID: n.historyDraft.ID, Version: n.historyDraft.Version,
		CreatedBy: n.editor.ID, ExpiresAt: a.db.Now().Add(time.Hour)}, []byte(`{"headline":"Ferry timetable draft"}`))
	if err != nil {
		t.Fatal(err)
	}
	n.previewCode = g.Code
	if err := a.db.CreateSetupToken(ctx, auth.HashToken("an unused setup link"), a.db.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	job, ok, err := a.db.ClaimRenditionJob(ctx, time.Minute)
	if err != nil || !ok {
		t.Fatalf("claim a rendition job: %v %v", ok, err)
	}
	if _, _, err := a.db.FinishRenditions(ctx, job, "test-spec", []content.Rendition{
		{FileName: job.MediaID + "-640.jpg", ContentType: "image/jpeg", Width: 640, Height: 427, Size: 40_000},
		{FileName: job.MediaID + "-640.webp", ContentType: "image/webp", Width: 640, Height: 427, Size: 30_000, Crop: "16:9"},
	}); err != nil {
		t.Fatal(err)
	}
	if k, err := a.db.FanOutEvents(ctx, 100); err != nil || k == 0 {
		t.Fatalf("fan out %d events to the webhook: %v", k, err)
	}
	return n
}

// copyConfig writes a config file that gives the copy command the
// newsroom settings of the test apps (newTestAppOn), so that it renders
// the public JSON under the same key.
func copyConfig(t *testing.T, a *app) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	body := "log_level: warn\nbase_url: " + a.cfg.BaseURL + "\ntime_zone: " + a.cfg.TimeZone + "\n"
	if err := writeFile(p, []byte(body)); err != nil {
		t.Fatal(err)
	}
	return p
}

// runCopyCLI runs dateline copy with args and the config of a.
func runCopyCLI(t *testing.T, a *app, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	m := map[string]string{"DATELINE_CONFIG": copyConfig(t, a)}
	for k, v := range env {
		m[k] = v
	}
	var out, errOut bytes.Buffer
	err = run(context.Background(), append([]string{"copy"}, args...), envOf(m), &out, &errOut)
	return out.String(), errOut.String(), err
}

// The public API answers the same from the PostgreSQL copy as from the
// SQLite source: every list, story, redirect, search, tag, author, feed,
// sitemap and the changes feed, status, body and caching headers alike;
// users log in with their passwords, sessions and API keys work, and the
// scheduled story is still scheduled and publishes at its time with the
// next event id.
func TestCopyMovesANewsroomFromSQLiteToPostgres(t *testing.T) {
	ctx := context.Background()
	var ahead atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	a, h := newTestAppOn(t, onSQLite, clock)
	pgURL := pgtest.Open(t)
	n := richNewsroom(t, a, h)

	out, errOut, err := runCopyCLI(t, a, nil, "--data", a.cfg.DataDir, "--to", pgURL)
	if err != nil {
		t.Fatalf("copy: %v\n%s%s", err, out, errOut)
	}
	for _, want := range []string{"users", "articles", "revisions", "working_copies", "events", "the next event id is", "identical to SQLite's", "copied "} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "DIFFER") || strings.Contains(out, "not compared") {
		t.Errorf("the report found differences:\n%s", out)
	}
	t.Logf("dateline copy printed:\n%s", out)

	cfg := a.cfg
	cfg.Database = pgURL
	opt := cfg.postgresOptions()
	opt.Now = clock
	pg, err := postgres.Open(ctx, pgURL, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	b := &app{cfg: cfg, db: pg, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	hp := newRouter(b)

	// same GETs target from both and compares them; want is the status
	// both must answer, 0 for any.
	same := func(target string, want ...int) {
		t.Helper()
		src, got := get(t, h, target), get(t, hp, target)
		if got.Code != src.Code || !bytes.Equal(got.Body.Bytes(), src.Body.Bytes()) {
			t.Errorf("GET %s: PostgreSQL answers %d\n%.600s\nSQLite %d\n%.600s", target, got.Code, got.Body, src.Code, src.Body)
		}
		for _, k := range []string{"Content-Type", "ETag", "Surrogate-Key", "Location", "Cache-Control"} {
			if got.Header().Get(k) != src.Header().Get(k) {
				t.Errorf("GET %s: %s %q on PostgreSQL, %q on SQLite", target, k, got.Header().Get(k), src.Header().Get(k))
			}
		}
		if len(want) > 0 && src.Code != want[0] {
			t.Errorf("GET %s: %d on both, want %d", target, src.Code, want[0])
		}
	}

	same("/api/v1/articles")
	same("/api/v1/articles?limit=100")
	same("/api/v1/articles?featured=true")
	var page struct {
		Articles []struct{ Slug string }
		Meta     struct {
			NextCursor string `json:"next_cursor"`
		}
	}
	decode(t, get(t, h, "/api/v1/articles?limit=3"), &page)
	same("/api/v1/articles?limit=3")
	if page.Meta.NextCursor != "" {
		same("/api/v1/articles?limit=3&cursor=" + url.QueryEscape(page.Meta.NextCursor))
	}
	var all struct{ Articles []struct{ Slug string } }
	decode(t, get(t, h, "/api/v1/articles?limit=100"), &all)
	if len(all.Articles) < 3 {
		t.Fatalf("the source lists %d stories", len(all.Articles))
	}
	for _, s := range all.Articles {
		same("/api/v1/articles/"+s.Slug, http.StatusOK)
		same("/api/v1/articles/" + s.Slug + "?format=ninjs")
	}
	same("/api/v1/articles/"+n.oldSlug, http.StatusMovedPermanently) // the redirect to the new slug
	same("/api/v1/articles/"+n.trashed.Slug, http.StatusNotFound)
	same("/api/v1/articles/"+n.scheduled.Slug, http.StatusNotFound)
	same("/api/v1/tags")
	same("/api/v1/tags/"+n.newTag, http.StatusOK)
	same("/api/v1/tags/"+n.oldTag, http.StatusMovedPermanently)
	same("/api/v1/articles?tag=" + n.newTag)
	same("/api/v1/articles?tag=" + n.oldTag)
	same("/api/v1/authors")
	same("/api/v1/authors/jon-vale", http.StatusOK)
	same("/api/v1/articles/lighthouse-keeper-1987", http.StatusMovedPermanently)
	same("/preview/"+n.previewCode, http.StatusOK)
	same("/api/v1/corrections")
	same("/api/v1/changes")
	same("/api/v1/changes?limit=2")
	for _, f := range []string{"rss.xml", "atom.xml", "feed.json"} {
		same("/api/v1/feeds/" + f)
		same("/api/v1/tags/" + n.newTag + "/" + f)
	}
	same("/sitemap.xml")
	same("/news-sitemap.xml")
	sameSearch(t, h, hp, "harbour")
	sameSearch(t, h, hp, "festival")
	sameSearch(t, h, hp, "ferry")

	// The editable state through the admin API, with the editor's access
	// token (an API key would note its use on each side).
	for _, id := range []string{n.historyDraft.ID, n.workingCopy.ID, n.rejected.ID} {
		for _, p := range []string{"", "/revisions", "/working-copy", "/review-notes"} {
			target := "/api/admin/v1/articles/" + id + p
			want := send(t, h, request{method: "GET", target: target, bearer: n.session.AccessToken})
			got := send(t, hp, request{method: "GET", target: target, bearer: n.session.AccessToken})
			if got.Code != want.Code || got.Body.String() != want.Body.String() {
				t.Errorf("GET %s: PostgreSQL answers %d\n%.600s\nSQLite %d\n%.600s", target, got.Code, got.Body, want.Code, want.Body)
			}
		}
	}
	for _, target := range []string{"/api/admin/v1/webhooks", "/api/admin/v1/api-keys", "/api/admin/v1/users", "/api/admin/v1/tags",
		"/api/admin/v1/media", "/api/admin/v1/trash", "/api/admin/v1/articles?limit=100", "/api/admin/v1/articles?status=scheduled"} {
		want := send(t, h, request{method: "GET", target: target, bearer: n.session.AccessToken})
		got := send(t, hp, request{method: "GET", target: target, bearer: n.session.AccessToken})
		if got.Code != want.Code || got.Body.String() != want.Body.String() {
			t.Errorf("GET %s: PostgreSQL answers %d\n%.600s\nSQLite %d\n%.600s", target, got.Code, got.Body, want.Code, want.Body)
		}
	}

	// Accounts: the old password, the old session and the API key.
	login(t, hp, "edda@example.org", testPassword)
	if rec := send(t, hp, request{method: "GET", target: "/api/admin/v1/me", bearer: n.apiKey}); rec.Code != http.StatusOK {
		t.Errorf("the API key on PostgreSQL: %d %s", rec.Code, rec.Body)
	}
	if rec := send(t, hp, request{method: "GET", target: "/api/admin/v1/me", bearer: n.session.AccessToken}); rec.Code != http.StatusOK {
		t.Errorf("an access token of the SQLite server on PostgreSQL: %d %s", rec.Code, rec.Body)
	}
	if rec := send(t, hp, request{method: "POST", target: "/api/admin/v1/auth/refresh",
		body: `{"refresh_token":"` + n.session.RefreshToken + `"}`}); rec.Code != http.StatusOK {
		t.Errorf("a refresh token of the SQLite server on PostgreSQL: %d %s", rec.Code, rec.Body)
	}

	// The scheduled story is still scheduled, for the same instant, and
	// publishes at its time, with the next event id.
	still, err := pg.Article(ctx, content.ArticleFilter{IDs: []string{n.scheduled.ID}})
	if err != nil || still.Status != content.StatusScheduled || still.PublishAt == nil || !still.PublishAt.Equal(*n.scheduled.PublishAt) {
		t.Fatalf("the scheduled story on PostgreSQL: %+v (%v), want scheduled at %s", still, err, n.scheduled.PublishAt)
	}
	last, err := pg.LastEventID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if srcLast, err := a.db.LastEventID(ctx); err != nil || srcLast != last {
		t.Fatalf("the last event is %d on PostgreSQL, %d on SQLite (%v)", last, srcLast, err)
	}
	ahead.Store(int64(time.Until(*n.scheduled.PublishAt) + time.Second))
	if _, err := schedule.New(pg, schedule.Options{Now: clock}).Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if rec := get(t, hp, "/api/v1/articles/"+n.scheduled.Slug); rec.Code != http.StatusOK {
		t.Errorf("the scheduled story after its time on PostgreSQL: %d", rec.Code)
	}
	var changes struct {
		Changes []struct{ Type, Slug string }
	}
	decode(t, get(t, hp, "/api/v1/changes?limit=100"), &changes)
	if k := len(changes.Changes); k == 0 || changes.Changes[k-1].Slug != n.scheduled.Slug || changes.Changes[k-1].Type != content.EventPublished {
		t.Fatalf("the changes feed ends with %+v, want the scheduled story's publication", changes.Changes)
	}
	next, err := pg.LastEventID(ctx)
	if err != nil || next != last+1 {
		t.Errorf("the publication's event id is %d, want %d (%v)", next, last+1, err)
	}
}

// sameSearch compares a full-text search on both stores: PostgreSQL ranks
// with ts_rank_cd and cuts snippets with ts_headline, SQLite with its own
// ranking over FTS4 (DESIGN.md §10: the same response shape), so the hits
// must be the same stories, each the same but for its rank and snippet.
func sameSearch(t *testing.T, h, hp http.Handler, q string) {
	t.Helper()
	hits := func(h http.Handler) map[string]string {
		rec := get(t, h, "/api/v1/articles?limit=100&q="+url.QueryEscape(q))
		if rec.Code != http.StatusOK {
			t.Fatalf("search %q: %d %s", q, rec.Code, rec.Body)
		}
		var res struct{ Articles []map[string]any }
		decode(t, rec, &res)
		out := map[string]string{}
		for _, a := range res.Articles {
			delete(a, "snippet")
			b, _ := json.Marshal(a)
			out[a["slug"].(string)] = string(b)
		}
		return out
	}
	want, got := hits(h), hits(hp)
	if len(want) == 0 {
		t.Fatalf("search %q finds nothing on SQLite", q)
	}
	if len(got) != len(want) {
		t.Errorf("search %q: %d hits on PostgreSQL, %d on SQLite", q, len(got), len(want))
	}
	for slug, w := range want {
		if got[slug] != w {
			t.Errorf("search %q, hit %s: PostgreSQL\n%.400s\nSQLite\n%.400s", q, slug, got[slug], w)
		}
	}
}

// dateline copy refuses what it cannot do with one line and a non-zero
// exit, before it changes anything: a target that holds a newsroom, a
// target that is no PostgreSQL URL or that does not answer, a missing
// source, no target at all, and misuse of its flags.
func TestCopyRefusalsAreOneLineAndNonZero(t *testing.T) {
	a, _ := newTestAppOn(t, onSQLite, time.Now)
	seed(t, a)
	pgURL := pgtest.Open(t)
	if out, errOut, err := runCopyCLI(t, a, nil, "--data", a.cfg.DataDir, "--to", pgURL); err != nil {
		t.Fatalf("the first copy: %v\n%s%s", err, out, errOut)
	}
	urlFile := filepath.Join(t.TempDir(), "database-url")
	if err := writeFile(urlFile, []byte(pgURL+"\n")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"a target that holds a newsroom", nil, []string{"--data", a.cfg.DataDir, "--to", pgURL}, exitFailure, "is not empty: it holds rows in tags (3), articles (5)"},
		{"a target from DATELINE_DATABASE_URL that holds a newsroom", map[string]string{"DATELINE_DATABASE_URL": pgURL},
			[]string{"--data", a.cfg.DataDir}, exitFailure, "is not empty"},
		{"a target from DATELINE_DATABASE_URL_FILE that holds a newsroom", map[string]string{"DATELINE_DATABASE_URL_FILE": urlFile},
			[]string{"--data", a.cfg.DataDir}, exitFailure, "is not empty"},
		{"a target that is not a PostgreSQL URL", nil, []string{"--data", a.cfg.DataDir, "--to", "mysql://db.example.org/news"}, exitUsage, "--to must be the URL of a PostgreSQL server"},
		{"a target URL without a host", nil, []string{"--data", a.cfg.DataDir, "--to", "postgres:///news"}, exitUsage, "--to must be the URL of a PostgreSQL server"},
		{"a target that does not answer", nil, []string{"--data", a.cfg.DataDir, "--to", "postgres://news:s3cret-pw@127.0.0.1:1/news?connect_timeout=2"},
			exitFailure, "database postgres://news:"},
		{"a missing source", nil, []string{"--data", t.TempDir(), "--to", pgURL}, exitFailure, "dateline.db does not exist"},
		{"a missing --from file", nil, []string{"--from", filepath.Join(t.TempDir(), "old.db"), "--to", pgURL}, exitFailure, "old.db does not exist"},
		{"a source that is not a database", nil, []string{"--from", urlFile, "--to", pgURL}, exitFailure, "not a Dateline database"},
		{"no target", nil, []string{"--data", a.cfg.DataDir}, exitUsage, "name the PostgreSQL database to copy into"},
		{"an unknown flag", nil, []string{"--bogus"}, exitUsage, `run "dateline copy -h"`},
		{"an extra argument", nil, []string{"--to", pgURL, "junk"}, exitUsage, `copy takes no arguments`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := runCopyCLI(t, a, tt.env, tt.args...)
			if code := exitCode(err); code != tt.code {
				t.Fatalf("exit %d (%v), want %d", code, err, tt.code)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, tt.want) || strings.Contains(msg, "s3cret-pw") {
				t.Errorf("error %q, want one line with %q and no password", msg, tt.want)
			}
			if out != "" || errOut != "" {
				t.Errorf("printed more than the one line: stdout %q, stderr %q", out, errOut)
			}
		})
	}
}

func TestCopyHelpListsItsFlags(t *testing.T) {
	out, errOut, err, code := cliRun(t, filepath.Join(t.TempDir(), "data"), "copy", "-h")
	if code != exitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	help := out + errOut
	for _, w := range []string{"-to", "-from", "-data", "-config", "Stop every server"} {
		if !strings.Contains(help, w) {
			t.Errorf("%q missing from\n%s", w, help)
		}
	}
	for _, n := range []string{"-addr", "-base-url", "-database"} {
		if strings.Contains(help, n) {
			t.Errorf("%q is listed:\n%s", n, help)
		}
	}
}

// A copy whose check finds a difference prints the report naming it,
// exits 1 and commits nothing: run again, it finds the target still empty.
func TestCopyThatDiffersCommitsNothing(t *testing.T) {
	a, _ := newTestAppOn(t, onSQLite, time.Now)
	f := seed(t, a)
	sqlitetest.ReplacePublicJSON(t, filepath.Join(a.cfg.DataDir, "dateline.db"), f.published.ID, []byte(`{"headline":"stale"}`))
	pgURL := pgtest.Open(t)
	for round := range 2 {
		out, _, err := runCopyCLI(t, a, nil, "--data", a.cfg.DataDir, "--to", pgURL)
		if code := exitCode(err); code != exitFailure || !strings.Contains(err.Error(), "the copy differs from the source; nothing was committed") {
			t.Fatalf("round %d: exit %d, %v", round, code, err)
		}
		if !strings.Contains(out, "1 DIFFER ("+f.published.ID+")") {
			t.Errorf("round %d: the report does not name the story:\n%s", round, out)
		}
	}
}
