package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"dateline/content"
)

// Rendition jobs are claimed with FOR UPDATE SKIP LOCKED: workers of
// several instances each take a different due job, and a job whose lease
// ran out (its worker died) is claimed again.

// QueueRenditions queues rendition jobs for the media items whose
// renditions were not made under key (or for every item, with all), and
// returns how many it queued; items with a job queued already keep it. It
// is what a backfill runs: run it again after a stop and it queues only
// what is still to do.
func (db *DB) QueueRenditions(ctx context.Context, key string, all bool) (int, error) {
	now := db.now()
	tag, err := db.pool.Exec(ctx, `INSERT INTO rendition_jobs (media_id, run_after, created_at)
		SELECT id, $1, $1 FROM media WHERE $2 OR renditions_key <> $3 ORDER BY id
		ON CONFLICT (media_id) DO NOTHING`, now, all, key)
	if err != nil {
		return 0, fmt.Errorf("queue renditions: %w", mapErr(err))
	}
	return int(tag.RowsAffected()), nil
}

// RenditionJobs returns how many rendition jobs are queued (running ones
// included).
func (db *DB) RenditionJobs(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM rendition_jobs").Scan(&n); err != nil {
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
		ok = false
		err := tx.QueryRow(ctx, `UPDATE rendition_jobs SET leased_until = $1, attempts = attempts + 1
			WHERE media_id = (SELECT media_id FROM rendition_jobs
				WHERE run_after <= $2 AND (leased_until IS NULL OR leased_until < $2)
				ORDER BY run_after, media_id LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING media_id, seq, attempts`, now.Add(lease), now).Scan(&job.MediaID, &job.Seq, &job.Attempts)
		if noRows(err) {
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
	var at *time.Time
	err := db.pool.QueryRow(ctx, `SELECT min(GREATEST(run_after, leased_until)) FROM rendition_jobs`).Scan(&at)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next rendition job: %w", mapErr(err))
	}
	if at == nil {
		return time.Time{}, false, nil
	}
	return *at, true, nil
}

// FailRenditionJob records that job failed with msg. Unless final, it is
// claimed again at retry; a final failure removes the job and keeps msg on
// the media item. A job asked for again meanwhile (a newer seq) is left as
// it is.
func (db *DB) FailRenditionJob(ctx context.Context, job content.RenditionJob, msg string, retry time.Time, final bool) error {
	return db.withTx(ctx, func(tx *wtx) error {
		if final {
			tag, err := tx.Exec(ctx, "DELETE FROM rendition_jobs WHERE media_id = $1 AND seq = $2", job.MediaID, job.Seq)
			if err != nil {
				return fmt.Errorf("give up rendition job %s: %w", job.MediaID, mapErr(err))
			}
			if tag.RowsAffected() == 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, "UPDATE media SET renditions_error = $1 WHERE id = $2", msg, job.MediaID); err != nil {
				return fmt.Errorf("record rendition error of %s: %w", job.MediaID, mapErr(err))
			}
			return nil
		}
		_, err := tx.Exec(ctx, `UPDATE rendition_jobs SET leased_until = NULL, run_after = $1, last_error = $2
			WHERE media_id = $3 AND seq = $4`, retry.UTC(), msg, job.MediaID, job.Seq)
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
	_, err := db.pool.Exec(ctx, `UPDATE rendition_jobs SET leased_until = NULL, attempts = GREATEST(attempts - 1, 0)
		WHERE media_id = $1 AND seq = $2`, job.MediaID, job.Seq)
	if err != nil {
		return fmt.Errorf("release rendition job %s: %w", job.MediaID, mapErr(err))
	}
	return nil
}

// RenditionFailures returns how many media items have no renditions made
// for good: their last job gave up.
func (db *DB) RenditionFailures(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM media WHERE renditions_error <> ''").Scan(&n); err != nil {
		return 0, fmt.Errorf("count rendition failures: %w", mapErr(err))
	}
	return n, nil
}

// FinishRenditions stores rs as the renditions of job's media item, made
// under key, if job is still the latest request for it; then it removes
// the job and writes an article.updated event for each published story
// that shows the image (its payload says "photo_change": "renditions" and
// the media id), all in one transaction. It returns the files that no
// rendition refers to any more, for the caller to remove, and whether rs
// were stored: if not (the job was asked for again, or its media item
// deleted, meanwhile), the unused files are the new ones, else the
// replaced ones.
func (db *DB) FinishRenditions(ctx context.Context, job content.RenditionJob, key string, rs []content.Rendition) (unused []string, stored bool, err error) {
	err = db.withTx(ctx, func(tx *wtx) error {
		unused, stored = nil, false
		var seq int64
		err := tx.QueryRow(ctx, "SELECT seq FROM rendition_jobs WHERE media_id = $1 FOR UPDATE", job.MediaID).Scan(&seq)
		if err != nil && !noRows(err) {
			return fmt.Errorf("finish rendition job %s: %w", job.MediaID, mapErr(err))
		}
		if noRows(err) || seq != job.Seq {
			for _, r := range rs {
				var used bool
				if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM media_renditions WHERE file_name = $1)", r.FileName).Scan(&used); err != nil {
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
		if _, err := tx.Exec(ctx, "DELETE FROM media_renditions WHERE media_id = $1", job.MediaID); err != nil {
			return fmt.Errorf("replace renditions of %s: %w", job.MediaID, mapErr(err))
		}
		keep := map[string]bool{}
		for _, r := range rs {
			keep[r.FileName] = true
			if _, err := tx.Exec(ctx, `INSERT INTO media_renditions (media_id, crop, content_type, width, height, size, file_name)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, job.MediaID, r.Crop, r.ContentType, r.Width, r.Height, r.Size, r.FileName); err != nil {
				return fmt.Errorf("store rendition %s: %w", r.FileName, mapErr(err))
			}
		}
		for _, r := range old[job.MediaID] {
			if !keep[r.FileName] {
				unused = append(unused, r.FileName)
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE media SET renditions_key = $1, renditions_error = '' WHERE id = $2", key, job.MediaID); err != nil {
			return fmt.Errorf("record renditions of %s: %w", job.MediaID, mapErr(err))
		}
		if _, err := tx.Exec(ctx, "DELETE FROM rendition_jobs WHERE media_id = $1", job.MediaID); err != nil {
			return fmt.Errorf("finish rendition job %s: %w", job.MediaID, mapErr(err))
		}
		return db.photoEvents(ctx, tx, job.MediaID, content.ChangePhotoCrops, stamp(db.now()))
	})
	if err != nil {
		return nil, false, err
	}
	slices.Sort(unused)
	return slices.Compact(unused), stored, nil
}
