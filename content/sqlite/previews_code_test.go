package sqlite_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

// TestPreviewCodes covers the short codes of preview links: one per grant,
// 22 characters, found while the grant stands, refused alike when unknown,
// revoked or expired, and kept only as a hash.
func TestPreviewCodes(t *testing.T) {
	db, now := mustOpen(t)
	ctx := context.Background()
	a := mustCreate(t, db, story("Preview codes"))
	g := mustGrant(t, db, a.ID, 1, now.Add(time.Hour))
	other := mustGrant(t, db, a.ID, 1, now.Add(2*time.Hour))
	if len(g.Code) != 22 || g.Code == other.Code || strings.ContainsAny(g.Code, "+/=") {
		t.Fatalf("codes %q and %q", g.Code, other.Code)
	}
	refused := func(t *testing.T, code string) {
		t.Helper()
		_, _, err := db.PreviewByCode(ctx, code)
		if content.ErrorCode(err) != content.EUNAUTHORIZED || content.ErrorMessage(err) != auth.InvalidTokenMessage {
			t.Errorf("PreviewByCode(%q) = %v, want the one refusal", code, err)
		}
	}

	t.Run("a standing grant is found by its code with its document", func(t *testing.T) {
		got, doc, err := db.PreviewByCode(ctx, g.Code)
		if err != nil || got.ID != g.ID || string(doc) != `{"headline":"stored"}` || got.Code != "" {
			t.Errorf("PreviewByCode: %+v %q %v", got, doc, err)
		}
	})
	t.Run("unknown and malformed codes are refused", func(t *testing.T) {
		for _, code := range []string{"", "short", strings.Repeat("A", 22), g.Code + "x", g.ID} {
			refused(t, code)
		}
	})
	t.Run("the database holds a hash, not the code", func(t *testing.T) {
		raw, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var n int
		if err := raw.QueryRow("SELECT COUNT(*) FROM preview_grants WHERE code_hash = ? OR instr(document, ?) > 0", g.Code, g.Code).Scan(&n); err != nil || n != 0 {
			t.Errorf("the code is stored as is: %d %v", n, err)
		}
		if err := raw.QueryRow("SELECT COUNT(*) FROM preview_grants WHERE length(code_hash) = 64").Scan(&n); err != nil || n != 2 {
			t.Errorf("hashes stored: %d %v", n, err)
		}
	})
	t.Run("a revoked grant's code is refused; the other still works", func(t *testing.T) {
		if _, err := db.RevokePreviewGrant(ctx, a.ID, g.ID, ""); err != nil {
			t.Fatal(err)
		}
		refused(t, g.Code)
		if _, _, err := db.PreviewByCode(ctx, other.Code); err != nil {
			t.Errorf("the other link: %v", err)
		}
	})
	t.Run("an expired grant's code is refused", func(t *testing.T) {
		*now = now.Add(3 * time.Hour)
		refused(t, other.Code)
	})
}
