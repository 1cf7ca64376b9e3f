package sqlite_test

import (
	"context"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

func mustGrant(tb testing.TB, db *sqlite.DB, articleID string, version int, expires time.Time) content.PreviewGrant {
	tb.Helper()
	g, err := db.CreatePreviewGrant(context.Background(), content.PreviewGrant{ArticleID: articleID, Version: version, ExpiresAt: expires},
		[]byte(`{"headline":"stored"}`))
	if err != nil {
		tb.Fatalf("create preview grant: %v", err)
	}
	return g
}

// standing reports whether grant id lets its link show the story; any other
// answer than EUNAUTHORIZED with the one message fails the test.
func standing(tb testing.TB, db *sqlite.DB, id string) bool {
	tb.Helper()
	_, doc, err := db.StandingPreview(context.Background(), id)
	if err == nil {
		if string(doc) != `{"headline":"stored"}` {
			tb.Errorf("document %q", doc)
		}
		return true
	}
	if content.ErrorCode(err) != content.EUNAUTHORIZED || content.ErrorMessage(err) != auth.InvalidTokenMessage {
		tb.Fatalf("StandingPreview: %v", err)
	}
	return false
}

func TestPreviewGrants(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()

	t.Run("invalid grants are refused by field", func(t *testing.T) {
		a := mustCreate(t, db, story("Grant fields"))
		tests := []struct {
			name  string
			g     content.PreviewGrant
			doc   []byte
			code  string
			field string
		}{
			{"an expiry in the past", content.PreviewGrant{ArticleID: a.ID, Version: 1, ExpiresAt: now.Add(-time.Second)}, []byte("{}"), content.EINVALID, "expires_at"},
			{"no version", content.PreviewGrant{ArticleID: a.ID, ExpiresAt: now.Add(time.Hour)}, []byte("{}"), content.EINVALID, "version"},
			{"no document", content.PreviewGrant{ArticleID: a.ID, Version: 1, ExpiresAt: now.Add(time.Hour)}, nil, content.EINVALID, "document"},
			{"a missing story", content.PreviewGrant{ArticleID: "0190a000-0000-7000-8000-000000000077", Version: 1, ExpiresAt: now.Add(time.Hour)}, []byte("{}"), content.ENOTFOUND, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name+" is refused", func(t *testing.T) {
				_, err := db.CreatePreviewGrant(ctx, tt.g, tt.doc)
				if content.ErrorCode(err) != tt.code {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
				if tt.field != "" && (len(content.ErrorFields(err)) != 1 || content.ErrorFields(err)[0].Field != tt.field) {
					t.Errorf("fields %+v, want %s", content.ErrorFields(err), tt.field)
				}
			})
		}
	})
	t.Run("a grant stands until it expires", func(t *testing.T) {
		a := mustCreate(t, db, story("Expiring"))
		g := mustGrant(t, db, a.ID, a.Version, now.Add(time.Hour))
		if !standing(t, db, g.ID) {
			t.Fatal("a fresh grant does not stand")
		}
		*now = now.Add(time.Hour)
		if standing(t, db, g.ID) {
			t.Error("an expired grant stands")
		}
	})
	t.Run("an unknown grant does not stand", func(t *testing.T) {
		if standing(t, db, "0190a000-0000-7000-8000-000000000078") {
			t.Error("an unknown grant stands")
		}
	})
	t.Run("revoking one grant leaves the others", func(t *testing.T) {
		a := mustCreate(t, db, story("Revoke one"))
		one, two := mustGrant(t, db, a.ID, 1, now.Add(time.Hour)), mustGrant(t, db, a.ID, 1, now.Add(time.Hour))
		r, err := db.RevokePreviewGrant(ctx, a.ID, one.ID, "u-1")
		if err != nil || r.State(*now) != content.PreviewRevoked || r.RevokedBy != "u-1" {
			t.Fatalf("revoke: %+v %v", r, err)
		}
		if standing(t, db, one.ID) || !standing(t, db, two.ID) {
			t.Error("revoking one grant did not end exactly that one")
		}
		other := mustCreate(t, db, story("Another story"))
		if _, err := db.RevokePreviewGrant(ctx, other.ID, two.ID, "u-1"); content.ErrorCode(err) != content.ENOTFOUND || !standing(t, db, two.ID) {
			t.Errorf("a grant was revoked through another story: %v", err)
		}
	})
	t.Run("revoking all of a story's grants leaves other stories'", func(t *testing.T) {
		a, b := mustCreate(t, db, story("Revoke all")), mustCreate(t, db, story("Untouched"))
		g1, g2, keep := mustGrant(t, db, a.ID, 1, now.Add(time.Hour)), mustGrant(t, db, a.ID, 1, now.Add(time.Hour)), mustGrant(t, db, b.ID, 1, now.Add(time.Hour))
		if n, err := db.RevokePreviewGrants(ctx, a.ID, "u-2"); err != nil || n != 2 {
			t.Fatalf("revoked %d, %v", n, err)
		}
		if standing(t, db, g1.ID) || standing(t, db, g2.ID) || !standing(t, db, keep.ID) {
			t.Error("the wrong grants were revoked")
		}
	})
	t.Run("withdrawal revokes the story's grants", func(t *testing.T) {
		a := mustCreate(t, db, story("Withdrawn"))
		mustPublish(t, db, a.ID)
		g := mustGrant(t, db, a.ID, 1, now.Add(time.Hour))
		if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: []content.Status{content.StatusPublished}, To: content.StatusUnpublished}); err != nil {
			t.Fatal(err)
		}
		if standing(t, db, g.ID) {
			t.Error("a withdrawn story's grant stands")
		}
		gs, _ := db.PreviewGrants(ctx, a.ID)
		if len(gs) != 1 || gs[0].RevokedBy != content.PreviewRevokedByWithdrawal {
			t.Errorf("grants %+v", gs)
		}
	})
	t.Run("deletion revokes the story's grants", func(t *testing.T) {
		a := mustCreate(t, db, story("Deleted"))
		g := mustGrant(t, db, a.ID, 1, now.Add(time.Hour))
		if err := db.DeleteArticle(ctx, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		if standing(t, db, g.ID) {
			t.Error("a deleted story's grant stands")
		}
		if _, err := db.CreatePreviewGrant(ctx, content.PreviewGrant{ArticleID: a.ID, Version: 1, ExpiresAt: now.Add(time.Hour)}, []byte("{}")); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("a grant for a deleted story: %v", err)
		}
	})
	t.Run("making a grant deletes expired ones", func(t *testing.T) {
		a := mustCreate(t, db, story("Tidy"))
		old := mustGrant(t, db, a.ID, 1, now.Add(time.Minute))
		*now = now.Add(2 * time.Minute)
		fresh := mustGrant(t, db, a.ID, 1, now.Add(time.Hour))
		gs, err := db.PreviewGrants(ctx, a.ID)
		if err != nil || len(gs) != 1 || gs[0].ID != fresh.ID {
			t.Errorf("grants after an expiry: %+v %v (expired %s)", gs, err, old.ID)
		}
	})
	t.Run("grants change nothing readers see", func(t *testing.T) {
		a := mustCreate(t, db, story("Quiet"))
		before := db.Generation()
		g := mustGrant(t, db, a.ID, 1, now.Add(time.Hour))
		if _, err := db.RevokePreviewGrant(ctx, a.ID, g.ID, "u"); err != nil {
			t.Fatal(err)
		}
		if db.Generation() != before {
			t.Error("a preview grant moved the content generation")
		}
	})
}
