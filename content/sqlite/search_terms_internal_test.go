package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"dateline/content"
)

// TestTheSearchIndexAgreesWithTheStoriesThroughEveryKindOfWrite walks one
// story through the writes that change what search holds of it (publish,
// an Update of its text, a withdrawal, a republish, a deletion) with a second story beside it, and after each checks what a
// search finds and FTS4's own integrity check. The index keeps no copy of
// its terms (migration 0025): the check reads them back through the view,
// so a write that changed a story's text before its old terms were taken
// out of the index fails it.
func TestTheSearchIndexAgreesWithTheStoriesThroughEveryKindOfWrite(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "terms.db"), Options{Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	published := []content.Status{content.StatusPublished}
	find := func(q string) []string {
		t.Helper()
		as, err := db.Articles(ctx, content.ArticleFilter{Query: q, Statuses: published})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var hs []string
		for _, a := range as {
			hs = append(hs, a.Headline)
		}
		slices.Sort(hs)
		return hs
	}
	check := func(step string, want map[string][]string) {
		t.Helper()
		if _, err := db.w.ExecContext(ctx, `INSERT INTO article_search (article_search) VALUES ('integrity-check')`); err != nil {
			t.Fatalf("after %s: index integrity: %v", step, err)
		}
		for q, w := range want {
			if got := find(q); !slices.Equal(got, w) {
				t.Errorf("after %s: search %q finds %q, want %q", step, q, got, w)
			}
		}
	}
	publish := func(a *content.Article) *content.Article {
		t.Helper()
		out, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{a.Status}, To: content.StatusPublished})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	other, err := db.CreateArticle(ctx, content.Edit{Headline: "Ferry timetable", Body: "The harbour ferries run hourly."}, "")
	if err != nil {
		t.Fatal(err)
	}
	publish(other)
	a, err := db.CreateArticle(ctx, content.Edit{Headline: "Diplomats arrive", Body: "The harbour talks begin."}, "")
	if err != nil {
		t.Fatal(err)
	}
	check("a draft", map[string][]string{"diplomat": nil, "harbour": {"Ferry timetable"}})
	a = publish(a)
	check("publishing", map[string][]string{"diplomat": {"Diplomats arrive"}, "harbour": {"Diplomats arrive", "Ferry timetable"}})

	a, err = db.UpdateArticle(ctx, a.ID, content.Save{Version: a.Version, Update: true,
		Edit: content.Edit{Headline: "Envoys leave", Body: "The quay talks end."}})
	if err != nil {
		t.Fatal(err)
	}
	check("an update of its text", map[string][]string{"diplomat": nil, "envoy": {"Envoys leave"}, "harbour": {"Ferry timetable"}, "quay": {"Envoys leave"}})

	a, err = db.ChangeStatus(ctx, a.ID, content.StatusChange{From: published, To: content.StatusUnpublished})
	if err != nil {
		t.Fatal(err)
	}
	check("a withdrawal", map[string][]string{"envoy": nil, "quay": nil})
	a = publish(a)
	check("a republish", map[string][]string{"envoy": {"Envoys leave"}})

	if err := db.DeleteArticle(ctx, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	check("a deletion", map[string][]string{"envoy": nil, "harbour": {"Ferry timetable"}})
}
