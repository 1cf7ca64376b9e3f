package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"dateline/auth"
)

func TestBrowserAutosavesShareARevisionAndCtrlSKeepsOne(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	edda := addUser(t, a, "edda@example.org", auth.RoleEditor)
	art := draftBy(t, a, edda, "Council votes on the harbour wall", "The vote is on Tuesday.")
	b := newBrowser(t, base)
	b.login("edda@example.org")
	b.open("/admin/articles/"+art.ID, "#body")
	b.wait("the editor's lock", `window.dateline && window.dateline.editor.locked`)

	revisions := func() []string {
		t.Helper()
		revs, err := a.db.Revisions(context.Background(), art.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range revs {
			s := fmt.Sprintf("v%d", r.Version)
			if r.Autosave {
				s += " auto"
			}
			out = append(out, s)
		}
		return out
	}
	for v, text := range []string{"First addition.", "Second addition."} {
		b.setField("#body", "The vote is on Tuesday.\n\n"+text)
		b.wait("the autosave", fmt.Sprintf(`window.dateline.editor.state.version === %d`, v+2))
	}
	if got, want := revisions(), []string{"v3 auto", "v1"}; !slices.Equal(got, want) {
		t.Errorf("after two autosaves: revisions %v, want %v", got, want)
	}
	b.setField("#body", "The vote is on Tuesday.\n\nSaved by hand.")
	b.saveKeys()
	b.wait("the save", `window.dateline.editor.state.version === 4`)
	if got, want := revisions(), []string{"v4", "v3 auto", "v1"}; !slices.Equal(got, want) {
		t.Errorf("after Ctrl+S: revisions %v, want %v", got, want)
	}
	b.open("/admin/articles/"+art.ID+"/revisions", ".diff")
	if rows := b.text("table.list tbody"); !strings.Contains(rows, "v3 · autosave") {
		t.Errorf("the revisions page does not mark the autosave: %q", rows)
	}
}
