package webhook_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"

	"dateline/auth"
	"dateline/content"
	"dateline/content/webhook"
)

// TestTagAndAuthorEventsReachTheHooksThatSubscribeToThem subscribes one
// hook to tag and author events and another to story publications, then
// renames a public tag and an author of a published story: the first hook
// gets signed tag.updated and author.updated deliveries whose data names
// the slug, the id and the keys to purge, the second gets neither.
func TestTagAndAuthorEventsReachTheHooksThatSubscribeToThem(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	db := open(t, filepath.Join(t.TempDir(), "d.db"), c)
	purger, builder := &receiver{}, &receiver{}
	ps, bs := httptest.NewServer(purger), httptest.NewServer(builder)
	defer ps.Close()
	defer bs.Close()
	ph := hook(t, db, ps.URL+"/purge", content.EventTagUpdated, content.EventTagDeleted, content.EventAuthorUpdated)
	hook(t, db, bs.URL+"/build", content.EventPublished)

	vera, err := db.CreateUser(ctx, auth.User{Email: "vera@example.org", Name: "Vera Quill", Role: auth.RoleAuthor})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateArticle(ctx, content.Edit{Headline: "Ferries run late", Body: "Text.", Tags: []string{"Harbour"}, AuthorIDs: []string{vera.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	d := newDispatcher(db, c, true)
	if err := d.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if purger.count() != 0 || builder.count() != 1 {
		t.Fatalf("after the publication: %d purges, %d builds, want 0 and 1", purger.count(), builder.count())
	}

	port := "Port"
	if _, err := db.UpdateTag(ctx, "harbour", content.TagEdit{Name: &port}); err != nil {
		t.Fatal(err)
	}
	name := "Vera Quill-Marsh"
	if _, err := db.UpdateUser(ctx, vera.ID, auth.UserUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if err := d.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if builder.count() != 1 {
		t.Errorf("the hook for publications got %d deliveries, want its one", builder.count())
	}
	if purger.count() != 2 {
		t.Fatalf("the purging hook got %d deliveries, want 2", purger.count())
	}
	type body struct {
		Type string
		Data struct {
			ID            any      `json:"id"`
			Slug          string   `json:"slug"`
			PreviousSlug  string   `json:"previous_slug"`
			SurrogateKeys []string `json:"surrogate_keys"`
		}
	}
	want := []struct {
		typ, slug, previous string
		keys                []string
	}{
		{content.EventTagUpdated, "port", "harbour", []string{"tags", "tag:port", "tag:harbour"}},
		{content.EventAuthorUpdated, vera.Slug, "", []string{"authors", "author:" + vera.Slug}},
	}
	// Deliveries are sent concurrently: match them by type.
	got := map[string]body{}
	for i := range purger.bodies {
		if err := webhook.Verify(ph.Secret, purger.got[i].Header, purger.bodies[i], c.Now(), 0); err != nil {
			t.Errorf("delivery %d: signature: %v", i, err)
		}
		var b body
		if err := json.Unmarshal(purger.bodies[i], &b); err != nil {
			t.Fatal(err)
		}
		got[b.Type] = b
	}
	for _, w := range want {
		b, ok := got[w.typ]
		if !ok || b.Data.Slug != w.slug || b.Data.PreviousSlug != w.previous || !slices.Equal(b.Data.SurrogateKeys, w.keys) || b.Data.ID == nil {
			t.Errorf("%s delivery: %+v (sent: %v), want %q (previous %q) with keys %v and an id", w.typ, b, ok, w.slug, w.previous, w.keys)
		}
	}
}

// TestWebhooksRefuseEventTypesThatDoNotExist checks that the new types
// are valid subscriptions and an unknown one is refused by name.
func TestWebhooksRefuseEventTypesThatDoNotExist(t *testing.T) {
	for _, tt := range []struct {
		name   string
		events []string
		ok     bool
	}{
		{"tag and author events", []string{content.EventTagUpdated, content.EventTagDeleted, content.EventAuthorUpdated}, true},
		{"a made-up tag event", []string{"tag.renamed"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url := "https://hooks.example.org/in"
			e := content.WebhookEdit{URL: &url, Events: &tt.events}
			if err := e.Validate(true); (err == nil) != tt.ok {
				t.Errorf("Validate(%v) = %v, want ok %v", tt.events, err, tt.ok)
			}
		})
	}
}
