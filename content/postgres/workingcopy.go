package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"dateline/content"
)

// WithWorkingCopies returns which of the stories ids have a working copy
// (unpublished changes), for lists that mark them; one query for them all.
func (db *DB) WithWorkingCopies(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool)
	rows, err := db.pool.Query(ctx, "SELECT article_id FROM working_copies WHERE article_id = ANY($1)", ids)
	if err != nil {
		return nil, fmt.Errorf("read working copies: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read working copies: %w", mapErr(err))
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read working copies: %w", mapErr(err))
	}
	return out, nil
}

// WorkingCopy returns the working copy of article id: the pending version
// of a live story that readers do not see. A story without one (or a
// missing or deleted story) is content.ErrNotFound.
func (db *DB) WorkingCopy(ctx context.Context, id string) (content.WorkingCopy, error) {
	wc, err := scanWorkingCopy(db.pool.QueryRow(ctx, workingCopyQuery, id), id)
	if err != nil {
		return content.WorkingCopy{}, err
	}
	if wc == nil {
		return content.WorkingCopy{}, fmt.Errorf("working copy of article %s: %w", id, content.ErrNotFound)
	}
	return *wc, nil
}

const workingCopyQuery = `SELECT w.state, w.version, w.base_version, w.saved_by, w.saved_at, w.publish_at,
	w.update_correction, w.update_by, w.submitted_by, w.submitted_at
	FROM working_copies w JOIN articles a ON a.id = w.article_id
	WHERE w.article_id = $1 AND a.deleted_at IS NULL`

// readWorkingCopy returns the working copy of article id inside tx, or nil.
func readWorkingCopy(ctx context.Context, tx *wtx, id string) (*content.WorkingCopy, error) {
	return scanWorkingCopy(tx.QueryRow(ctx, workingCopyQuery, id), id)
}

func scanWorkingCopy(row pgx.Row, id string) (*content.WorkingCopy, error) {
	wc := content.WorkingCopy{ArticleID: id}
	err := row.Scan(&wc.Edit, &wc.Version, &wc.Base, &wc.SavedBy, &wc.SavedAt, &wc.PublishAt,
		&wc.UpdateCorrection, &wc.UpdateBy, &wc.SubmittedBy, &wc.SubmittedAt)
	if noRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read working copy of article %s: %w", id, mapErr(err))
	}
	return &wc, nil
}

// writePending persists plan, a save of live story id (cur before it) that
// goes to its working copy, at now: the working copy (started from the
// story's version if it had none) and the save's revision, nothing else.
// Readers see none of it: no event.
func (db *DB) writePending(ctx context.Context, tx *wtx, id string, cur state, plan content.SavePlan, now time.Time) error {
	e := plan.Edit
	if err := checkReferences(ctx, tx, id, &e, false); err != nil {
		return err
	}
	var tag pgconn.CommandTag
	var err error
	if cur.pending == 0 {
		tag, err = tx.Exec(ctx, `INSERT INTO working_copies (article_id, state, version, base_version, saved_by, saved_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, &e, plan.Version, cur.version, plan.By, now)
	} else {
		tag, err = tx.Exec(ctx, `UPDATE working_copies SET state = $1, version = $2, saved_by = $3, saved_at = $4
			WHERE article_id = $5 AND version = $6`, &e, plan.Version, plan.By, now, id, plan.Version-1)
	}
	if err != nil {
		return fmt.Errorf("save working copy of article %s: %w", id, mapErr(err))
	}
	if tag.RowsAffected() != 1 {
		return content.Errorf(content.ECONFLICT, "the story's working copy moved on while you were editing; reload it")
	}
	rev := revisionWrite{article: id, version: plan.Version, edit: &e, by: plan.By, at: now, autosave: plan.Autosave}
	return db.writeRevision(ctx, tx, rev)
}

// PublishWorkingCopy carries out u, the Update of article id's working
// copy, as content.PlanUpdate decides it. Published now, the working copy
// becomes the story (its version, a new updated_at, a correction if u has
// one, a moved slug with its redirect) and is dropped, its revision is
// sealed and, for a published story, one article.updated event is
// written, all in one transaction. With u.PublishAt the update is only
// scheduled: the working copy keeps the time and correction, and the
// scheduler publishes it then (u.Due: one conditional claim on the locked
// story, so it happens once however many instances try). It returns the
// story as it stands after.
func (db *DB) PublishWorkingCopy(ctx context.Context, id string, u content.Update) (*content.Article, error) {
	at := u.At
	if at.IsZero() {
		at = db.now()
	}
	err := db.withTx(ctx, func(tx *wtx) error {
		cur, st, err := lockedState(ctx, tx, id, at)
		if err != nil {
			return err
		}
		wc, err := readWorkingCopy(ctx, tx, id)
		if err != nil {
			return err
		}
		plan, err := content.PlanUpdate(st, wc, u, at)
		if stale := (*content.StaleVersion)(nil); errors.As(err, &stale) {
			return whoSaved(ctx, tx, id, stale)
		}
		if err != nil {
			return err
		}
		tx.schedule = true
		if plan.Schedule { // only the schedule of the working copy changes: no event
			_, err := tx.Exec(ctx, `UPDATE working_copies SET publish_at = $1, update_correction = $2, update_by = $3
				WHERE article_id = $4 AND version = $5`, optDue(plan.PublishAt), plan.Correction, plan.By, id, plan.Version)
			if err != nil {
				return fmt.Errorf("schedule update of article %s: %w", id, mapErr(err))
			}
			return nil
		}
		return db.writeUpdate(ctx, tx, id, cur, plan, u.Due, at)
	})
	if err != nil {
		return nil, err
	}
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// writeUpdate persists plan, the Update of story id (cur before it), at
// at: first the claim (the working copy is deleted only if it is still at
// plan.Version or, for a due update, its time has come), then the story
// written as a save of plan.Edit, the revision sealed.
func (db *DB) writeUpdate(ctx context.Context, tx *wtx, id string, cur state, plan content.UpdatePlan, due bool, at time.Time) error {
	var tag pgconn.CommandTag
	var err error
	if due {
		tag, err = tx.Exec(ctx, "DELETE FROM working_copies WHERE article_id = $1 AND version = $2 AND publish_at <= $3",
			id, plan.Version, at.UTC())
	} else {
		tag, err = tx.Exec(ctx, "DELETE FROM working_copies WHERE article_id = $1 AND version = $2", id, plan.Version)
	}
	if err != nil {
		return fmt.Errorf("claim working copy of article %s: %w", id, mapErr(err))
	}
	if tag.RowsAffected() != 1 {
		return content.Errorf(content.ECONFLICT, "the story's update is not due or was carried out already")
	}
	save := content.SavePlan{Edit: plan.Edit, Rendered: plan.Rendered, Version: plan.Version,
		SlugChanged: plan.SlugChanged, KeepOldSlug: plan.KeepOldSlug, Correction: plan.Correction,
		Visible: plan.Visible, Event: plan.Event, By: plan.By}
	if err := db.writeStory(ctx, tx, id, cur, &save, stamp(plan.UpdatedAt)); err != nil {
		return err
	}
	return sealRevision(ctx, tx, id, plan.Version)
}

// DiscardWorkingCopy drops article id's working copy as content.PlanDiscard
// decides d. The story keeps its version and readers see nothing of it;
// the dropped copy's revisions stay in the history, and the story's next
// save gets a version past them. It returns the story.
func (db *DB) DiscardWorkingCopy(ctx context.Context, id string, d content.Discard) (*content.Article, error) {
	clock := db.now()
	err := db.withTx(ctx, func(tx *wtx) error {
		// The story readers see stays as it is: no event.
		_, st, err := lockedState(ctx, tx, id, clock)
		if err != nil {
			return err
		}
		wc, err := readWorkingCopy(ctx, tx, id)
		if err != nil {
			return err
		}
		plan, err := content.PlanDiscard(st, wc, d)
		if stale := (*content.StaleVersion)(nil); errors.As(err, &stale) {
			return whoSaved(ctx, tx, id, stale)
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, "DELETE FROM working_copies WHERE article_id = $1 AND version = $2", id, plan.Dropped)
		if err != nil {
			return fmt.Errorf("discard working copy of article %s: %w", id, mapErr(err))
		}
		if tag.RowsAffected() != 1 {
			return content.Errorf(content.ECONFLICT, "the story's working copy moved on; reload it")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// foldPending makes story id's working copy its own editable state, in a
// workflow step that leaves the live statuses (content.ChangePlan's
// FoldPending): written like a save readers do not see, at the working
// copy's version, and dropped. It returns the story's state after.
func (db *DB) foldPending(ctx context.Context, tx *wtx, id string, cur state, now time.Time) (state, error) {
	wc, err := readWorkingCopy(ctx, tx, id)
	if err != nil || wc == nil {
		return cur, err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM working_copies WHERE article_id = $1", id); err != nil {
		return cur, fmt.Errorf("fold working copy of article %s: %w", id, mapErr(err))
	}
	e := wc.Edit
	plan := content.SavePlan{Edit: e, Rendered: content.Render(e.Body), Version: wc.Version,
		SlugChanged: e.Slug != cur.slug, KeepOldSlug: e.Slug != cur.slug && cur.publishedAt != nil, By: wc.SavedBy}
	if err := db.writeStory(ctx, tx, id, cur, &plan, now); err != nil {
		return cur, err
	}
	return currentState(ctx, tx, id)
}

// SubmitWorkingCopy marks article id's working copy, at version, as
// submitted for review by by (a contributor's suggested changes to a live
// story); see content.CheckSubmitChanges for the errors. Readers see
// nothing of it. It returns the working copy.
func (db *DB) SubmitWorkingCopy(ctx context.Context, id string, version int, by string) (content.WorkingCopy, error) {
	now := stamp(db.now())
	err := db.withTx(ctx, func(tx *wtx) error {
		if _, err := currentState(ctx, tx, id); err != nil {
			return err
		}
		wc, err := readWorkingCopy(ctx, tx, id)
		if err != nil {
			return err
		}
		lock, err := liveLock(ctx, tx, id, db.now())
		if err != nil {
			return err
		}
		if err := content.CheckSubmitChanges(wc, lock, version, by); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE working_copies SET submitted_by = $1, submitted_at = $2
			WHERE article_id = $3 AND version = $4`, by, now, id, version)
		if err != nil {
			return fmt.Errorf("submit working copy of article %s: %w", id, mapErr(err))
		}
		return nil
	})
	if err != nil {
		return content.WorkingCopy{}, err
	}
	return db.WorkingCopy(ctx, id)
}

// CancelScheduledUpdate cancels the scheduled update of article id's
// working copy, at version, which keeps its changes; see
// content.CheckCancelUpdate for the errors. Readers see nothing of it. It
// returns the working copy.
func (db *DB) CancelScheduledUpdate(ctx context.Context, id string, version int, by string) (content.WorkingCopy, error) {
	err := db.withTx(ctx, func(tx *wtx) error {
		if _, err := currentState(ctx, tx, id); err != nil {
			return err
		}
		wc, err := readWorkingCopy(ctx, tx, id)
		if err != nil {
			return err
		}
		lock, err := liveLock(ctx, tx, id, db.now())
		if err != nil {
			return err
		}
		if err := content.CheckCancelUpdate(wc, lock, version, by); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE working_copies SET publish_at = NULL, update_correction = '', update_by = ''
			WHERE article_id = $1 AND version = $2`, id, version)
		if err != nil {
			return fmt.Errorf("cancel the update of article %s: %w", id, mapErr(err))
		}
		tx.schedule = true
		return nil
	})
	if err != nil {
		return content.WorkingCopy{}, err
	}
	return db.WorkingCopy(ctx, id)
}
