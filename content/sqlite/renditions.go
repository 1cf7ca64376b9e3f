package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"dateline/content"
)

// The rendition queue (migrations/0016_renditions.sql): one durable job per
// media item. A worker claims a job with a lease, makes the files, and
// then FinishRenditions stores them, removes the job and re-renders the
// public JSON of the stories that show the image, in one transaction. A
// worker that dies leaves the job leased: once the lease runs out, the job
// is claimed again and redone.

// queueRenditions asks, inside tx, for the renditions of media item id to
// be made (again): a new job, or the queued one asked for again, due now,
// with its lease dropped and its seq moved on, so that a worker busy with
// the older request stores nothing.
func queueRenditions(ctx context.Context, tx *wtx, id, now string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO rendition_jobs (media_id, run_after, created_at) VALUES (?, ?, ?)
		ON CONFLICT (media_id) DO UPDATE SET seq = seq + 1, attempts = 0, run_after = excluded.run_after,
		leased_until = '', last_error = ''`, id, now, now)
	if err != nil {
		return fmt.Errorf("queue renditions of media %s: %w", id, mapErr(err))
	}
	return nil
}

// QueueRenditions queues rendition jobs for the media items whose
// renditions were not made under key (or for every item, with all), and
// returns how many it queued; items with a job queued already keep it. It
// is what a backfill runs: run it again after a stop and it queues only
// what is still to do.
func (db *DB) QueueRenditions(ctx context.Context, key string, all bool) (int, error) {
	var n int64
	err := db.withTx(ctx, func(tx *wtx) error {
		now := timeText(db.now())
		res, err := tx.ExecContext(ctx, `INSERT INTO rendition_jobs (media_id, run_after, created_at)
			SELECT id, ?, ? FROM media WHERE ? OR renditions_key <> ? ORDER BY id
			ON CONFLICT (media_id) DO NOTHING`, now, now, all, key)
		if err != nil {
			return fmt.Errorf("queue renditions: %w", mapErr(err))
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// RenditionJobs returns how many rendition jobs are queued (running ones
// included).
func (db *DB) RenditionJobs(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM rendition_jobs").Scan(&n); err != nil {
		return 0, fmt.Errorf("count rendition jobs: %w", mapErr(err))
	}
	return n, nil
}

// ClaimRenditionJob claims the rendition job that is due first (not
// leased, or its lease run out), leasing it for lease, and returns it with
// its media item. ok is false when none is due.
func (db *DB) ClaimRenditionJob(ctx context.Context, lease time.Duration) (job content.RenditionJob, ok bool, err error) {
	now := db.now()
	err = db.withTx(ctx, func(tx *wtx) error {
		t := timeText(now)
		err := tx.QueryRowContext(ctx, `UPDATE rendition_jobs SET leased_until = ?, attempts = attempts + 1
			WHERE media_id = (SELECT media_id FROM rendition_jobs INDEXED BY rendition_jobs_due
				WHERE run_after <= ? AND leased_until < ? ORDER BY run_after, media_id LIMIT 1)
			RETURNING media_id, seq, attempts`, timeText(now.Add(lease)), t, t).Scan(&job.MediaID, &job.Seq, &job.Attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("claim rendition job: %w", mapErr(err))
		}
		if job.Media, err = db.mediaItem(ctx, tx, job.MediaID); err != nil {
			return err
		}
		ok = true
		return nil
	})
	return job, ok, err
}

// NextRenditionJobAt returns when the next queued job can be claimed: when
// it is due, or its lease runs out. ok is false when none is queued.
func (db *DB) NextRenditionJobAt(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT MIN(MAX(run_after, leased_until)) FROM rendition_jobs`).Scan(&at)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next rendition job: %w", mapErr(err))
	}
	if !at.Valid {
		return time.Time{}, false, nil
	}
	t, err := parseTime(at.String)
	return t, err == nil, err
}

// FailRenditionJob records that job failed with msg. Unless final, it is
// claimed again at retry; a final failure removes the job and keeps msg on
// the media item. A job asked for again meanwhile (a newer seq) is left as
// it is.
func (db *DB) FailRenditionJob(ctx context.Context, job content.RenditionJob, msg string, retry time.Time, final bool) error {
	return db.withTx(ctx, func(tx *wtx) error {
		if final {
			res, err := tx.ExecContext(ctx, "DELETE FROM rendition_jobs WHERE media_id = ? AND seq = ?", job.MediaID, job.Seq)
			if err != nil {
				return fmt.Errorf("give up rendition job %s: %w", job.MediaID, mapErr(err))
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			_, err = tx.ExecContext(ctx, "UPDATE media SET renditions_error = ? WHERE id = ?", msg, job.MediaID)
			if err != nil {
				return fmt.Errorf("record rendition error of %s: %w", job.MediaID, mapErr(err))
			}
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE rendition_jobs SET leased_until = '', run_after = ?, last_error = ?
			WHERE media_id = ? AND seq = ?`, timeText(retry), msg, job.MediaID, job.Seq)
		if err != nil {
			return fmt.Errorf("retry rendition job %s: %w", job.MediaID, mapErr(err))
		}
		return nil
	})
}

// ReleaseRenditionJob gives back the claim of a job its worker stopped
// before it was done (the process is shutting down), so that the next
// worker claims it at once; the claim does not count as an attempt.
func (db *DB) ReleaseRenditionJob(ctx context.Context, job content.RenditionJob) error {
	return db.withTx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `UPDATE rendition_jobs SET leased_until = '', attempts = MAX(attempts - 1, 0)
			WHERE media_id = ? AND seq = ?`, job.MediaID, job.Seq)
		if err != nil {
			return fmt.Errorf("release rendition job %s: %w", job.MediaID, mapErr(err))
		}
		return nil
	})
}

// RenditionFailures returns how many media items have no renditions made
// for good: their last job gave up.
func (db *DB) RenditionFailures(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM media WHERE renditions_error <> ''").Scan(&n); err != nil {
		return 0, fmt.Errorf("count rendition failures: %w", mapErr(err))
	}
	return n, nil
}

// FinishRenditions stores rs as the renditions of job's media item, made
// under key, if job is still the latest request for it; then it removes
// the job and re-renders the stored public JSON of the stories that show
// the image, writing an article.updated event for each published one (its
// payload says "photo_change": "renditions" and the media id), all in one
// transaction. It returns the files that no rendition refers to any more,
// for the caller to remove, and whether rs were stored: if not (the job
// was asked for again, or its media item deleted, meanwhile), the unused
// files are the new ones, else the replaced ones.
func (db *DB) FinishRenditions(ctx context.Context, job content.RenditionJob, key string, rs []content.Rendition) (unused []string, stored bool, err error) {
	err = db.withTx(ctx, func(tx *wtx) error {
		unused, stored = nil, false
		var seq int64
		err := tx.QueryRowContext(ctx, "SELECT seq FROM rendition_jobs WHERE media_id = ?", job.MediaID).Scan(&seq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("finish rendition job %s: %w", job.MediaID, mapErr(err))
		}
		if errors.Is(err, sql.ErrNoRows) || seq != job.Seq {
			for _, r := range rs {
				var used bool
				if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM media_renditions WHERE file_name = ?)", r.FileName).Scan(&used); err != nil {
					return fmt.Errorf("finish rendition job %s: %w", job.MediaID, mapErr(err))
				}
				if !used {
					unused = append(unused, r.FileName)
				}
			}
			return nil
		}
		stored = true
		old, err := renditionsOf(ctx, tx, []string{job.MediaID})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM media_renditions WHERE media_id = ?", job.MediaID); err != nil {
			return fmt.Errorf("replace renditions of %s: %w", job.MediaID, mapErr(err))
		}
		keep := map[string]bool{}
		for _, r := range rs {
			keep[r.FileName] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO media_renditions (media_id, crop, content_type, width, height, size, file_name)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, job.MediaID, r.Crop, r.ContentType, r.Width, r.Height, r.Size, r.FileName); err != nil {
				return fmt.Errorf("store rendition %s: %w", r.FileName, mapErr(err))
			}
		}
		for _, r := range old[job.MediaID] {
			if !keep[r.FileName] {
				unused = append(unused, r.FileName)
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE media SET renditions_key = ?, renditions_error = '' WHERE id = ?", key, job.MediaID); err != nil {
			return fmt.Errorf("record renditions of %s: %w", job.MediaID, mapErr(err))
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM rendition_jobs WHERE media_id = ?", job.MediaID); err != nil {
			return fmt.Errorf("finish rendition job %s: %w", job.MediaID, mapErr(err))
		}
		shown, published, err := mediaStories(ctx, tx, job.Media)
		if err != nil {
			return err
		}
		now := timeText(db.now())
		for _, s := range published {
			if err := tx.emit(ctx, content.StoryPhotoChanged(s.id, s.slug, s.version, content.ChangePhotoCrops, job.MediaID), now); err != nil {
				return err
			}
		}
		// Stories readers see get an event each; the public JSON of the
		// others is re-rendered all the same, which changes nothing
		// readers are served.
		return db.refreshPublic(ctx, tx, shown)
	})
	if err != nil {
		return nil, false, err
	}
	slices.Sort(unused)
	return slices.Compact(unused), stored, nil
}

// publishedStory is a published story's id, slug and version.
type publishedStory struct {
	id, slug string
	version  int
}

// mediaStories returns the stories (not deleted) whose photos show media
// item m, by media id or by its /media/ URL, and those of them that are
// published.
func mediaStories(ctx context.Context, tx *wtx, m content.Media) ([]string, []publishedStory, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT a.id, a.slug, a.version, `+public("a")+` FROM article_photos p
		JOIN articles a ON a.id = p.article_id
		WHERE (p.media_id = ? OR (p.media_id = '' AND p.url LIKE '/media/%' AND p.url = ?)) AND a.deleted_at IS NULL
		ORDER BY a.id`, m.ID, "/media/"+m.FileName)
	if err != nil {
		return nil, nil, fmt.Errorf("stories showing media %s: %w", m.ID, mapErr(err))
	}
	defer rows.Close()
	var ids []string
	var published []publishedStory
	for rows.Next() {
		var s publishedStory
		var pub bool
		if err := rows.Scan(&s.id, &s.slug, &s.version, &pub); err != nil {
			return nil, nil, fmt.Errorf("stories showing media %s: %w", m.ID, err)
		}
		ids = append(ids, s.id)
		if pub {
			published = append(published, s)
		}
	}
	return ids, published, rows.Err()
}
