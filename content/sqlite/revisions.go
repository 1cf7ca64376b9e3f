package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"dateline/content"
)

// RevisionPolicy says how many revisions the store keeps. The zero value
// keeps every revision of every save.
//
// An autosave (content.Save.Autosave) replaces the story's current
// revision, instead of adding one, where content.FoldAutosave allows it
// with AutosaveWindow: that revision is an autosave by the same user whose
// run began less than AutosaveWindow ago, neither sealed nor held. A
// revision is sealed when readers saw its state (a save of a published
// story, an imported story that is not a draft) or a workflow step left it
// (ChangeStatus); it is held while a preview link names it (HoldRevision).
// Every other save (a manual save, a restore) adds a revision, and every
// save moves the version on.
//
// With Keep > 0 a save of a story also deletes those of its revisions that
// are beyond its newest Keep, older than KeepFor, and neither the current
// one, sealed nor held. Stories nobody saves are left as they are.
type RevisionPolicy struct {
	AutosaveWindow time.Duration // 0: every autosave adds a revision
	Keep           int           // 0: no revision is ever deleted
	KeepFor        time.Duration // revisions younger than this always stay
}

// Revisions returns every revision of article id, newest first.
func (db *DB) Revisions(ctx context.Context, id string) ([]content.Revision, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT version, state, saved_by, saved_at, autosave, published_as_of, published_as_of_by
		FROM revisions WHERE article_id = ? ORDER BY version DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("query revisions of %s: %w", id, mapErr(err))
	}
	defer rows.Close()
	revs := []content.Revision{}
	for rows.Next() {
		r := content.Revision{ArticleID: id}
		var state, at string
		var asOf sql.NullString
		if err := rows.Scan(&r.Version, &state, &r.SavedBy, &at, &r.Autosave, &asOf, &r.PublishedAsOfBy); err != nil {
			return nil, fmt.Errorf("scan revision: %w", err)
		}
		if err := decodeState(state, &r.Edit); err != nil {
			return nil, fmt.Errorf("decode revision %d of %s: %w", r.Version, id, err)
		}
		if r.SavedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		if r.PublishedAsOf, err = parseNullTime(asOf); err != nil {
			return nil, err
		}
		revs = append(revs, r)
	}
	return revs, rows.Err()
}

// HoldRevision keeps the current revision of article id, whose version it
// returns, from being replaced by an autosave or pruned until until: a
// preview link names it. The current revision is the one an editor works
// on: a live story's working copy where it has one (so a preview shows the
// unpublished changes), else the story's own. A missing or deleted article
// is content.ErrNotFound.
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
		res, err := tx.ExecContext(ctx, `UPDATE revisions SET held_until = MAX(COALESCE(held_until, ''), ?)
			WHERE article_id = ? AND version = ?`, timeText(until), id, version)
		if err != nil {
			return fmt.Errorf("hold revision %d of article %s: %w", version, id, mapErr(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("revision %d of article %s: %w", version, id, content.ErrNotFound)
		}
		return nil
	})
	return version, err
}

// revisionWrite is the revision one save leaves.
type revisionWrite struct {
	article  string
	version  int // the version the save gives the story
	edit     *content.Edit
	by       string
	at       string // stored time of the save
	autosave bool
	sealed   bool // readers see this state, or a workflow step made it
}

// insertRevision adds w as a new revision.
func insertRevision(ctx context.Context, tx *wtx, w revisionWrite) error {
	state, err := json.Marshal(w.edit)
	if err != nil {
		return fmt.Errorf("encode revision: %w", err)
	}
	var started *string
	if w.autosave {
		started = &w.at
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO revisions (article_id, version, state, saved_by, saved_at, autosave, started_at, sealed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		w.article, w.version, pack(state), w.by, w.at, w.autosave, started, w.sealed); err != nil {
		return fmt.Errorf("insert revision %d of article %s: %w", w.version, w.article, mapErr(err))
	}
	return nil
}

// writeRevision stores the revision of a save that moved the story from
// version w.version-1 to w.version: it replaces the previous revision where
// content.FoldAutosave says so, and otherwise adds one; then it prunes the
// story's revisions (RevisionPolicy).
func (db *DB) writeRevision(ctx context.Context, tx *wtx, w revisionWrite) error {
	now, err := parseTime(w.at)
	if err != nil {
		return err
	}
	window := db.revisions.AutosaveWindow
	if w.autosave && !w.sealed && window > 0 {
		id, mark, err := revisionMark(ctx, tx, w.article, w.version-1)
		if err != nil {
			return err
		}
		if content.FoldAutosave(mark, content.Save{Autosave: true, By: w.by}, w.sealed, now, window) {
			state, err := json.Marshal(w.edit)
			if err != nil {
				return fmt.Errorf("encode revision: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE revisions SET version = ?, state = ?, saved_at = ? WHERE id = ?",
				w.version, pack(state), w.at, id); err != nil {
				return fmt.Errorf("replace revision %d of article %s: %w", w.version-1, w.article, mapErr(err))
			}
			return db.pruneRevisions(ctx, tx, w.article, now)
		}
	}
	if err := insertRevision(ctx, tx, w); err != nil {
		return err
	}
	return db.pruneRevisions(ctx, tx, w.article, now)
}

// revisionMark reads the row id and the mark of revision version of
// article id; a missing revision (pruned by an older policy) has the zero
// mark, which nothing folds into.
func revisionMark(ctx context.Context, tx *wtx, article string, version int) (int64, content.RevisionMark, error) {
	var id int64
	var m content.RevisionMark
	var started, held sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT id, autosave, saved_by, started_at, sealed, held_until FROM revisions
		WHERE article_id = ? AND version = ?`, article, version).Scan(&id, &m.Autosave, &m.By, &started, &m.Sealed, &held)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, content.RevisionMark{}, nil
	}
	if err != nil {
		return 0, m, fmt.Errorf("read revision %d of article %s: %w", version, article, mapErr(err))
	}
	for _, t := range []struct {
		s   sql.NullString
		out *time.Time
	}{{started, &m.StartedAt}, {held, &m.HeldUntil}} {
		if t.s.Valid {
			if *t.out, err = parseTime(t.s.String); err != nil {
				return 0, m, err
			}
		}
	}
	return id, m, nil
}

// pruneRevisions deletes the revisions of article id that the policy no
// longer keeps (see RevisionPolicy).
func (db *DB) pruneRevisions(ctx context.Context, tx *wtx, id string, now time.Time) error {
	p := db.revisions
	if p.Keep <= 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM revisions
		WHERE article_id = ?1 AND sealed = 0 AND (held_until IS NULL OR held_until <= ?2) AND saved_at < ?3
		AND version < (SELECT version FROM articles WHERE id = ?1)
		AND version < (SELECT MIN(version) FROM (SELECT version FROM revisions WHERE article_id = ?1 ORDER BY version DESC LIMIT ?4))`,
		id, timeText(now), timeText(now.Add(-p.KeepFor)), p.Keep)
	if err != nil {
		return fmt.Errorf("prune revisions of article %s: %w", id, mapErr(err))
	}
	return nil
}

// sealRevision marks the current revision of article id, at version, as
// one a workflow step left: it is never replaced or pruned.
func sealRevision(ctx context.Context, tx *wtx, id string, version int) error {
	if _, err := tx.ExecContext(ctx, "UPDATE revisions SET sealed = 1 WHERE article_id = ? AND version = ?", id, version); err != nil {
		return fmt.Errorf("seal revision %d of article %s: %w", version, id, mapErr(err))
	}
	return nil
}

// StorageStats describes the database file and the revisions in it.
type StorageStats struct {
	FileBytes     int64 // the database's pages (committed WAL frames included) times the page size
	UsedBytes     int64 // FileBytes less the free pages
	Revisions     int64
	RevisionBytes int64 // the stored states of all revisions, as stored (compressed)
}

// StorageStats measures the database and its revisions.
func (db *DB) StorageStats(ctx context.Context) (StorageStats, error) {
	var s StorageStats
	err := db.r.QueryRowContext(ctx, `SELECT
		(SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()),
		(SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()),
		COUNT(*), COALESCE(SUM(LENGTH(CAST(state AS BLOB))), 0) FROM revisions`).Scan(&s.FileBytes, &s.UsedBytes, &s.Revisions, &s.RevisionBytes)
	if err != nil {
		return s, fmt.Errorf("measure storage: %w", mapErr(err))
	}
	return s, nil
}
