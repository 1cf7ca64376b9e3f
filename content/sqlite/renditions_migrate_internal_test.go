package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// TestTheRenditionsMigrationQueuesEveryExistingImage undoes migration 0016
// on a fresh database, records an image as a server without renditions
// did, and migrates again: the image gets the centre as its focal point
// and a queued job, so that the next server makes its renditions.
func TestTheRenditionsMigrationQueuesEveryExistingImage(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "d.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		"DROP INDEX article_photos_url", "DROP TABLE rendition_jobs", "DROP TABLE media_renditions",
		"ALTER TABLE media DROP COLUMN focus_x", "ALTER TABLE media DROP COLUMN focus_y",
		"ALTER TABLE media DROP COLUMN renditions_key", "ALTER TABLE media DROP COLUMN renditions_error",
		"DELETE FROM schema_migrations WHERE version = 16",
		`INSERT INTO media (id, file_name, content_type, width, height, size, created_at)
			VALUES ('0190f8a2-0000-7000-8000-000000000001', 'old.jpg', 'image/jpeg', 800, 600, 1234, '2026-01-01T00:00:00.000000Z')`,
	} {
		if _, err := db.w.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := db.MediaItem(ctx, "0190f8a2-0000-7000-8000-000000000001")
	if err != nil {
		t.Fatal(err)
	}
	if !m.RenditionsPending || m.Focus.X != 0.5 || m.Focus.Y != 0.5 || len(m.Renditions) != 0 || m.ThumbnailURL != "/media/old.jpg" {
		t.Errorf("after the migration: %+v", m)
	}
	job, ok, err := db.ClaimRenditionJob(ctx, 0)
	if err != nil || !ok || job.MediaID != m.ID {
		t.Errorf("the queued job cannot be claimed: %+v %v %v", job, ok, err)
	}
}
