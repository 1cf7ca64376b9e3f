package admin_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	adminpkg "dateline/admin"
	"dateline/auth"
	"dateline/content"
	"dateline/content/webhook"
)

type importLine struct {
	Type   string `json:"type"`
	Report struct {
		Created, Failed, Read int
		Problems              []struct{ Where, What, Why string }
		NeedsCredit           []string `json:"needs_credit"`
		DryRun                bool     `json:"dry_run"`
	} `json:"report"`
	Error *struct {
		Status int
		Code   string
		Detail string
	} `json:"error"`
}

func importLines(t *testing.T, body string) []importLine {
	t.Helper()
	var out []importLine
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l importLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

func TestImportEndpoint(t *testing.T) {
	wxr, err := os.ReadFile("../content/transfer/testdata/wordpress.xml")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	admin := e.role[auth.RoleAdmin]
	t.Run("only admins import", func(t *testing.T) {
		for _, role := range []auth.Role{auth.RoleContributor, auth.RoleAuthor, auth.RoleEditor} {
			if w := e.do(t, e.role[role], http.MethodPost, "/imports?format=wxr", wxr); w.Code != http.StatusForbidden {
				t.Errorf("%s: status %d, want 403", role, w.Code)
			}
		}
	})
	t.Run("bad parameters are a problem naming them", func(t *testing.T) {
		w := e.do(t, admin, http.MethodPost, "/imports?format=csv&dry_run=maybe&colour=red", wxr)
		if w.Code != http.StatusBadRequest || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("status %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		for _, f := range []string{`"field":"format"`, `"field":"dry_run"`, `"field":"colour"`} {
			if !strings.Contains(w.Body.String(), f) {
				t.Errorf("problem lacks %s: %s", f, w.Body.String())
			}
		}
	})
	t.Run("an empty body is a problem", func(t *testing.T) {
		if w := e.do(t, admin, http.MethodPost, "/imports?format=wxr", ""); w.Code != http.StatusBadRequest {
			t.Errorf("status %d, want 400", w.Code)
		}
	})
	t.Run("a dry run streams the report and writes nothing", func(t *testing.T) {
		w := e.do(t, admin, http.MethodPost, "/imports?format=wxr&dry_run=true", wxr)
		lines := importLines(t, w.Body.String())
		last := lines[len(lines)-1]
		if w.Code != http.StatusOK || last.Type != "report" || !last.Report.DryRun || last.Report.Created != 6 || last.Report.Failed != 1 {
			t.Fatalf("status %d, last line %+v", w.Code, last)
		}
		if as, _ := e.db.Articles(t.Context(), content.ArticleFilter{}); len(as) != 0 {
			t.Errorf("a dry run stored %d stories", len(as))
		}
	})
	t.Run("an import streams progress, then the report", func(t *testing.T) {
		w := e.do(t, admin, http.MethodPost, "/imports?format=wxr", wxr)
		lines := importLines(t, w.Body.String())
		if len(lines) < 2 || lines[0].Type != "progress" || lines[0].Report.Read == 0 || len(lines[0].Report.Problems) != 0 {
			t.Fatalf("lines %+v, want progress with counts only first", lines)
		}
		last := lines[len(lines)-1]
		if last.Type != "report" || last.Report.Created != 6 || len(last.Report.NeedsCredit) != 1 ||
			len(last.Report.Problems) != 1 || last.Report.Problems[0].What != "wp:post_date_gmt" {
			t.Errorf("report %+v", last.Report)
		}
		as, _ := e.db.Articles(t.Context(), content.ArticleFilter{Limit: 100})
		if len(as) != 6 || as[0].CreatedBy != admin.ID {
			t.Errorf("%d stories, created by %q; want 6 by the admin", len(as), as[0].CreatedBy)
		}
	})
	t.Run("a file that cannot be read ends in an error line", func(t *testing.T) {
		w := e.do(t, admin, http.MethodPost, "/imports?format=wxr", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><rss/>`)
		lines := importLines(t, w.Body.String())
		last := lines[len(lines)-1]
		if last.Type != "error" || last.Error == nil || last.Error.Status != http.StatusBadRequest || !strings.Contains(last.Error.Detail, "DOCTYPE") {
			t.Errorf("last line %+v", last)
		}
	})
}

func TestImportEndpointFetchesPhotosOnlyThroughItsClient(t *testing.T) {
	e := newEnv(t)
	admin := e.role[auth.RoleAdmin]
	wxr := `<?xml version="1.0"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:base_site_url>https://old.example.org</wp:base_site_url>
<item><wp:post_id>1</wp:post_id><title>Quay</title><content:encoded>x</content:encoded><wp:post_date_gmt>2016-01-01 00:00:00</wp:post_date_gmt><wp:status>draft</wp:status><wp:post_type>post</wp:post_type>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>2</wp:meta_value></wp:postmeta></item>
<item><wp:post_id>2</wp:post_id><wp:post_type>attachment</wp:post_type><wp:attachment_url>https://127.0.0.1:1/quay.jpg</wp:attachment_url></item>
</channel></rss>`
	t.Run("without a photo client the parameter is refused", func(t *testing.T) {
		wantProblem(t, e.do(t, admin, http.MethodPost, "/imports?format=wxr&fetch_photos=true", wxr), http.StatusBadRequest, "fetch_photos")
	})
	t.Run("a photo on a loopback address is refused by the SSRF-safe client and stays an address", func(t *testing.T) {
		e := newEnvFor(t, func(o *adminpkg.HandlerOptions) {
			o.Imports = adminpkg.ImportOptions{PhotoClient: webhook.NewClient(false, 2*time.Second), SpoolDir: t.TempDir()}
		})
		w := e.do(t, e.role[auth.RoleAdmin], http.MethodPost, "/imports?format=wxr&fetch_photos=true", wxr)
		if !strings.Contains(w.Body.String(), `"a photo that could not be fetched stays an external address":1`) {
			t.Errorf("report: %s", w.Body.String())
		}
		as, _ := e.db.Articles(t.Context(), content.ArticleFilter{})
		if len(as) != 1 || as[0].Photos[0].URL != "https://127.0.0.1:1/quay.jpg" {
			t.Errorf("stories %+v", as)
		}
	})
}

func TestExportEndpoint(t *testing.T) {
	wxr, err := os.ReadFile("../content/transfer/testdata/wordpress.xml")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	admin := e.role[auth.RoleAdmin]
	if w := e.do(t, admin, http.MethodPost, "/imports?format=wxr", wxr); w.Code != http.StatusOK {
		t.Fatal(w.Body.String())
	}
	t.Run("only admins export", func(t *testing.T) {
		wantProblem(t, e.do(t, e.role[auth.RoleEditor], http.MethodGet, "/export", nil), http.StatusForbidden, "")
	})
	t.Run("a bad parameter is a problem naming it", func(t *testing.T) {
		wantProblem(t, e.do(t, admin, http.MethodGet, "/export?revisions=some", nil), http.StatusBadRequest, "revisions")
	})
	t.Run("an admin downloads the newsroom as NDJSON that imports elsewhere", func(t *testing.T) {
		w := e.do(t, admin, http.MethodGet, "/export?revisions=true", nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/x-ndjson" ||
			!strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") {
			t.Fatalf("status %d headers %v", w.Code, w.Header())
		}
		other := newEnv(t)
		w2 := other.do(t, other.role[auth.RoleAdmin], http.MethodPost, "/imports?format=ndjson", w.Body.Bytes())
		lines := importLines(t, w2.Body.String())
		last := lines[len(lines)-1]
		if last.Type != "report" || last.Report.Created != 6 || last.Report.Failed != 0 {
			t.Errorf("import of the export: %+v", last)
		}
	})
}

// TestImportEndpointReadsLocalOnlyDatesInTheNewsroomZone imports a
// WordPress draft, whose export gives only a local date, through an
// endpoint configured with the newsroom's zone.
func TestImportEndpointReadsLocalOnlyDatesInTheNewsroomZone(t *testing.T) {
	e := newEnvFor(t, func(o *adminpkg.HandlerOptions) { o.Imports.Zone = "Europe/Moscow" })
	admin := e.role[auth.RoleAdmin]
	wxr := `<?xml version="1.0"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:base_site_url>https://old.example.org</wp:base_site_url>
<item><wp:post_id>7</wp:post_id><title>Draft with a local date</title><content:encoded>x</content:encoded>
<wp:post_date>2016-09-08 08:43:00</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>`
	w := e.do(t, admin, http.MethodPost, "/imports?format=wxr", wxr)
	if w.Code != http.StatusOK {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	as, err := e.db.Articles(t.Context(), content.ArticleFilter{})
	if err != nil || len(as) != 1 {
		t.Fatalf("stories %v, %v; answer %s", as, err, w.Body)
	}
	if want := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC); !as[0].CreatedAt.Equal(want) {
		t.Errorf("created at %v, want %v (08:43 in Moscow)", as[0].CreatedAt, want)
	}
}
