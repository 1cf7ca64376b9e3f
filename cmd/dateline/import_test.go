package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

const wxrFixture = "../../content/transfer/testdata/wordpress.xml"

// appAt is newTestApp on the data directory dir.
func appAt(tb testing.TB, dir string) (*app, http.Handler) {
	tb.Helper()
	cfg := defaultConfig()
	cfg.DataDir = dir
	cfg.BaseURL = "https://news.example.org"
	cfg.TimeZone = "Europe/Moscow"
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "dateline.db"), cfg.storeOptions())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	a := &app{cfg: cfg, db: db, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return a, newRouter(a)
}

// cliEnv is the environment of CLI runs that share the test apps' config.
func cliEnv(t *testing.T) func(string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := writeFile(p, []byte("log_level: warn\nbase_url: https://news.example.org\ntime_zone: Europe/Moscow\n")); err != nil {
		t.Fatal(err)
	}
	return envOf(map[string]string{"DATELINE_CONFIG": p})
}

func TestExportThenImportServesTheSamePublicJSON(t *testing.T) {
	ctx := context.Background()
	env := cliEnv(t)
	srcDir, dstDir := t.TempDir(), t.TempDir()
	src, srcRouter := appAt(t, srcDir)
	f := credit(t, src, seed(t, src))
	// A tag whose slug was set by hand, with a description.
	name, slug, desc := "Harbour news", "harbour-desk", "From the quays."
	if _, err := src.db.CreateTag(ctx, content.TagEdit{Name: &name, Slug: &slug, Description: &desc}); err != nil {
		t.Fatal(err)
	}
	// A published story that links to another published one.
	e := content.Edit{Headline: "Follow-up", Body: "More.", Tags: []string{"Harbour news"},
		Links: []content.RelatedLink{{Kind: content.LinkRelated, Title: "First", ArticleID: f.published.ID}}}
	follow, err := src.db.CreateArticle(ctx, e, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.db.ChangeStatus(ctx, follow.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"import", "--data", srcDir, "wxr", wxrFixture}, env, &out, io.Discard); err == nil ||
		!strings.Contains(out.String(), "6 created") || !strings.Contains(err.Error(), "1 element(s)") {
		t.Fatalf("import wxr: %v\n%s", err, out.String())
	}
	export := filepath.Join(t.TempDir(), "newsroom.ndjson")
	if err := run(ctx, []string{"export", "--data", srcDir, "--revisions", export}, env, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"import", "--data", dstDir, "ndjson", export}, env, &out, io.Discard); err != nil {
		t.Fatalf("import ndjson: %v\n%s", err, out.String())
	}
	_, dstRouter := appAt(t, dstDir)
	published, err := src.db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 100})
	if err != nil || len(published) != 3 {
		t.Fatalf("%d published stories (%v), want 3", len(published), err)
	}
	paths := []string{"/api/v1/articles", "/api/v1/tags", "/api/v1/articles?tag=politics", "/api/v1/tags/harbour-desk"}
	for _, a := range published {
		paths = append(paths, "/api/v1/articles/"+a.Slug, "/api/v1/articles/"+a.Slug+"?format=ninjs")
	}
	for _, p := range paths {
		t.Run("GET "+p+" answers the same after the round trip", func(t *testing.T) {
			a, b := get(t, srcRouter, p), get(t, dstRouter, p)
			if a.Code != http.StatusOK || b.Code != a.Code {
				t.Fatalf("status %d before, %d after", a.Code, b.Code)
			}
			if !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
				t.Errorf("bodies differ:\n%s\n%s", a.Body.String(), b.Body.String())
			}
		})
	}
	t.Run("importing the export again changes nothing", func(t *testing.T) {
		out.Reset()
		if err := run(ctx, []string{"import", "--data", dstDir, "ndjson", export}, env, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "0 created, 0 updated, 12 unchanged") {
			t.Errorf("second import: %s", out.String())
		}
	})
}

func TestImportDryRunWritesNothingAndReportsProblems(t *testing.T) {
	ctx := context.Background()
	env := cliEnv(t)
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(ctx, []string{"import", "--data", dir, "--dry-run", "wxr", wxrFixture}, env, &out, io.Discard)
	if exitCode(err) != exitFailure {
		t.Errorf("exit %d (%v), want %d: a dry run that finds a problem fails", exitCode(err), err, exitFailure)
	}
	for _, w := range []string{"would import wxr:https://gazette.example.org: 6 created", "problem: item 8 (line",
		"post 108): wp:post_date_gmt:", "needs a photo credit", "skipped 1: a post in the trash"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("report lacks %q:\n%s", w, out.String())
		}
	}
	a, _ := appAt(t, dir)
	if as, _ := a.db.Articles(ctx, content.ArticleFilter{}); len(as) != 0 {
		t.Errorf("a dry run stored %d stories", len(as))
	}
}

func TestImportAndExportFailuresAreOneLineErrors(t *testing.T) {
	ctx := context.Background()
	env := cliEnv(t)
	dir := t.TempDir()
	hostile := filepath.Join(dir, "lol.xml")
	if err := writeFile(hostile, []byte(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel>&a;</channel></rss>`)); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(dir, "exists.ndjson")
	if err := writeFile(existing, []byte("x")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"an unknown format", []string{"import", "csv", wxrFixture}, exitUsage, `unknown format "csv"`},
		{"no file", []string{"import", "wxr"}, exitUsage, "name a format and a file"},
		{"a missing file", []string{"import", "wxr", filepath.Join(dir, "missing.xml")}, exitFailure, "no such file"},
		{"a file with entity declarations", []string{"import", "wxr", hostile}, exitFailure, "DOCTYPE"},
		{"an NDJSON file that is WXR", []string{"import", "ndjson", wxrFixture}, exitFailure, "were not imported"},
		{"an export over an existing file", []string{"export", existing}, exitFailure, "already exists"},
	}
	for _, tc := range tests {
		t.Run(tc.name+" fails with one line", func(t *testing.T) {
			args := append([]string{tc.args[0], "--data", filepath.Join(dir, "data")}, tc.args[1:]...)
			if tc.args[0] == "export" {
				if err := run(ctx, []string{"migrate", "--data", filepath.Join(dir, "data")}, env, io.Discard, io.Discard); err != nil {
					t.Fatal(err)
				}
			}
			err := run(ctx, args, env, io.Discard, io.Discard)
			if exitCode(err) != tc.code || err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("exit %d, error %v; want exit %d and one line saying %q", exitCode(err), err, tc.code, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "dateline.db")); err != nil {
		t.Log("no database was made:", err)
	}
}

func TestImportGhostFromTheCommandLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(ctx, []string{"import", "--data", dir, "--site", "https://post.example.org", "ghost", "../../content/transfer/testdata/ghost.json"}, cliEnv(t), &out, io.Discard)
	if exitCode(err) != exitFailure || !strings.Contains(out.String(), "imported ghost: 5 created") || !strings.Contains(out.String(), "created_at") {
		t.Fatalf("exit %d (%v):\n%s", exitCode(err), err, out.String())
	}
	a, _ := appAt(t, dir)
	as, err := a.db.Articles(ctx, content.ArticleFilter{Full: true, Limit: 100})
	if err != nil || len(as) != 5 {
		t.Fatalf("%d stories (%v)", len(as), err)
	}
	for _, s := range as {
		if len(s.Photos) > 0 && !strings.HasPrefix(s.Photos[0].URL, "https://") {
			t.Errorf("photo %q of %q is not an https address", s.Photos[0].URL, s.Headline)
		}
	}
}

func TestTheImportEndpointIsForSignedInAdmins(t *testing.T) {
	a, h := newTestApp(t)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/api/admin/v1/imports?format=wxr", strings.NewReader("<rss/>")))
	if w.Code != http.StatusUnauthorized {
		t.Errorf("without a user: %d, want 401", w.Code)
	}
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	tok := login(t, h, "edda@example.org", testPassword).AccessToken
	req := httptest.NewRequest(http.MethodPost, "/api/admin/v1/imports?format=wxr", strings.NewReader("<rss/>"))
	req.Header.Set("Authorization", "Bearer "+tok)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden {
		t.Errorf("as an editor: %d, want 403", w.Code)
	}
}

func TestTheImportEndpointTakesFilesLargerThanOtherRequests(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "adam@example.org", auth.RoleAdmin)
	tok := login(t, h, "adam@example.org", testPassword).AccessToken
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:base_site_url>https://big.example.org</wp:base_site_url>`)
	para := "<p>" + strings.Repeat("word ", 12_000) + "</p>"
	for i := 1; b.Len() <= maxBodyBytes+(1<<20); i++ {
		fmt.Fprintf(&b, `<item><title>Post %d</title><content:encoded><![CDATA[%s]]></content:encoded><wp:post_id>%d</wp:post_id><wp:post_date_gmt>2016-01-01 00:00:00</wp:post_date_gmt><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>`, i, para, i)
	}
	b.WriteString("</channel></rss>")
	req := httptest.NewRequest(http.MethodPost, "/api/admin/v1/imports?format=wxr&dry_run=true", strings.NewReader(b.String()))
	req.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"type":"report"`) || !strings.Contains(w.Body.String(), `"failed":0`) {
		t.Errorf("a %d MiB export: %d %.300s", b.Len()>>20, w.Code, w.Body.String())
	}
	// Other requests keep the general limit.
	req = httptest.NewRequest(http.MethodPost, "/api/admin/v1/articles", strings.NewReader(b.String()))
	req.Header.Set("Authorization", "Bearer "+tok)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a story of %d MiB: %d, want 413", b.Len()>>20, w.Code)
	}
}
