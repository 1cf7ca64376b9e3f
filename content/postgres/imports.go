package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/google/uuid"

	"dateline/auth"
	"dateline/content"
)

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("dry run")

// ImportStories stores one batch of an import in one transaction, each
// story on its own, as content/sqlite's ImportStories does: a story that
// fails (validation, a reference, a constraint) is rolled back alone (a
// savepoint) and reported in its result, and the others are stored. What
// happens to each follows content.DecideReimport against what earlier
// imports of opt.Source made (table import_sources): new stories are
// created, stories an earlier import made are updated, left unchanged or
// kept. Created and updated stories keep the status and times they carry;
// those published write their event in the same transaction. Authors are
// resolved to users (importUser); old slugs become redirects where free.
//
// With opt.DryRun everything is decided and checked as it would be, and
// the transaction is rolled back. The error is for the batch as a whole
// (the database failed, ctx was cancelled); then nothing of it is kept.
func (db *DB) ImportStories(ctx context.Context, stories []*content.ImportedStory, opt content.ImportOptions) ([]content.ImportResult, error) {
	if opt.Source == "" {
		return nil, content.Errorf(content.EINVALID, "an import needs a source name")
	}
	var results []content.ImportResult
	err := db.withTx(ctx, func(tx *wtx) error {
		results = make([]content.ImportResult, len(stories))
		users := map[string]string{}
		for i, s := range stories {
			if err := ctx.Err(); err != nil {
				return err
			}
			r, err := db.importStory(ctx, tx, s, opt, users)
			if err != nil {
				return err
			}
			results[i] = r
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
	return results, nil
}

// importStory stores one story inside a savepoint of tx. A problem with
// the story itself is its result (ImportFailed, the savepoint rolled back);
// the error is for failures of the database.
func (db *DB) importStory(ctx context.Context, tx *wtx, s *content.ImportedStory, opt content.ImportOptions, users map[string]string) (content.ImportResult, error) {
	r := content.ImportResult{SourceID: s.SourceID}
	if _, err := tx.Exec(ctx, "SAVEPOINT import_story"); err != nil {
		return r, fmt.Errorf("import %s: %w", s.SourceID, mapErr(err))
	}
	last, schedule, pub := tx.last, tx.schedule, maps.Clone(tx.public)
	if err := db.importStoryIn(ctx, tx, s, opt, users, &r); err != nil {
		if _, rerr := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT import_story"); rerr != nil {
			return r, fmt.Errorf("import %s: %w", s.SourceID, mapErr(rerr))
		}
		// A busy database, a conflict the server resolved by aborting,
		// or a cancelled import fails the whole batch; anything else
		// belongs to the story.
		if content.ErrorCode(mapErr(err)) == content.EUNAVAILABLE || retryable(err) || ctx.Err() != nil {
			return r, err
		}
		r = content.ImportResult{SourceID: s.SourceID, Action: content.ImportFailed, Err: mapErr(err)}
		tx.last, tx.schedule, tx.public = last, schedule, pub // the story's events and JSON are gone
		clear(users)                                          // users made in the rolled back savepoint are gone
	}
	if _, err := tx.Exec(ctx, "RELEASE SAVEPOINT import_story"); err != nil {
		return r, fmt.Errorf("import %s: %w", s.SourceID, mapErr(err))
	}
	return r, nil
}

func (db *DB) importStoryIn(ctx context.Context, tx *wtx, s *content.ImportedStory, opt content.ImportOptions,
	users map[string]string, r *content.ImportResult) error {
	if s.SourceID == "" {
		return content.Errorf(content.EINVALID, "the story has no id in its source")
	}
	mark, err := importMark(ctx, tx, opt.Source, s.SourceID)
	if err != nil {
		return err
	}
	existing := false // the story's own id is already a story of the newsroom
	if mark == nil && s.ID != "" {
		if mark, err = articleMark(ctx, tx, s.ID); err != nil {
			return err
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
				return err
			}
			r.NeedsCredit = len(a) == 1 && a[0].Status == content.StatusDraft && a[0].PublishedAt != nil && a[0].Edit.NeedsCredit()
		}
		return nil
	}
	it := s.Import
	it.Edit.AuthorIDs = make([]string, 0, len(s.Authors))
	for _, au := range s.Authors {
		uid, err := db.importUser(ctx, tx, opt.Source, au, users)
		if err != nil {
			return err
		}
		it.Edit.AuthorIDs = append(it.Edit.AuthorIDs, uid)
	}
	switch action {
	case content.ImportCreated:
		id := ""
		if s.ID != "" {
			if free, err := articleIDFree(ctx, tx, s.ID); err != nil {
				return err
			} else if free {
				id = s.ID
			}
		}
		if id, err = db.insertArticleWith(ctx, tx, it, opt.By, insertOptions{id: id, archive: true}); err != nil {
			return err
		}
		if err := insertOldRevisions(ctx, tx, id, s.Revisions); err != nil {
			return err
		}
		r.ArticleID = id
	case content.ImportUpdated:
		if err := db.updateImported(ctx, tx, mark.ArticleID, it, opt.By); err != nil {
			return err
		}
	}
	now := stamp(db.now())
	if err := keepOldSlugs(ctx, tx, r.ArticleID, s.OldSlugs, now); err != nil {
		return err
	}
	if err := db.refreshStory(ctx, tx, r.ArticleID, true); err != nil {
		return err
	}
	var version int
	if err := tx.QueryRow(ctx, "SELECT version FROM articles WHERE id = $1", r.ArticleID).Scan(&version); err != nil {
		return fmt.Errorf("read version of article %s: %w", r.ArticleID, mapErr(err))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO import_sources (source, kind, source_id, target_id, fingerprint, version, imported_at)
		VALUES ($1, 'article', $2, $3, $4, $5, $6)
		ON CONFLICT (source, kind, source_id) DO UPDATE SET target_id = excluded.target_id, fingerprint = excluded.fingerprint,
			version = excluded.version, imported_at = excluded.imported_at`,
		opt.Source, s.SourceID, r.ArticleID, fp, version, now); err != nil {
		return fmt.Errorf("record import of %s: %w", s.SourceID, mapErr(err))
	}
	r.NeedsCredit = s.HeldForCredit
	return nil
}

// importMark reads what an earlier import of source made of sourceID; nil
// when nothing.
func importMark(ctx context.Context, tx *wtx, source, sourceID string) (*content.ImportMark, error) {
	var m content.ImportMark
	var cur *int
	var deleted *time.Time
	// The story's current version is its working copy's where it has one:
	// changes pending there are local edits too.
	err := tx.QueryRow(ctx, `SELECT i.target_id, i.fingerprint, i.version,
		GREATEST(a.version, COALESCE((SELECT w.version FROM working_copies w WHERE w.article_id = a.id), 0)), a.deleted_at
		FROM import_sources i LEFT JOIN articles a ON a.id = i.target_id
		WHERE i.source = $1 AND i.kind = 'article' AND i.source_id = $2`, source, sourceID).
		Scan(&m.ArticleID, &m.Fingerprint, &m.Version, &cur, &deleted)
	if noRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read import of %s: %w", sourceID, mapErr(err))
	}
	if cur != nil {
		m.CurrentVersion = *cur
	}
	m.Deleted = cur == nil || deleted != nil
	return &m, nil
}

// articleMark describes article id, which no import made, as a mark that
// only an update overwrites; nil when there is no such article.
func articleMark(ctx context.Context, tx *wtx, id string) (*content.ImportMark, error) {
	var version int
	var deleted *time.Time
	err := tx.QueryRow(ctx, "SELECT version, deleted_at FROM articles WHERE id = $1", id).Scan(&version, &deleted)
	if noRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read article %s: %w", id, mapErr(err))
	}
	return &content.ImportMark{ArticleID: id, Version: -1, CurrentVersion: version, Deleted: deleted != nil}, nil
}

func articleIDFree(ctx context.Context, tx *wtx, id string) (bool, error) {
	var taken bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM articles WHERE id = $1)", id).Scan(&taken); err != nil {
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

// insertOldRevisions puts revs (oldest first) below the one revision a
// new story has: they become versions 1…n, keeping their state, time and
// saver, and the story's own state n+1. They are sealed: retention keeps
// them.
func insertOldRevisions(ctx context.Context, tx *wtx, id string, revs []content.Revision) error {
	if len(revs) == 0 {
		return nil
	}
	n := len(revs)
	if _, err := tx.Exec(ctx, "UPDATE revisions SET version = $1 WHERE article_id = $2 AND version = 1", n+1, id); err != nil {
		return fmt.Errorf("renumber revision of article %s: %w", id, mapErr(err))
	}
	if _, err := tx.Exec(ctx, "UPDATE articles SET version = $1 WHERE id = $2", n+1, id); err != nil {
		return fmt.Errorf("renumber article %s: %w", id, mapErr(err))
	}
	for i, r := range revs {
		e := r.Edit
		w := revisionWrite{article: id, version: i + 1, edit: &e, by: r.SavedBy, at: stamp(r.SavedAt), autosave: r.Autosave, sealed: true}
		if err := insertRevision(ctx, tx, w); err != nil {
			return err
		}
	}
	return nil
}

// keepOldSlugs makes each old slug a redirect to article id, unless it is
// not a valid slug, is the story's own, or another story holds it (as its
// slug or a redirect), which an import never takes away.
func keepOldSlugs(ctx context.Context, tx *wtx, id string, slugs []string, now time.Time) error {
	for _, s := range slugs {
		if !content.ValidSlug(s) {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO slug_redirects (slug, article_id, created_at)
			SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM articles WHERE slug = $1)
			ON CONFLICT (slug) DO NOTHING`, s, id, now); err != nil {
			return fmt.Errorf("keep old slug %q: %w", s, mapErr(err))
		}
	}
	return nil
}

// importUser returns the user an imported author stands for: the one an
// earlier import of source made for the same key, else an existing user
// with the author's id or email (linked, never changed), else a new user
// made from the author: inactive, without a password, a contributor, with
// the author's id and slug where free. An author without an email address
// gets one under the reserved domain import.invalid until an admin sets
// the real one. cache holds the keys already resolved in this transaction.
func (db *DB) importUser(ctx context.Context, tx *wtx, source string, au content.ImportAuthor, cache map[string]string) (string, error) {
	key := strings.TrimSpace(au.Key)
	if key == "" {
		key = strings.ToLower(strings.TrimSpace(au.Email))
	}
	if key == "" {
		key = strings.TrimSpace(au.Name)
	}
	if key == "" {
		return "", &content.Error{Code: content.EINVALID, Message: "validation failed",
			Fields: []content.FieldError{{Field: "authors", Message: "an author needs a name, an email or an id"}}}
	}
	if id, ok := cache[key]; ok {
		return id, nil
	}
	id, err := findImportUser(ctx, tx, source, key, au)
	if err != nil {
		return "", err
	}
	if id == "" {
		if id, err = db.insertImportUser(ctx, tx, key, au); err != nil {
			return "", err
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO import_sources (source, kind, source_id, target_id, imported_at)
		VALUES ($1, 'user', $2, $3, $4)
		ON CONFLICT (source, kind, source_id) DO UPDATE SET target_id = excluded.target_id, imported_at = excluded.imported_at`,
		source, key, id, stamp(db.now())); err != nil {
		return "", fmt.Errorf("record import of author %s: %w", key, mapErr(err))
	}
	cache[key] = id
	return id, nil
}

func findImportUser(ctx context.Context, tx *wtx, source, key string, au content.ImportAuthor) (string, error) {
	var id string
	err := tx.QueryRow(ctx, `SELECT u.id FROM import_sources i JOIN users u ON u.id = i.target_id
		WHERE i.source = $1 AND i.kind = 'user' AND i.source_id = $2`, source, key).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !noRows(err) {
		return "", fmt.Errorf("look up author %s: %w", key, mapErr(err))
	}
	for _, q := range []struct{ cond, arg string }{{"id = $1", au.ID}, {"lower(email) = lower($1)", strings.TrimSpace(au.Email)}} {
		if q.arg == "" {
			continue
		}
		err := tx.QueryRow(ctx, "SELECT id FROM users WHERE "+q.cond, q.arg).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !noRows(err) {
			return "", fmt.Errorf("look up author %s: %w", key, mapErr(err))
		}
	}
	return "", nil
}

func (db *DB) insertImportUser(ctx context.Context, tx *wtx, key string, au content.ImportAuthor) (string, error) {
	name, bio := strings.TrimSpace(au.Name), strings.TrimSpace(au.Bio)
	if name == "" {
		name = key
	}
	var p content.Problems
	auth.CheckProfile(&p, name, bio)
	if len(p) > 0 {
		for i := range p {
			p[i].Field = "authors[" + key + "]." + p[i].Field
		}
		return "", p.Err()
	}
	id := au.ID
	if _, err := uuid.Parse(id); err != nil || id == "" || !userFree(ctx, tx, "id = $1", id) {
		uid, err := uuid.NewV7()
		if err != nil {
			return "", fmt.Errorf("user id: %w", err)
		}
		id = uid.String()
	}
	email := strings.TrimSpace(au.Email)
	var ep content.Problems
	if auth.CheckEmail(&ep, email); len(ep) > 0 || !userFree(ctx, tx, "lower(email) = lower($1)", email) {
		base := content.Slugify(key)
		if base == "" {
			base = content.Slugify(id)
		}
		email = content.UniqueSlug(base, func(s string) bool { return !userFree(ctx, tx, "lower(email) = lower($1)", s+"@import.invalid") }) + "@import.invalid"
	}
	slug := au.Slug
	if !content.ValidSlug(slug) || !userFree(ctx, tx, "slug = $1", slug) {
		var err error
		if slug, err = userSlug(ctx, tx, name, id); err != nil {
			return "", err
		}
	}
	now := db.now()
	if _, err := tx.Exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES ($1, $2, $3, $4, $5, 'contributor', '', 1, false, $6, $6)`,
		id, email, name, slug, bio, now); err != nil {
		return "", fmt.Errorf("insert imported author %s: %w", key, mapErr(err))
	}
	return id, nil
}

// userFree reports whether no user matches cond (a fixed condition on $1)
// with value; a failed look-up counts as taken.
func userFree(ctx context.Context, tx *wtx, cond, value string) bool {
	var taken bool
	err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE "+cond+")", value).Scan(&taken)
	return err == nil && !taken
}

// ImportTag brings a tag of an import file (a Dateline export's tag with
// its description): a tag whose slug is free is created; an existing one
// with the same name and description is unchanged, with others it is kept
// unless opt.Update, which sets its name and description. A dry run
// checks and writes nothing. Invalid tags fail with EINVALID.
func (db *DB) ImportTag(ctx context.Context, t content.Tag, opt content.ImportOptions) (content.ImportAction, error) {
	edit := content.TagEdit{Name: &t.Name, Description: &t.Description}
	if t.Slug != "" {
		edit.Slug = &t.Slug
	}
	if err := edit.Normalize(true); err != nil {
		return content.ImportFailed, err
	}
	slug := content.Slugify(*edit.Name)
	if edit.Slug != nil && *edit.Slug != "" {
		slug = *edit.Slug
	}
	cur, err := db.Tag(ctx, content.TagFilter{Slug: &slug})
	switch {
	case errors.Is(err, content.ErrNotFound):
		if opt.DryRun {
			return content.ImportCreated, nil
		}
		if _, err := db.CreateTag(ctx, edit); err != nil {
			return content.ImportFailed, err
		}
		return content.ImportCreated, nil
	case err != nil:
		return content.ImportFailed, err
	case cur.Name == *edit.Name && cur.Description == *edit.Description:
		return content.ImportUnchanged, nil
	case !opt.Update:
		return content.ImportKept, nil
	case opt.DryRun:
		return content.ImportUpdated, nil
	}
	if _, err := db.UpdateTag(ctx, slug, content.TagEdit{Name: edit.Name, Description: edit.Description}); err != nil {
		return content.ImportFailed, err
	}
	return content.ImportUpdated, nil
}
