package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dateline/content"
)

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("dry run")

// ImportStories stores one batch of an import in one transaction, each
// story on its own: a story that fails (validation, a reference, a
// constraint) is rolled back alone and reported in its result, and the
// others are stored. What happens to each follows content.DecideReimport
// against what earlier imports of opt.Source made (table import_sources):
// new stories are created, stories an earlier import made are updated,
// left unchanged or kept. Created and updated stories keep the status and
// times they carry, updated_at included; those published write their event
// and get their public JSON in the same transaction. Authors are resolved
// to users (importUser); old slugs become redirects where free.
//
// With opt.DryRun everything is decided and checked as it would be, and
// the transaction is rolled back: the results say what a real run would
// do and nothing is written. The error is for the batch as a whole (the
// database failed, ctx was cancelled); then nothing of the batch is kept.
func (db *DB) ImportStories(ctx context.Context, stories []*content.ImportedStory, opt content.ImportOptions) ([]content.ImportResult, error) {
	if opt.Source == "" {
		return nil, content.Errorf(content.EINVALID, "an import needs a source name")
	}
	var results []content.ImportResult
	written := false
	err := db.withTx(ctx, func(tx *wtx) error {
		results = make([]content.ImportResult, len(stories))
		users := map[string]string{}
		var refresh []string
		for i, s := range stories {
			if err := ctx.Err(); err != nil {
				return err
			}
			r, ids, err := db.importStory(ctx, tx, s, opt, users)
			if err != nil {
				return err
			}
			results[i] = r
			refresh = append(refresh, ids...)
			written = written || r.Action == content.ImportCreated || r.Action == content.ImportUpdated
		}
		if err := db.refreshPublic(ctx, tx, refresh); err != nil {
			return err
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		return results, nil
	}
	if err != nil {
		return nil, err
	}
	if written {
		notify(db.schedules)
		notify(db.events)
	}
	return results, nil
}

// importStory stores one story inside a savepoint of tx. A problem with
// the story itself is its result (ImportFailed, the savepoint rolled back);
// the error is for failures of the database. ids are the stories whose
// public JSON the change touches.
func (db *DB) importStory(ctx context.Context, tx *wtx, s *content.ImportedStory, opt content.ImportOptions,
	users map[string]string) (content.ImportResult, []string, error) {
	r := content.ImportResult{SourceID: s.SourceID}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT import_story"); err != nil {
		return r, nil, fmt.Errorf("import %s: %w", s.SourceID, mapErr(err))
	}
	ids, err := db.importStoryIn(ctx, tx, s, opt, users, &r)
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO import_story"); rerr != nil {
			return r, nil, fmt.Errorf("import %s: %w", s.SourceID, mapErr(rerr))
		}
		// A busy or full database, or a cancelled import, fails the
		// whole batch; anything else belongs to the story.
		if content.ErrorCode(err) == content.EUNAVAILABLE || ctx.Err() != nil {
			return r, nil, err
		}
		r = content.ImportResult{SourceID: s.SourceID, Action: content.ImportFailed, Err: err}
		ids = nil
		clear(users) // users made in the rolled back savepoint are gone
	}
	if _, err := tx.ExecContext(ctx, "RELEASE import_story"); err != nil {
		return r, nil, fmt.Errorf("import %s: %w", s.SourceID, mapErr(err))
	}
	return r, ids, nil
}

func (db *DB) importStoryIn(ctx context.Context, tx *wtx, s *content.ImportedStory, opt content.ImportOptions,
	users map[string]string, r *content.ImportResult) ([]string, error) {
	if s.SourceID == "" {
		return nil, content.Errorf(content.EINVALID, "the story has no id in its source")
	}
	mark, err := importMark(ctx, tx, opt.Source, s.SourceID)
	if err != nil {
		return nil, err
	}
	existing := false // the story's own id is already a story of the newsroom
	if mark == nil && s.ID != "" {
		if mark, err = articleMark(ctx, tx, s.ID); err != nil {
			return nil, err
		}
		existing = mark != nil
	}
	fp := s.Fingerprint()
	action, reason := content.DecideReimport(mark, fp, opt.Update)
	if existing && action == content.ImportKept && !mark.Deleted {
		reason = "already in the newsroom; --update overwrites it"
	}
	r.Action, r.Reason = action, reason
	if mark != nil {
		r.ArticleID = mark.ArticleID
	}
	if action == content.ImportKept || action == content.ImportUnchanged {
		if mark != nil && !mark.Deleted {
			a, err := db.articles(ctx, tx, content.ArticleFilter{ID: &mark.ArticleID, Limit: 1})
			if err != nil {
				return nil, err
			}
			r.NeedsCredit = len(a) == 1 && a[0].Status == content.StatusDraft && a[0].PublishedAt != nil && a[0].Edit.NeedsCredit()
		}
		return nil, nil
	}
	it := s.Import
	it.Edit.AuthorIDs = make([]string, 0, len(s.Authors))
	for _, au := range s.Authors {
		uid, err := db.importUser(ctx, tx, opt.Source, au, users)
		if err != nil {
			return nil, err
		}
		it.Edit.AuthorIDs = append(it.Edit.AuthorIDs, uid)
	}
	var ids []string
	switch action {
	case content.ImportCreated:
		id := ""
		if s.ID != "" {
			if free, err := articleIDFree(ctx, tx, s.ID); err != nil {
				return nil, err
			} else if free {
				id = s.ID
			}
		}
		if id, err = db.insertArticleWith(ctx, tx, it, opt.By, insertOptions{id: id, archive: true}); err != nil {
			return nil, err
		}
		if err := insertOldRevisions(ctx, tx, id, s.Revisions); err != nil {
			return nil, err
		}
		r.ArticleID = id
		ids = append(ids, id)
		if it.Status == content.StatusPublished { // stories already in that link to it show the link now
			more, err := publicIDs(ctx, tx, "links to "+id, "SELECT DISTINCT article_id FROM article_links WHERE target_article_id = ?", id)
			if err != nil {
				return nil, err
			}
			ids = append(ids, more...)
		}
	case content.ImportUpdated:
		more, err := db.updateImported(ctx, tx, mark.ArticleID, it, opt.By)
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	if err := keepOldSlugs(ctx, tx, r.ArticleID, s.OldSlugs, timeText(db.now())); err != nil {
		return nil, err
	}
	var version int
	if err := tx.QueryRowContext(ctx, "SELECT version FROM articles WHERE id = ?", r.ArticleID).Scan(&version); err != nil {
		return nil, fmt.Errorf("read version of article %s: %w", r.ArticleID, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO import_sources (source, kind, source_id, target_id, fingerprint, version, imported_at)
		VALUES (?, 'article', ?, ?, ?, ?, ?)`, opt.Source, s.SourceID, r.ArticleID, fp, version, stampText(db.now())); err != nil {
		return nil, fmt.Errorf("record import of %s: %w", s.SourceID, mapErr(err))
	}
	r.NeedsCredit = s.HeldForCredit
	return ids, nil
}

// importMark reads what an earlier import of source made of sourceID; nil
// when nothing.
func importMark(ctx context.Context, tx *wtx, source, sourceID string) (*content.ImportMark, error) {
	var m content.ImportMark
	var cur sql.NullInt64
	var deleted sql.NullString
	// The story's current version is its working copy's where it has one:
	// changes pending there are local edits too.
	err := tx.QueryRowContext(ctx, `SELECT i.target_id, i.fingerprint, i.version,
		MAX(a.version, COALESCE((SELECT w.version FROM working_copies w WHERE w.article_id = a.id), 0)), a.deleted_at
		FROM import_sources i LEFT JOIN articles a ON a.id = i.target_id
		WHERE i.source = ? AND i.kind = 'article' AND i.source_id = ?`, source, sourceID).
		Scan(&m.ArticleID, &m.Fingerprint, &m.Version, &cur, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read import of %s: %w", sourceID, mapErr(err))
	}
	m.CurrentVersion = int(cur.Int64)
	m.Deleted = !cur.Valid || deleted.Valid
	return &m, nil
}

// articleMark describes article id, which no import made, as a mark that
// only an update overwrites; nil when there is no such article.
func articleMark(ctx context.Context, tx *wtx, id string) (*content.ImportMark, error) {
	var version int
	var deleted sql.NullString
	err := tx.QueryRowContext(ctx, "SELECT version, deleted_at FROM articles WHERE id = ?", id).Scan(&version, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read article %s: %w", id, mapErr(err))
	}
	return &content.ImportMark{ArticleID: id, Version: -1, CurrentVersion: version, Deleted: deleted.Valid}, nil
}

func articleIDFree(ctx context.Context, tx *wtx, id string) (bool, error) {
	var taken bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?)", id).Scan(&taken); err != nil {
		return false, fmt.Errorf("check article id %s: %w", id, mapErr(err))
	}
	return !taken, nil
}

// archiveSlug is pickSlug for an imported story: its own slug when free,
// otherwise a unique one made from it (or from the headline).
func archiveSlug(ctx context.Context, tx *wtx, id, slug, headline string) (string, error) {
	if slug != "" {
		s, err := pickSlug(ctx, tx, id, slug, headline)
		if err == nil || content.ErrorCode(err) != content.EINVALID {
			return s, err
		}
		headline = slug
	}
	return pickSlug(ctx, tx, id, "", headline)
}
