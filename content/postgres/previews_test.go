package postgres_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"dateline/content"
)

func TestPreviewLinksStandUntilRevokedExpiredOrTheStoryWithdrawn(t *testing.T) {
	ctx := context.Background()
	var now atomic.Value
	now.Store(start)
	db := openStore(t, migrated(t), func() time.Time { return now.Load().(time.Time) })
	a := publish(t, db, start, "Bridge closes", "Lead", "Text.")
	doc := []byte(`{"headline":"Bridge closes","z":1,"a":2}`)
	g, err := db.CreatePreviewGrant(ctx, content.PreviewGrant{ArticleID: a.ID, Version: a.Version, ExpiresAt: start.Add(time.Hour)}, doc)
	if err != nil {
		t.Fatal(err)
	}
	got, body, err := db.StandingPreview(ctx, g.ID)
	if err != nil || got.ArticleID != a.ID || string(body) != string(doc) {
		t.Fatalf("standing preview: %+v %s %v; want the document byte for byte", got, body, err)
	}
	if _, err := db.CreatePreviewGrant(ctx, content.PreviewGrant{ArticleID: a.ID, Version: 1, ExpiresAt: start}, doc); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("an expiry not in the future: %v, want %s", err, content.EINVALID)
	}
	if _, err := db.CreatePreviewGrant(ctx, content.PreviewGrant{ArticleID: "0190a000-0000-7000-8000-000000000000", Version: 1, ExpiresAt: start.Add(time.Hour)}, doc); content.ErrorCode(err) != content.ENOTFOUND {
		t.Errorf("a missing story: %v, want %s", err, content.ENOTFOUND)
	}

	other, err := db.CreatePreviewGrant(ctx, content.PreviewGrant{ArticleID: a.ID, Version: a.Version, ExpiresAt: start.Add(time.Minute)}, doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RevokePreviewGrant(ctx, "another-story", other.ID, "editor-1"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Errorf("revoking through another story: %v, want %s", err, content.ENOTFOUND)
	}
	now.Store(start.Add(2 * time.Minute))
	if _, _, err := db.StandingPreview(ctx, other.ID); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Errorf("an expired link: %v, want %s", err, content.EUNAUTHORIZED)
	}

	if _, err := db.ChangeStatus(ctx, a.ID, content.StatusChange{From: published, To: content.StatusUnpublished}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.StandingPreview(ctx, g.ID); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Errorf("a link to a withdrawn story: %v, want %s", err, content.EUNAUTHORIZED)
	}
	gs, err := db.PreviewGrants(ctx, a.ID)
	if err != nil || len(gs) != 2 {
		t.Fatalf("grants %+v, %v", gs, err)
	}
	for _, g := range gs {
		if g.RevokedAt == nil || g.RevokedBy != content.PreviewRevokedByWithdrawal {
			t.Errorf("grant %s after the withdrawal: revoked %v by %q", g.ID, g.RevokedAt, g.RevokedBy)
		}
	}
}
