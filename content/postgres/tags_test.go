package postgres_test

import (
	"context"
	"testing"

	"dateline/content"
	"dateline/content/postgres"
)

// eventTypes returns the types of the events after id after.
func eventTypes(t *testing.T, db *postgres.DB, after int64) []string {
	t.Helper()
	evs, err := db.Events(context.Background(), content.EventFilter{AfterID: after, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Type)
	}
	return out
}

func TestTagChangesWriteTheirEventsAndLeaveRedirects(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, migrated(t), fixed(start))
	publish(t, db, start, "Harbour story one", "Lead", "Text.")
	publish(t, db, start, "Harbour story two", "Lead", "Text.")
	if _, err := db.CreateTag(ctx, content.TagEdit{Name: ptr("Harbour")}); content.ErrorCode(err) != content.ECONFLICT {
		t.Fatalf("a tag with a taken slug: %v, want %s", err, content.ECONFLICT)
	}
	port, err := db.CreateTag(ctx, content.TagEdit{Name: ptr("Port"), Description: ptr("The port.")})
	if err != nil || port.Slug != "port" || port.Count != 0 {
		t.Fatalf("create: %+v, %v", port, err)
	}

	head, _ := db.LastEventID(ctx)
	renamed, err := db.UpdateTag(ctx, "harbour", content.TagEdit{Name: ptr("Harbour front")})
	if err != nil || renamed.Slug != "harbour-front" || renamed.Count != 2 {
		t.Fatalf("rename: %+v, %v", renamed, err)
	}
	if got := eventTypes(t, db, head); len(got) != 3 || got[0] != content.EventTagUpdated || got[1] != content.EventUpdated || got[2] != content.EventUpdated {
		t.Errorf("events of a rename: %v, want tag.updated and one article.updated per published story", got)
	}
	if m, err := db.TagRedirects(ctx, []string{"harbour", "port"}); err != nil || m["harbour"] != "harbour-front" || len(m) != 1 {
		t.Errorf("redirects %v, %v", m, err)
	}
	if _, err := db.UpdateTag(ctx, "port", content.TagEdit{Slug: ptr("harbour-front")}); content.ErrorCode(err) != content.ECONFLICT {
		t.Errorf("a rename onto a taken slug: %v, want %s", err, content.ECONFLICT)
	}

	merged, err := db.MergeTags(ctx, "harbour-front", "port")
	if err != nil || merged.Count != 2 {
		t.Fatalf("merge: %+v, %v", merged, err)
	}
	if m, _ := db.TagRedirects(ctx, nil); m["harbour"] != "port" || m["harbour-front"] != "port" {
		t.Errorf("redirects after the merge: %v", m)
	}
	tags, err := db.Tags(ctx, content.TagFilter{Published: true})
	if err != nil || len(tags) != 1 || tags[0].Slug != "port" || tags[0].Count != 2 {
		t.Errorf("published tags after the merge: %+v, %v", tags, err)
	}
	list, err := db.Articles(ctx, content.ArticleFilter{Statuses: published, Tags: []string{"port"}})
	if err != nil || len(list) != 2 {
		t.Errorf("stories by the merged tag: %d, %v", len(list), err)
	}

	head, _ = db.LastEventID(ctx)
	if err := db.DeleteTag(ctx, "port"); err != nil {
		t.Fatal(err)
	}
	if got := eventTypes(t, db, head); len(got) != 3 || got[2] != content.EventTagDeleted {
		t.Errorf("events of a deletion: %v", got)
	}
	if tags, _ := db.Tags(ctx, content.TagFilter{}); len(tags) != 0 {
		t.Errorf("tags after the deletion: %+v", tags)
	}
	if m, _ := db.TagRedirects(ctx, nil); len(m) != 0 {
		t.Errorf("a deleted tag's old slugs still redirect: %v", m)
	}
	if err := db.DeleteTag(ctx, "port"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Errorf("deleting it again: %v, want %s", err, content.ENOTFOUND)
	}
}

func ptr[T any](v T) *T { return &v }
