package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/schedule"
	"dateline/content/sqlite"
)

// visibleNewsroom is the newsroom of the visibility walk: walkSeed's two
// stories, whose photo is an uploaded image (media), and a draft.
type visibleNewsroom struct {
	a                 *app
	h                 http.Handler // the production router, caches on
	victim, bystander *content.Article
	draft             *content.Article
	media             content.Media
	author            auth.User
}

func newVisibleNewsroom(t *testing.T) *visibleNewsroom {
	t.Helper()
	ctx := context.Background()
	a, h := newTestApp(t)
	m, err := a.db.CreateMedia(ctx, content.Media{ID: "0190f8a2-0000-7000-8000-0000000000aa", FileName: "quokka.png",
		ContentType: "image/png", Width: 1600, Height: 900, Size: 4096})
	if err != nil {
		t.Fatal(err)
	}
	victim, bystander := walkSeed(t, a)
	draft, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Embargoed ferry timetable", Body: "Not yet.", Tags: []string{"Timetables"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.db.UserByEmail(ctx, "vera@example.org")
	if err != nil {
		t.Fatal(err)
	}
	return &visibleNewsroom{a: a, h: h, victim: victim, bystander: bystander, draft: draft, media: m, author: u}
}

// reads returns the body of every public read of the walk through h:
// the 28 reads of TestAStoryOutOfPublicViewLeavesEveryPublicRead and the
// other story's.
func (n *visibleNewsroom) reads(t *testing.T, h http.Handler) map[string]string {
	t.Helper()
	targets := []string{"/api/v1/articles/" + n.bystander.Slug, "/api/v1/tags/harbour", "/api/v1/articles/" + n.draft.Slug}
	for _, p := range publicTargets {
		target, _ := strings.CutSuffix(p.target, "#count")
		targets = append(targets, target)
	}
	out := map[string]string{}
	for _, target := range targets {
		rec := get(t, h, target)
		out[target] = rec.Result().Status + "\n" + rec.Body.String()
	}
	return out
}

// uncached returns the production router of a second process on the same
// data directory, opened now: it has cached nothing, so it serves what
// the database holds.
func (n *visibleNewsroom) uncached(t *testing.T) http.Handler {
	t.Helper()
	db, err := sqlite.Open(context.Background(), n.a.db.Path(), n.a.cfg.storeOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := &app{cfg: n.a.cfg, db: db, log: n.a.log}
	return newRouter(b)
}

// TestEveryWriteReadersCanSeeAppendsItsEvent walks the writes of the
// admin API and the store that change what a public read returns. Each
// must change one of the walk's reads (or it tests nothing), move the
// outbox head, append the events its change is documented to write, and
// be served at once by the same process, caches on, as a process that
// has cached nothing serves it. A write that forgot its event fails the
// last check too: the response cache, keyed by the outbox head, would
// keep answering what it held.
func TestEveryWriteReadersCanSeeAppendsItsEvent(t *testing.T) {
	ctx := context.Background()
	str := func(s string) *string { return &s }
	tests := []struct {
		name   string
		write  func(t *testing.T, n *visibleNewsroom) error
		events []string // the event types it appends, each at least once
	}{
		{"an edit of a published story", func(t *testing.T, n *visibleNewsroom) error {
			e := n.victim.Edit
			e.Standfirst = "Quokka numbers rise again."
			_, err := n.a.db.UpdateArticle(ctx, n.victim.ID, content.Save{Update: true, Version: n.victim.Version, Edit: e})
			return err
		}, []string{content.EventUpdated}},
		{"a correction", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.UpdateArticle(ctx, n.bystander.ID, content.Save{Update: true, Version: n.bystander.Version, Edit: n.bystander.Edit,
				Correction: "The dredging starts in May."})
			return err
		}, []string{content.EventUpdated}},
		{"a new slug", func(t *testing.T, n *visibleNewsroom) error {
			e := n.bystander.Edit
			e.Slug = "harbour-dredging"
			_, err := n.a.db.UpdateArticle(ctx, n.bystander.ID, content.Save{Update: true, Version: n.bystander.Version, Edit: e})
			return err
		}, []string{content.EventUpdated}},
		{"a withdrawal", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.ChangeStatus(ctx, n.victim.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished})
			return err
		}, []string{content.EventUnpublished}},
		{"a deletion", func(t *testing.T, n *visibleNewsroom) error {
			return n.a.db.DeleteArticle(ctx, n.bystander.ID, "")
		}, []string{content.EventUnpublished}},
		{"a scheduled withdrawal falling due", func(t *testing.T, n *visibleNewsroom) error {
			later := func() time.Time { return n.victim.UnpublishAt.Add(time.Second) }
			_, err := schedule.New(n.a.db, schedule.Options{Now: later, Log: n.a.log}).Sweep(ctx)
			return err
		}, []string{content.EventUnpublished}},
		{"a draft published as of yesterday", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.ChangeStatus(ctx, n.draft.ID, content.StatusChange{From: []content.Status{content.StatusDraft},
				To: content.StatusPublished, PublishedAt: new(time.Now().Add(-24 * time.Hour).Truncate(time.Second))})
			return err
		}, []string{content.EventPublished}},
		{"an import of a published story", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.ImportStories(ctx, []*content.ImportedStory{{SourceID: "wp-1", Import: content.Import{
				Edit:   content.Edit{Headline: "Harbour archive: the 1998 flood", Body: "Water everywhere.", Tags: []string{"Harbour"}},
				Status: content.StatusPublished, PublishedAt: new(time.Date(1998, 3, 1, 12, 0, 0, 0, time.UTC))}}},
				content.ImportOptions{Source: "wxr:https://old.example.org"})
			return err
		}, []string{content.EventPublished}},
		{"a tag renamed", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.UpdateTag(ctx, "quokkas", content.TagEdit{Name: str("Marsupials")})
			return err
		}, []string{content.EventTagUpdated, content.EventUpdated}},
		{"a tag's description", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.UpdateTag(ctx, "harbour", content.TagEdit{Description: str("Ships, ferries and the port.")})
			return err
		}, []string{content.EventTagUpdated}},
		{"a tag merged into another", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.MergeTags(ctx, "quokkas", "harbour")
			return err
		}, []string{content.EventTagDeleted, content.EventTagUpdated, content.EventUpdated}},
		{"a tag deleted", func(t *testing.T, n *visibleNewsroom) error {
			return n.a.db.DeleteTag(ctx, "quokkas")
		}, []string{content.EventTagDeleted, content.EventUpdated}},
		{"an author's new name", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.UpdateUser(ctx, n.author.ID, auth.UserUpdate{Name: str("Vera Quill-Marsh")})
			return err
		}, []string{content.EventAuthorUpdated, content.EventUpdated}},
		{"an author's new bio", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.UpdateUser(ctx, n.author.ID, auth.UserUpdate{Bio: str("Counts wildlife on the islands.")})
			return err
		}, []string{content.EventAuthorUpdated, content.EventUpdated}},
		{"a photo's new focal point", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.UpdateMedia(ctx, n.media.ID, content.MediaUpdate{Focus: &content.Focus{X: 0.2, Y: 0.7}})
			return err
		}, []string{content.EventUpdated}},
		{"a photo's renditions made", func(t *testing.T, n *visibleNewsroom) error {
			job, ok, err := n.a.db.ClaimRenditionJob(ctx, time.Minute)
			if err != nil || !ok {
				t.Fatalf("no rendition job to claim: %v %v", ok, err)
			}
			_, _, err = n.a.db.FinishRenditions(ctx, job, "r1", []content.Rendition{
				{FileName: "quokka-640.webp", ContentType: "image/webp", Width: 640, Height: 360, Size: 900}})
			return err
		}, []string{content.EventUpdated}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" appends its events and is served at once", func(t *testing.T) {
			n := newVisibleNewsroom(t)
			before := n.reads(t, n.h)
			gen, last := n.a.db.Generation(), lastEvent(t, n.a.db)
			if err := tt.write(t, n); err != nil {
				t.Fatal(err)
			}
			if n.a.db.Generation() <= gen {
				t.Errorf("the generation stayed at %d", gen)
			}
			evs, err := n.a.db.Events(ctx, content.EventFilter{AfterID: last, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			var types []string
			for _, ev := range evs {
				types = append(types, ev.Type)
			}
			for _, want := range tt.events {
				if !slices.Contains(types, want) {
					t.Errorf("the write appended %q, want a %s among them", types, want)
				}
			}
			after, truth := n.reads(t, n.h), n.reads(t, n.uncached(t))
			changed := false
			for target, body := range after {
				changed = changed || body != before[target]
				if body != truth[target] {
					t.Errorf("%s is served from before the write:\n%s\nwant\n%s", target, body, truth[target])
				}
			}
			if !changed {
				t.Error("the write changed no public read of the walk")
			}
		})
	}
}

// TestWritesReadersCannotSeeAppendNoEvent walks writes that change
// nothing a public read returns: each leaves the outbox head, the
// generation and every read as they were, as a process that has cached
// nothing serves them too.
func TestWritesReadersCannotSeeAppendNoEvent(t *testing.T) {
	ctx := context.Background()
	str := func(s string) *string { return &s }
	tests := []struct {
		name  string
		write func(t *testing.T, n *visibleNewsroom) error
	}{
		{"a draft's save", func(t *testing.T, n *visibleNewsroom) error {
			e := n.draft.Edit
			e.Body = "Still not yet."
			_, err := n.a.db.UpdateArticle(ctx, n.draft.ID, content.Save{Version: n.draft.Version, Edit: e})
			return err
		}},
		{"a save of a published story's working copy", func(t *testing.T, n *visibleNewsroom) error {
			e := n.victim.Edit
			e.Headline = "Quokkas: pending changes"
			_, err := n.a.db.UpdateArticle(ctx, n.victim.ID, content.Save{Version: n.victim.Version, Edit: e})
			return err
		}},
		{"a discard of a published story's working copy", func(t *testing.T, n *visibleNewsroom) error {
			e := n.victim.Edit
			e.Headline = "Quokkas: changes to drop"
			if _, err := n.a.db.UpdateArticle(ctx, n.victim.ID, content.Save{Version: n.victim.Version, Edit: e}); err != nil {
				return err
			}
			wc, err := n.a.db.WorkingCopy(ctx, n.victim.ID)
			if err != nil {
				return err
			}
			_, err = n.a.db.DiscardWorkingCopy(ctx, n.victim.ID, content.Discard{Version: wc.Version})
			return err
		}},
		{"a new draft on a public tag", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.CreateArticle(ctx, content.Edit{Headline: "Harbour draft", Body: "Text.", Tags: []string{"Harbour"}}, "")
			return err
		}},
		{"an edit lock on a published story", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.AcquireLock(ctx, n.victim.ID, n.author.ID, false)
			return err
		}},
		{"a rename of a tag only drafts carry", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.UpdateTag(ctx, "timetables", content.TagEdit{Name: str("Schedules"), Description: str("Sailings.")})
			return err
		}},
		{"a photo's default caption and credit", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.UpdateMedia(ctx, n.media.ID, content.MediaUpdate{Caption: str("A quokka, smiling"), Credit: str("© B. Row")})
			return err
		}},
		{"a photo's focal point set to where it is", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.UpdateMedia(ctx, n.media.ID, content.MediaUpdate{Focus: &content.Centre})
			return err
		}},
		{"a webhook", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.CreateWebhook(ctx, content.WebhookEdit{URL: str("https://hooks.example.org/in")})
			return err
		}},
		{"a new user", func(t *testing.T, n *visibleNewsroom) error {
			_, err := n.a.db.CreateUser(ctx, auth.User{Email: "new@example.org", Name: "New Hire", Role: auth.RoleAuthor})
			return err
		}},
		{"an author's role and sessions", func(t *testing.T, n *visibleNewsroom) error {
			if _, err := n.a.db.UpdateUser(ctx, n.author.ID, auth.UserUpdate{Role: new(auth.RoleEditor)}); err != nil {
				return err
			}
			return n.a.db.LogOutEverywhere(ctx, n.author.ID)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" appends nothing and leaves every read", func(t *testing.T) {
			n := newVisibleNewsroom(t)
			before := n.reads(t, n.h)
			gen, last := n.a.db.Generation(), lastEvent(t, n.a.db)
			if err := tt.write(t, n); err != nil {
				t.Fatal(err)
			}
			if g := n.a.db.Generation(); g != gen {
				t.Errorf("the generation moved from %d to %d", gen, g)
			}
			if l := lastEvent(t, n.a.db); l != last {
				t.Errorf("the write appended events %d to %d", last+1, l)
			}
			truth := n.reads(t, n.uncached(t))
			for target, body := range n.reads(t, n.h) {
				if body != before[target] || truth[target] != before[target] {
					t.Errorf("%s changed:\n%s\nwas\n%s", target, truth[target], before[target])
				}
			}
		})
	}
}

func lastEvent(tb testing.TB, db interface {
	LastEventID(context.Context) (int64, error)
}) int64 {
	tb.Helper()
	id, err := db.LastEventID(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return id
}
