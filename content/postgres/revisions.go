package postgres

import (
	"context"
	"fmt"
	"time"

	"dateline/content"
)

// Revisions returns every revision of article id, newest first.
func (db *DB) Revisions(ctx context.Context, id string) ([]content.Revision, error) {
	rows, err := db.pool.Query(ctx, `SELECT version, state, saved_by, saved_at, autosave, published_as_of, published_as_of_by
		FROM revisions WHERE article_id = $1 ORDER BY version DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("query revisions of %s: %w", id, mapErr(err))
	}
	defer rows.Close()
	revs := []content.Revision{}
	for rows.Next() {
		r := content.Revision{ArticleID: id}
		if err := rows.Scan(&r.Version, &r.Edit, &r.SavedBy, &r.SavedAt, &r.Autosave, &r.PublishedAsOf, &r.PublishedAsOfBy); err != nil {
			return nil, fmt.Errorf("scan revision of %s: %w", id, err)
		}
		revs = append(revs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query revisions of %s: %w", id, mapErr(err))
	}
	return revs, nil
}

// Revision returns revision version of article id, or content.ErrNotFound.
func (db *DB) Revision(ctx context.Context, id string, version int) (content.Revision, error) {
	r := content.Revision{ArticleID: id, Version: version}
	err := db.pool.QueryRow(ctx, `SELECT state, saved_by, saved_at, autosave FROM revisions
		WHERE article_id = $1 AND version = $2`, id, version).Scan(&r.Edit, &r.SavedBy, &r.SavedAt, &r.Autosave)
	if noRows(err) {
		return r, fmt.Errorf("revision %d of article %s: %w", version, id, content.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read revision %d of %s: %w", version, id, mapErr(err))
	}
	return r, nil
}

// revisionWrite is the revision one save leaves.
type revisionWrite struct {
	article  string
	version  int // the version the save gives the story
	edit     *content.Edit
	by       string
	at       time.Time // the save's stored time
	autosave bool
	sealed   bool // readers see this state, or a workflow step made it
}

// insertRevision adds w as a new revision.
func insertRevision(ctx context.Context, tx *wtx, w revisionWrite) error {
	var started *time.Time
	if w.autosave {
		started = &w.at
	}
	if _, err := tx.Exec(ctx, `INSERT INTO revisions (article_id, version, state, saved_by, saved_at, autosave, started_at, sealed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		w.article, w.version, w.edit, w.by, w.at, w.autosave, started, w.sealed); err != nil {
		return fmt.Errorf("insert revision %d of article %s: %w", w.version, w.article, mapErr(err))
	}
	return nil
}

// writeRevision stores the revision of a save that moved the story from
// version w.version-1 to w.version: it replaces the previous revision where
// content.FoldAutosave says so, and otherwise adds one; then it prunes the
// story's revisions (RevisionPolicy).
func (db *DB) writeRevision(ctx context.Context, tx *wtx, w revisionWrite) error {
	window := db.revisions.AutosaveWindow
	if w.autosave && !w.sealed && window > 0 {
		mark, found, err := revisionMark(ctx, tx, w.article, w.version-1)
		if err != nil {
			return err
		}
		if found && content.FoldAutosave(mark, content.Save{Autosave: true, By: w.by}, w.sealed, w.at, window) {
			if _, err := tx.Exec(ctx, "UPDATE revisions SET version = $1, state = $2, saved_at = $3 WHERE article_id = $4 AND version = $5",
				w.version, w.edit, w.at, w.article, w.version-1); err != nil {
				return fmt.Errorf("replace revision %d of article %s: %w", w.version-1, w.article, mapErr(err))
			}
			return db.pruneRevisions(ctx, tx, w.article, w.at)
		}
	}
	if err := insertRevision(ctx, tx, w); err != nil {
		return err
	}
	return db.pruneRevisions(ctx, tx, w.article, w.at)
}

// revisionMark reads the mark of revision version of article id; a
// missing revision (pruned by an older policy) is not found, and nothing
// folds into it.
func revisionMark(ctx context.Context, tx *wtx, article string, version int) (content.RevisionMark, bool, error) {
	var m content.RevisionMark
	var started, held *time.Time
	err := tx.QueryRow(ctx, `SELECT autosave, saved_by, started_at, sealed, held_until FROM revisions
		WHERE article_id = $1 AND version = $2`, article, version).Scan(&m.Autosave, &m.By, &started, &m.Sealed, &held)
	if noRows(err) {
		return content.RevisionMark{}, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("read revision %d of article %s: %w", version, article, mapErr(err))
	}
	if started != nil {
		m.StartedAt = *started
	}
	if held != nil {
		m.HeldUntil = *held
	}
	return m, true, nil
}

// pruneRevisions deletes the revisions of article id that the policy no
// longer keeps (see RevisionPolicy).
func (db *DB) pruneRevisions(ctx context.Context, tx *wtx, id string, now time.Time) error {
	p := db.revisions
	if p.Keep <= 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `DELETE FROM revisions
		WHERE article_id = $1 AND NOT sealed AND (held_until IS NULL OR held_until <= $2) AND saved_at < $3
		AND version < (SELECT version FROM articles WHERE id = $1)
		AND version < (SELECT min(version) FROM (SELECT version FROM revisions WHERE article_id = $1 ORDER BY version DESC LIMIT $4) k)`,
		id, now, now.Add(-p.KeepFor), p.Keep)
	if err != nil {
		return fmt.Errorf("prune revisions of article %s: %w", id, mapErr(err))
	}
	return nil
}

// sealRevision marks the current revision of article id, at version, as
// one a workflow step left: it is never replaced or pruned.
func sealRevision(ctx context.Context, tx *wtx, id string, version int) error {
	if _, err := tx.Exec(ctx, "UPDATE revisions SET sealed = true WHERE article_id = $1 AND version = $2", id, version); err != nil {
		return fmt.Errorf("seal revision %d of article %s: %w", version, id, mapErr(err))
	}
	return nil
}

// logPublishedAsOf records on revision version of article id that it was
// published as of the past instant asOf, by by.
func logPublishedAsOf(ctx context.Context, tx *wtx, id string, version int, asOf time.Time, by string) error {
	if _, err := tx.Exec(ctx, "UPDATE revisions SET published_as_of = $1, published_as_of_by = $2 WHERE article_id = $3 AND version = $4",
		asOf, by, id, version); err != nil {
		return fmt.Errorf("log publication as of %s of article %s: %w", asOf, id, mapErr(err))
	}
	return nil
}

// RevisionState returns the stored editable state of a revision as JSON,
// or content.ErrNotFound. (PostgreSQL keeps jsonb in its own form: the
// bytes are the server's rendering of the state, not the ones saved.)
func (db *DB) RevisionState(ctx context.Context, id string, version int) ([]byte, error) {
	var state []byte
	err := db.pool.QueryRow(ctx, "SELECT state::text FROM revisions WHERE article_id = $1 AND version = $2", id, version).Scan(&state)
	if noRows(err) {
		return nil, fmt.Errorf("revision %d of article %s: %w", version, id, content.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read revision %d of %s: %w", version, id, mapErr(err))
	}
	return state, nil
}

// HoldRevision keeps the current revision of article id, whose version it
// returns, from being replaced by an autosave or pruned until until: a
// preview link names it. The current revision is the one an editor works
// on: a live story's working copy where it has one, else the story's own.
// A missing or deleted article is content.ErrNotFound.
func (db *DB) HoldRevision(ctx context.Context, id string, until time.Time) (int, error) {
	var version int
	err := db.withTx(ctx, func(tx *wtx) error {
		cur, err := currentState(ctx, tx, id)
		if err != nil {
			return err
		}
		version = cur.version
		if cur.pending > 0 {
			version = cur.pending
		}
		tag, err := tx.Exec(ctx, `UPDATE revisions SET held_until = GREATEST(held_until, $1)
			WHERE article_id = $2 AND version = $3`, until.UTC(), id, version)
		if err != nil {
			return fmt.Errorf("hold revision %d of article %s: %w", version, id, mapErr(err))
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("revision %d of article %s: %w", version, id, content.ErrNotFound)
		}
		return nil
	})
	return version, err
}
