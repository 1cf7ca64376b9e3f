package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"dateline/content"
)

// WithWorkingCopies returns which of the stories ids have a working copy
// (unpublished changes), for lists that mark them; one query for them all.
func (db *DB) WithWorkingCopies(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool)
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.r.QueryContext(ctx, "SELECT article_id FROM working_copies WHERE article_id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("read working copies: %w", mapErr(err))
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read working copies: %w", mapErr(err))
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read working copies: %w", mapErr(err))
		}
	}
	return out, nil
}

// WorkingCopy returns the working copy of article id: the pending version
// of a live story that readers do not see. A story without one (or a
// missing or deleted story) is content.ErrNotFound.
func (db *DB) WorkingCopy(ctx context.Context, id string) (content.WorkingCopy, error) {
	wc, err := scanWorkingCopy(db.r.QueryRowContext(ctx, workingCopyQuery, id), id)
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
	WHERE w.article_id = ? AND a.deleted_at IS NULL`

// readWorkingCopy returns the working copy of article id inside tx, or nil.
func readWorkingCopy(ctx context.Context, tx *wtx, id string) (*content.WorkingCopy, error) {
	return scanWorkingCopy(tx.QueryRowContext(ctx, workingCopyQuery, id), id)
}

func scanWorkingCopy(row *sql.Row, id string) (*content.WorkingCopy, error) {
	wc := content.WorkingCopy{ArticleID: id}
	var state, savedAt string
	var publishAt, submittedAt sql.NullString
	err := row.Scan(&state, &wc.Version, &wc.Base, &wc.SavedBy, &savedAt, &publishAt,
		&wc.UpdateCorrection, &wc.UpdateBy, &wc.SubmittedBy, &submittedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read working copy of article %s: %w", id, mapErr(err))
	}
	if err := json.Unmarshal([]byte(state), &wc.Edit); err != nil {
		return nil, fmt.Errorf("decode working copy of article %s: %w", id, err)
	}
	if wc.SavedAt, err = parseTime(savedAt); err != nil {
		return nil, err
	}
	if wc.PublishAt, err = parseNullTime(publishAt); err != nil {
		return nil, err
	}
	if wc.SubmittedAt, err = parseNullTime(submittedAt); err != nil {
		return nil, err
	}
	return &wc, nil
}

// writePending persists plan, a save of live story id (cur before it) that
// goes to its working copy, at now: the working copy (started from the
// story's version if it had none) and the save's revision, nothing else.
// Readers see none of it, so the caller's transaction is unseen.
func (db *DB) writePending(ctx context.Context, tx *wtx, id string, cur state, plan content.SavePlan, now string) error {
	e := plan.Edit
	if err := checkReferences(ctx, tx, id, &e, false); err != nil {
		return err
	}
	b, err := json.Marshal(&e)
	if err != nil {
		return fmt.Errorf("encode working copy: %w", err)
	}
	var res sql.Result
	if cur.pending == 0 {
		res, err = tx.ExecContext(ctx, `INSERT INTO working_copies (article_id, state, version, base_version, saved_by, saved_at)
			VALUES (?, ?, ?, ?, ?, ?)`, id, string(b), plan.Version, cur.version, plan.By, now)
	} else {
		res, err = tx.ExecContext(ctx, `UPDATE working_copies SET state = ?, version = ?, saved_by = ?, saved_at = ?
			WHERE article_id = ? AND version = ?`, string(b), plan.Version, plan.By, now, id, plan.Version-1)
	}
	if err != nil {
		return fmt.Errorf("save working copy of article %s: %w", id, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return content.Errorf(content.ECONFLICT, "the story's working copy moved on while you were editing; reload it")
	}
	rev := revisionWrite{article: id, version: plan.Version, edit: &e, by: plan.By, at: now, autosave: plan.Autosave}
	return db.writeRevision(ctx, tx, rev)
}

// PublishWorkingCopy carries out u, the Update of article id's working
// copy, as content.PlanUpdate decides it. Published now, the working copy
// becomes the story (its version, a new updated_at, a correction if u has
// one, a moved slug with its redirect) and is dropped, its revision is
// sealed, the stored public JSON is rewritten and, for a published story,
// one article.updated event is written, all in one transaction. With
// u.PublishAt the update is only scheduled: the working copy keeps the time
// and correction, and the scheduler publishes it then (u.Due: one
// conditional claim, so it happens once however many processes try). It
// returns the story as it stands after.
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
		if plan.Schedule { // only the schedule of the working copy changes: no event
			_, err := tx.ExecContext(ctx, `UPDATE working_copies SET publish_at = ?, update_correction = ?, update_by = ?
				WHERE article_id = ? AND version = ?`, optDue(plan.PublishAt), plan.Correction, plan.By, id, plan.Version)
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
	notify(db.schedules)
	notify(db.events)
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// writeUpdate persists plan, the Update of story id (cur before it), at
// at: first the claim (the working copy is deleted only if it is still at
// plan.Version or, for a due update, its time has come), then the story
// written as a save of plan.Edit, the revision sealed.
func (db *DB) writeUpdate(ctx context.Context, tx *wtx, id string, cur state, plan content.UpdatePlan, due bool, at time.Time) error {
	var res sql.Result
	var err error
	if due {
		res, err = tx.ExecContext(ctx, "DELETE FROM working_copies WHERE article_id = ? AND version = ? AND publish_at <= ?",
			id, plan.Version, timeText(at))
	} else {
		res, err = tx.ExecContext(ctx, "DELETE FROM working_copies WHERE article_id = ? AND version = ?", id, plan.Version)
	}
	if err != nil {
		return fmt.Errorf("claim working copy of article %s: %w", id, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return content.Errorf(content.ECONFLICT, "the story's update is not due or was carried out already")
	}
	save := content.SavePlan{Edit: plan.Edit, Rendered: plan.Rendered, Version: plan.Version,
		SlugChanged: plan.SlugChanged, KeepOldSlug: plan.KeepOldSlug, Correction: plan.Correction,
		Visible: plan.Visible, Event: plan.Event, By: plan.By}
	if err := db.writeStory(ctx, tx, id, cur, &save, stampText(plan.UpdatedAt)); err != nil {
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
		res, err := tx.ExecContext(ctx, "DELETE FROM working_copies WHERE article_id = ? AND version = ?", id, plan.Dropped)
		if err != nil {
			return fmt.Errorf("discard working copy of article %s: %w", id, mapErr(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return content.Errorf(content.ECONFLICT, "the story's working copy moved on; reload it")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.Article(ctx, content.ArticleFilter{ID: &id})
}

// SubmitWorkingCopy marks article id's working copy, at version, as
// submitted for review by by (a contributor's suggested changes to a live
// story); see content.CheckSubmitChanges for the errors. Readers see
// nothing of it. It returns the working copy.
func (db *DB) SubmitWorkingCopy(ctx context.Context, id string, version int, by string) (content.WorkingCopy, error) {
	clock := stampText(db.now())
	err := db.withTx(ctx, func(tx *wtx) error {
		wc, err := readWorkingCopy(ctx, tx, id)
		if err != nil {
			return err
		}
		lock, err := liveLock(ctx, tx, id, timeText(db.now()))
		if err != nil {
			return err
		}
		if err := content.CheckSubmitChanges(wc, lock, version, by); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE working_copies SET submitted_by = ?, submitted_at = ?
			WHERE article_id = ? AND version = ?`, by, clock, id, version)
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
		wc, err := readWorkingCopy(ctx, tx, id)
		if err != nil {
			return err
		}
		lock, err := liveLock(ctx, tx, id, timeText(db.now()))
		if err != nil {
			return err
		}
		if err := content.CheckCancelUpdate(wc, lock, version, by); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE working_copies SET publish_at = NULL, update_correction = '', update_by = ''
			WHERE article_id = ? AND version = ?`, id, version)
		if err != nil {
			return fmt.Errorf("cancel the update of article %s: %w", id, mapErr(err))
		}
		return nil
	})
	if err != nil {
		return content.WorkingCopy{}, err
	}
	notify(db.schedules)
	return db.WorkingCopy(ctx, id)
}

// foldPending makes story id's working copy its own editable state, in a
// workflow step that leaves the live statuses (content.ChangePlan's
// FoldPending): written like a save readers do not see, at the working
// copy's version, and dropped. It returns the story's state after.
func (db *DB) foldPending(ctx context.Context, tx *wtx, id string, cur state, now string) (state, error) {
	wc, err := readWorkingCopy(ctx, tx, id)
	if err != nil || wc == nil {
		return cur, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM working_copies WHERE article_id = ?", id); err != nil {
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
