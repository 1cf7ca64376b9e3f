package sqlite

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"dateline/content"
)

// TestStoredJSONWrittenUnpackedReadsAndComparesAsTheSame takes a story's
// stored JSON and list item back to how a release before migration 0025
// stored them (not fast-packed) and checks that reads serve the same
// bytes, and that re-rendering it, which packs them, is no change readers
// could see: no event, no refusal as an undeclared change.
func TestStoredJSONWrittenUnpackedReadsAndComparesAsTheSame(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "packed.db"), Options{Render: hRenderer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids, err := db.Import(ctx, []content.Import{{Edit: content.Edit{Headline: "Harbour reopens", Body: "Text."},
		Status: content.StatusPublished, PublishedAt: new(time.Now().Add(-time.Hour))}}, "")
	if err != nil {
		t.Fatal(err)
	}
	id := ids[0]
	stored := func() (full, item []byte) {
		t.Helper()
		if err := db.r.QueryRowContext(ctx, `SELECT p.public_json, i.summary_json FROM article_public p
			JOIN article_public_items i ON i.article_id = p.article_id WHERE p.article_id = ?`, id).Scan(&full, &item); err != nil {
			t.Fatal(err)
		}
		return full, item
	}
	read := func() (full, item []byte) {
		t.Helper()
		b, ok, err := db.PublicBlob(ctx, "harbour-reopens", db.renderKey, nil)
		if err != nil || !ok {
			t.Fatalf("stored story: %v, %v", ok, err)
		}
		items, ok, err := db.ListItems(ctx, []string{id}, db.renderKey)
		if err != nil || !ok {
			t.Fatalf("stored item: %v, %v", ok, err)
		}
		return b.JSON, items[0]
	}
	full, item := stored()
	if full[0] != s2Magic || item[0] != s2Magic {
		t.Fatalf("stored story and item are not fast-packed: %q…, %q…", full[:1], item[:1])
	}
	wantFull, wantItem := read()
	if !bytes.HasPrefix(wantFull, []byte("{")) || !bytes.HasPrefix(wantItem, []byte("{")) {
		t.Fatalf("reads are not JSON: %.20q, %.20q", wantFull, wantItem)
	}

	oldFull, err := unpack(full) // packStory's output, as stored before
	if err != nil {
		t.Fatal(err)
	}
	oldItem, _ := unpack(item)
	if _, err := db.w.ExecContext(ctx, "UPDATE article_public SET public_json = ? WHERE article_id = ?", string(oldFull), id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, "UPDATE article_public_items SET summary_json = ? WHERE article_id = ?", string(oldItem), id); err != nil {
		t.Fatal(err)
	}
	if f, i := read(); !bytes.Equal(f, wantFull) || !bytes.Equal(i, wantItem) {
		t.Fatalf("stored unpacked, reads give %.40q and %.40q", f, i)
	}

	head, err := db.head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.withTx(ctx, func(tx *wtx) error { return db.refreshPublic(ctx, tx, []string{id}) }); err != nil {
		t.Fatalf("re-rendering a story stored unpacked: %v", err)
	}
	if after, _ := db.head(ctx); after != head {
		t.Errorf("re-rendering moved the outbox head from %d to %d", head, after)
	}
	if full, item := stored(); full[0] != s2Magic || item[0] != s2Magic {
		t.Errorf("re-rendered, the story and item are not packed again")
	}
	if f, i := read(); !bytes.Equal(f, wantFull) || !bytes.Equal(i, wantItem) {
		t.Fatalf("re-rendered, reads give %.40q and %.40q", f, i)
	}
}
