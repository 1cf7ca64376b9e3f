package delivery_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/delivery"
)

// The changes feed is in write order and each change's at is the time of
// the change itself: an import of an old story, written after today's
// publications, comes after them with its own (earlier) publication time.
// Paging by cursor sees it; paging by at would not. The OpenAPI document
// says so, since a client must not page by at.
func TestChangesAreInWriteOrderWithEachChangesOwnTime(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	ctx := context.Background()
	if _, err := env.db.Import(ctx, []content.Import{{Edit: story("Published today"), Status: content.StatusPublished, PublishedAt: at(-time.Minute)}}, ""); err != nil {
		t.Fatal(err)
	}
	type page struct {
		Changes []struct {
			Slug string `json:"slug"`
			At   string `json:"at"`
		} `json:"changes"`
		Meta struct {
			NextCursor string `json:"next_cursor"`
		} `json:"meta"`
	}
	var first page
	decodeJSON(t, env.get(t, "/api/v1/changes").Body.Bytes(), &first)
	if len(first.Changes) != 1 {
		t.Fatalf("first page %+v", first)
	}
	lastYear := now.AddDate(-1, 0, 0)
	if _, err := env.db.Import(ctx, []content.Import{{Edit: story("From the archive"), Status: content.StatusPublished, PublishedAt: &lastYear}}, ""); err != nil {
		t.Fatal(err)
	}
	var all, next page
	decodeJSON(t, env.get(t, "/api/v1/changes").Body.Bytes(), &all)
	decodeJSON(t, env.get(t, "/api/v1/changes?cursor="+first.Meta.NextCursor).Body.Bytes(), &next)
	if len(all.Changes) != 2 || all.Changes[0].Slug != "published-today" || all.Changes[1].Slug != "from-the-archive" {
		t.Fatalf("changes %+v, want today's publication, then the import", all.Changes)
	}
	if want := lastYear.Format(time.RFC3339); all.Changes[1].At != want || all.Changes[1].At >= all.Changes[0].At {
		t.Errorf("the import's at is %q, want its own publication time %q (before the earlier change's %q)", all.Changes[1].At, want, all.Changes[0].At)
	}
	if len(next.Changes) != 1 || next.Changes[0].Slug != "from-the-archive" {
		t.Errorf("the cursor of the first page leads to %+v, want the import", next.Changes)
	}

	var doc struct {
		Paths map[string]map[string]struct {
			Description string `json:"description"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Description string `json:"description"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(delivery.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	if d := doc.Paths["/api/v1/changes"]["get"].Description; !strings.Contains(d, "order they were written") {
		t.Errorf("the changes feed's description does not say it is in write order: %q", d)
	}
	if d := doc.Components.Schemas["Change"].Properties["at"].Description; !strings.Contains(d, "write order") || !strings.Contains(d, "imported") {
		t.Errorf("the description of a change's at does not say what it is: %q", d)
	}
}
