package transfer_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
	"dateline/content/transfer"
)

func openDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return openDBWith(tb, nil)
}

// openDBWith is openDB rendering public JSON with render (nil: none).
func openDBWith(tb testing.TB, render sqlite.Renderer) *sqlite.DB {
	tb.Helper()
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "dateline.db"), sqlite.Options{Zone: "Europe/London",
		Render: render, Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func fileOpener(path string) transfer.Opener {
	return func() (io.ReadCloser, error) { return os.Open(path) }
}

func bytesOpener(b []byte) transfer.Opener {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

func importWXR(t *testing.T, db *sqlite.DB, opt transfer.RunOptions) *transfer.Report {
	t.Helper()
	rep, err := transfer.Run(context.Background(), db, transfer.ReadWXR(fileOpener("testdata/wordpress.xml"), transfer.Options{Zone: "Europe/London"}), opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestImportWXRIntoANewsroom(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	dry := importWXR(t, db, transfer.RunOptions{ImportOptions: content.ImportOptions{DryRun: true}})
	t.Run("a dry run reports every story and problem and writes nothing", func(t *testing.T) {
		if dry.Created != 6 || dry.Failed != 1 || len(dry.Problems) != 1 || !strings.Contains(dry.Problems[0].Where, "post 108") {
			t.Errorf("dry run: %s, problems %v", dry.Summary(), dry.Problems)
		}
		as, _ := db.Articles(ctx, content.ArticleFilter{})
		n, _ := db.CountUsers(ctx)
		if len(as) != 0 || n != 0 {
			t.Errorf("dry run left %d stories and %d users", len(as), n)
		}
	})
	rep := importWXR(t, db, transfer.RunOptions{BatchSize: 2})
	t.Run("the import creates what the dry run said", func(t *testing.T) {
		if rep.Created != dry.Created || rep.Failed != dry.Failed || len(rep.NeedsCredit) != 1 {
			t.Errorf("import: %s", rep.Summary())
		}
		if rep.Skipped["an item of type attachment"] != 2 || rep.Notes["comments are not imported"] != 1 {
			t.Errorf("skipped %v notes %v", rep.Skipped, rep.Notes)
		}
		pub, err := db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Full: true})
		if err != nil || len(pub) != 1 || pub[0].Slug != "harbour-reopens" {
			t.Fatalf("published stories = %d (%v), want the one with a credited photo", len(pub), err)
		}
		if !pub[0].UpdatedAt.Equal(time.Date(2016, 9, 9, 9, 0, 0, 0, time.UTC)) || !pub[0].Featured {
			t.Errorf("updated_at %v featured %v", pub[0].UpdatedAt, pub[0].Featured)
		}
		if slug, err := db.RedirectSlug(ctx, "harbour-closed"); err != nil || slug != "harbour-reopens" {
			t.Errorf("old slug redirects to %q (%v)", slug, err)
		}
	})
	t.Run("running it again changes nothing and duplicates nothing", func(t *testing.T) {
		again := importWXR(t, db, transfer.RunOptions{})
		if again.Unchanged != rep.Created || again.Created != 0 || again.Updated != 0 {
			t.Errorf("second run: %s", again.Summary())
		}
		as, _ := db.Articles(ctx, content.ArticleFilter{Limit: 100})
		n, _ := db.CountUsers(ctx)
		if len(as) != rep.Created || n != 2 {
			t.Errorf("%d stories and %d users after two runs, want %d and 2", len(as), n, rep.Created)
		}
	})
}

func TestExportThenImportKeepsEveryStory(t *testing.T) {
	ctx := context.Background()
	src := openDB(t)
	importWXR(t, src, transfer.RunOptions{})
	// A draft with three revisions.
	drafts, err := src.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusInReview}})
	if err != nil || len(drafts) != 1 {
		t.Fatalf("%d stories in review (%v)", len(drafts), err)
	}
	for i, body := range []string{"Second version.", "Third version."} {
		d := drafts[0]
		e := d.Edit
		e.Body = body
		if _, err := src.UpdateArticle(ctx, d.ID, content.Save{Update: true, Version: d.Version + i, Edit: e}); err != nil {
			t.Fatal(err)
		}
	}
	var first bytes.Buffer
	n, err := transfer.Export(ctx, src, &first, transfer.ExportOptions{Revisions: true, Now: time.Unix(0, 0)})
	if err != nil || n.Stories != 6 || n.Authors != 2 || n.Tags != 2 || n.Revisions != 8 {
		t.Fatalf("export: %+v, %v", n, err)
	}
	dst := openDB(t)
	rep, err := transfer.Run(ctx, dst, transfer.ReadNDJSON(bytesOpener(first.Bytes()), transfer.Options{}), transfer.RunOptions{})
	if err != nil || rep.Created != 6 || rep.Failed != 0 || rep.Tags["created"] != 2 {
		t.Fatalf("import of the export: %s %v (%v)", rep.Summary(), rep.Problems, err)
	}
	var second bytes.Buffer
	if _, err := transfer.Export(ctx, dst, &second, transfer.ExportOptions{Revisions: true, Now: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	a, b := strings.Split(first.String(), "\n"), strings.Split(second.String(), "\n")
	if len(a) != len(b) {
		t.Fatalf("%d lines exported, %d after the round trip", len(a), len(b))
	}
	for i := range a {
		if strings.Contains(a[i], `"type":"story"`) {
			// The revisions' times are when they were saved, which an
			// import keeps; their authors are the importer.
			if a[i] != b[i] {
				t.Errorf("line %d differs after the round trip:\n%s\n%s", i+1, a[i], b[i])
			}
			continue
		}
		if a[i] != b[i] {
			t.Errorf("line %d differs:\n%s\n%s", i+1, a[i], b[i])
		}
	}
}

func TestImportNDJSONReportsBadLinesAndGoesOn(t *testing.T) {
	file := strings.Join([]string{
		`{"type":"dateline","version":1,"exported_at":"2026-11-02T12:00:00Z"}`,
		`{"type":"story","id":"0190f3a2-7b1c-7def-8a00-000000000001","headline":"Kept","status":"draft","updated_at":"2026-11-01T00:00:00Z","created_at":"2026-11-01T00:00:00Z"}`,
		`{"type":"story","id":"0190f3a2-7b1c-7def-8a00-000000000002","headline":"Bad","colour":"red"}`,
		`not json`,
		`{"type":"story","id":"0190f3a2-7b1c-7def-8a00-000000000003","headline":"Published without a date","status":"published"}`,
		`{"type":"poem"}`,
		`{"type":"story","id":"0190f3a2-7b1c-7def-8a00-000000000004","headline":"Also kept","status":"draft"}`,
	}, "\n")
	db := openDB(t)
	rep, err := transfer.Run(context.Background(), db, transfer.ReadNDJSON(bytesOpener([]byte(file)), transfer.Options{}), transfer.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.String())
	}
	want := []string{
		`line 3: json: "colour" is not a field of this line`,
		"line 4: json: invalid character 'o' in literal null (expecting 'u')",
		"line 5 (story 0190f3a2-7b1c-7def-8a00-000000000003): published_at: a published story needs published_at",
		`line 6: type: "poem" is not a line of a Dateline export`,
		"line 8: end: the export ends without its end line: it was cut short, and what it held after the last line read is missing",
	}
	if rep.Created != 2 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s\nproblems:\n%s\nwant:\n%s", rep.Summary(), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// failingStore fails every batch after the first ok ones, as a full disk
// or a killed process would.
type failingStore struct {
	transfer.Store
	ok int
}

func (f *failingStore) ImportStories(ctx context.Context, s []*content.ImportedStory, opt content.ImportOptions) ([]content.ImportResult, error) {
	if f.ok == 0 {
		return nil, content.Errorf(content.EUNAVAILABLE, "the disk is full; nothing was saved")
	}
	f.ok--
	return f.Store.ImportStories(ctx, s, opt)
}

func TestAnImportThatBrokeOffResumes(t *testing.T) {
	db := openDB(t)
	read := transfer.ReadWXR(fileOpener("testdata/wordpress.xml"), transfer.Options{})
	rep, err := transfer.Run(context.Background(), &failingStore{Store: db, ok: 1}, read, transfer.RunOptions{BatchSize: 2})
	if err == nil || rep.Created != 2 {
		t.Fatalf("broken run: %s (%v), want 2 created and an error", rep.Summary(), err)
	}
	again, err := transfer.Run(context.Background(), db, read, transfer.RunOptions{BatchSize: 2})
	if err != nil || again.Unchanged != 2 || again.Created != 4 {
		t.Errorf("second run: %s (%v), want the first 2 unchanged and the other 4 created", again.Summary(), err)
	}
}

func TestAStoryTwiceInOneFileIsAProblem(t *testing.T) {
	line := `{"type":"story","id":"0190f3a2-7b1c-7def-8a00-000000000001","headline":"Once","status":"draft"}`
	rep, err := transfer.Run(context.Background(), openDB(t), transfer.ReadNDJSON(bytesOpener([]byte(line+"\n"+line+"\n")), transfer.Options{}), transfer.RunOptions{})
	if err != nil || rep.Created != 1 || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Why, "twice; the first is at line 1") {
		t.Errorf("%s %v (%v)", rep.Summary(), rep.Problems, err)
	}
}

func TestExportLeavesOutLinksToDeletedStories(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	gone, err := db.CreateArticle(ctx, content.Edit{Headline: "Gone"}, "")
	if err != nil {
		t.Fatal(err)
	}
	kept, err := db.CreateArticle(ctx, content.Edit{Headline: "Kept"}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.CreateArticle(ctx, content.Edit{Headline: "Linker", Links: []content.RelatedLink{
		{Kind: content.LinkRelated, Title: "Gone", ArticleID: gone.ID}, {Kind: content.LinkRelated, Title: "Kept", ArticleID: kept.ID}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteArticle(ctx, gone.ID, ""); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := transfer.Export(ctx, db, &out, transfer.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), gone.ID) || !strings.Contains(out.String(), `"article_id":"`+kept.ID+`"`) {
		t.Errorf("export:\n%s\nwant the link to %s and none to the deleted %s", out.String(), kept.ID, gone.ID)
	}
}

func TestAnExportCutShortIsAProblem(t *testing.T) {
	ctx := context.Background()
	src := openDB(t)
	importWXR(t, src, transfer.RunOptions{})
	var out bytes.Buffer
	if _, err := transfer.Export(ctx, src, &out, transfer.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(out.String(), "\n"), "\n")
	cases := []struct {
		name, file, want string
	}{
		{"a whole export has no problem", out.String(), ""},
		{"an export without its last story and end line says it was cut short", strings.Join(lines[:len(lines)-2], ""), "cut short"},
		{"an export that lost a story before its end line says so", strings.Join(lines[:len(lines)-2], "") + lines[len(lines)-1], "holds 6 stories, the file has 5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := transfer.Run(ctx, openDB(t), transfer.ReadNDJSON(bytesOpener([]byte(tc.file)), transfer.Options{}), transfer.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rep.Problems {
				got = append(got, p.String())
			}
			if all := strings.Join(got, "; "); (tc.want == "") != (all == "") || !strings.Contains(all, tc.want) {
				t.Errorf("problems %q, want one saying %q", all, tc.want)
			}
		})
	}
}
