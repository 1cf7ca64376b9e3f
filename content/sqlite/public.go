package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"dateline/content"
)

// The public JSON of published stories, rendered at write time
// (migrations/0006_public_json.sql).
//
// Contract: after every committed write, rows of article_public (the whole
// story) and article_public_items (the list item) exist only for a story
// that is published and not deleted, and hold what Options.Render made of the
// story as it is now, including the slugs of the published stories its
// related links point to, its tags and its authors.
// The writes that can change any of that call refreshPublic in their
// transaction:
//
//   - the story's own saves, status changes, imports and deletion
//     (refreshStory), and with a change of slug or of being published, the
//     stories whose related links point to it (linkers);
//   - tag renames, merges and deletions: the stories carrying the tag;
//   - author name and bio changes: the stories of that author.
//
// Without a renderer these writes delete the rows they would re-render,
// so a process that cannot render never leaves stale JSON behind.

// renderBatch is how many stories one statement loads for rendering, and
// how many RerenderPublic renders per transaction.
const renderBatch = 200

// refreshStory re-renders (or removes) the public JSON of story id inside
// tx, and with linkers also that of the published stories whose related
// links point to id: call it with linkers when id's slug changed or it
// became or stopped being published (or was deleted).
func (db *DB) refreshStory(ctx context.Context, tx *wtx, id string, linkers bool) error {
	ids := []string{id}
	if linkers {
		more, err := publicIDs(ctx, tx, "links to "+id, `SELECT DISTINCT article_id FROM article_links
			WHERE target_article_id = ? AND target_article_id <> ''`, id)
		if err != nil {
			return err
		}
		ids = append(ids, more...)
	}
	return db.refreshPublic(ctx, tx, ids)
}

// tagPublicIDs returns the stories that carry tag tagID.
func tagPublicIDs(ctx context.Context, tx *wtx, tagID int64) ([]string, error) {
	return publicIDs(ctx, tx, fmt.Sprintf("tag %d", tagID), "SELECT article_id FROM article_tags WHERE tag_id = ?", tagID)
}

// authorPublicIDs returns the stories user userID is an author of.
func authorPublicIDs(ctx context.Context, tx *wtx, userID string) ([]string, error) {
	return publicIDs(ctx, tx, "author "+userID, "SELECT article_id FROM article_authors WHERE user_id = ?", userID)
}

// publicIDs runs a query for one column of article ids.
func publicIDs(ctx context.Context, tx *wtx, what, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("stories shown with %s: %w", what, mapErr(err))
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("stories shown with %s: %w", what, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stories shown with %s: %w", what, mapErr(err))
	}
	return ids, nil
}

// refreshPublic brings the stored public JSON of the stories ids up to
// date inside tx: a published story that is not deleted gets what
// db.render makes of it now, under db.renderKey; any other story, and
// every story when db.render is nil, gets none. Each story whose stored
// JSON this changes is recorded on tx (publicChanged), which must then
// append an outbox event; re-rendering a story to the bytes it had under
// the same render key changes nothing.
func (db *DB) refreshPublic(ctx context.Context, tx *wtx, ids []string) error {
	return db.storePublic(ctx, tx, ids, false)
}

// storePublic is refreshPublic. A story counts as changed when its stored
// JSON under db.renderKey is replaced by other bytes or removed, or when it
// had no stored JSON at all and gets some (unless restore: RerenderPublic
// stores what readers were served already, built from the tables). JSON
// stored under another key only replaces what readers were built from
// the tables, which the bytes cannot tell: the write's own event must.
func (db *DB) storePublic(ctx context.Context, tx *wtx, ids []string, restore bool) error {
	seen := make(map[string]bool, len(ids))
	uniq := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	for len(uniq) > 0 {
		chunk := uniq[:min(len(uniq), renderBatch)]
		uniq = uniq[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		// before and after hold what is stored of each story under
		// db.renderKey, before and after the refresh.
		before, after, stored := map[string]string{}, map[string]string{}, map[string]bool{}
		for _, table := range []struct{ name, cols string }{
			{"article_public", "slug, surrogate_keys, public_json"},
			{"article_public_items", "summary_json"},
		} {
			if _, err := clearPublic(ctx, tx, table.name, table.cols, chunk, args, db.renderKey, before, stored); err != nil {
				return err
			}
		}
		var as []*content.Article
		if db.render != nil {
			var err error
			as, err = db.articles(ctx, tx, content.ArticleFilter{IDs: chunk, Statuses: []content.Status{content.StatusPublished},
				Full: true, Limit: len(chunk)})
			if err != nil {
				return err
			}
		}
		if db.render == nil {
			continue
		}
		linked, err := linkedSlugs(ctx, tx, as)
		if err != nil {
			return err
		}
		for _, a := range as {
			r, err := db.render.Render(a, linked)
			if err != nil {
				return fmt.Errorf("render article %s: %w", a.ID, err)
			}
			full := packFastest(packStory(r.Full))
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO article_public
				(article_id, slug, render_key, surrogate_keys, public_json) VALUES (?, ?, ?, ?, ?)`,
				a.ID, a.Slug, db.renderKey, r.Keys, full); err != nil {
				return fmt.Errorf("store public JSON of article %s: %w", a.ID, mapErr(err))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_public_items (article_id, render_key, summary_json) VALUES (?, ?, ?)`,
				a.ID, db.renderKey, packFast(r.Summary)); err != nil {
				return fmt.Errorf("store public list item of article %s: %w", a.ID, mapErr(err))
			}
			after[a.ID] = storedSignature(a.Slug, r.Keys, string(r.Full)) + storedSignature(string(r.Summary))
		}
		for _, id := range chunk {
			old, had := before[id]
			_, now := after[id]
			if (had && old != after[id]) || (!stored[id] && now && !restore) {
				tx.publicChanged(id)
			}
		}
	}
	return nil
}

// clearPublic deletes the rows of table (article_public or
// article_public_items) of the stories ids (args: the same as values) and
// adds to held what the deleted rows of render key key held, in the
// columns cols, by story; stored marks the stories that had a row of any
// key. It returns how many rows it deleted.
func clearPublic(ctx context.Context, tx *wtx, table, cols string, ids []string, args []any, key string, held map[string]string, stored map[string]bool) (int, error) {
	rows, err := tx.QueryContext(ctx, "DELETE FROM "+table+" WHERE article_id IN ("+placeholders(len(ids))+
		") RETURNING article_id, render_key, "+cols, args...)
	if err != nil {
		return 0, fmt.Errorf("clear public JSON: %w", mapErr(err))
	}
	defer rows.Close()
	ncols, deleted := strings.Count(cols, ",")+1, 0
	for rows.Next() {
		var id, rk string
		vals := make([]string, ncols)
		dest := []any{&id, &rk}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return 0, fmt.Errorf("clear public JSON: %w", mapErr(err))
		}
		deleted++
		stored[id] = true
		if rk == key {
			// Compared as readers get them: a value stored packed before
			// and the same value packed otherwise now are one value.
			for i, v := range vals {
				b, err := unpackStory([]byte(v))
				if err != nil {
					return 0, fmt.Errorf("clear public JSON of article %s: %w", id, err)
				}
				vals[i] = string(b)
			}
			held[id] += storedSignature(vals...)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("clear public JSON: %w", mapErr(err))
	}
	return deleted, nil
}

// storedSignature is a digest of stored values (each with its length, so
// that no two lists of values share one): two sets of rows compare equal
// when they hold the same values, and a story's costs 32 bytes to keep
// while its transaction runs, whatever the size of its JSON.
func storedSignature(vals ...string) string {
	h := sha256.New()
	for _, v := range vals {
		h.Write([]byte(strconv.Itoa(len(v)) + ":"))
		h.Write([]byte(v))
	}
	return string(h.Sum(nil))
}

// linkedSlugs returns the slugs of the published stories the related
// links of as point to, by id.
func linkedSlugs(ctx context.Context, q querier, as []*content.Article) (map[string]string, error) {
	linked := map[string]string{}
	var args []any
	for _, a := range as {
		for _, l := range a.Links {
			if l.ArticleID != "" {
				args = append(args, l.ArticleID)
			}
		}
	}
	if len(args) == 0 {
		return linked, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.slug FROM articles a
		WHERE a.id IN (`+placeholders(len(args))+`) AND `+public("a"), args...)
	if err != nil {
		return nil, fmt.Errorf("look up linked stories: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id, slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return nil, fmt.Errorf("look up linked stories: %w", err)
		}
		linked[id] = slug
	}
	return linked, rows.Err()
}

// RerenderPublic stores fresh public JSON for every published story that
// has none or has JSON of another render key (after the migration that
// added it, or a change of base URL, zone or JSON format), and deletes
// stored JSON of anything that is not a published story. It works in
// transactions of a few hundred stories, so writers wait for one batch at
// most, and returns how many stories it rendered. Reads serve correct JSON
// meanwhile: they build it from the tables for stories without a current
// row. Without a renderer it does nothing.
func (db *DB) RerenderPublic(ctx context.Context) (int, error) {
	if db.render == nil {
		return 0, nil
	}
	// Stored JSON of stories readers do not see is never served (reads
	// select published stories only), so deleting it changes nothing
	// they see, and the write appends no event.
	err := db.withTx(ctx, func(tx *wtx) error {
		for _, table := range []string{"article_public", "article_public_items"} {
			_, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE article_id NOT IN
				(SELECT a.id FROM articles a INDEXED BY articles_summary WHERE `+public("a")+`)`)
			if err != nil {
				return fmt.Errorf("clear public JSON of unpublished stories: %w", mapErr(err))
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	total, after := 0, ""
	for {
		var ids []string
		err := db.withTx(ctx, func(tx *wtx) error {
			var err error
			ids, err = publicIDs(ctx, tx, "a stale render key", `SELECT a.id FROM articles a INDEXED BY articles_summary
				LEFT JOIN article_public p ON p.article_id = a.id
				WHERE a.id > ? AND `+public("a")+`
				AND (p.render_key IS NULL OR p.render_key <> ?)
				ORDER BY a.id LIMIT ?`, after, db.renderKey, renderBatch)
			if err != nil || len(ids) == 0 {
				return err
			}
			return db.storePublic(ctx, tx, ids, true)
		})
		if err != nil {
			return total, fmt.Errorf("re-render public JSON: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		total += len(ids)
		after = ids[len(ids)-1]
	}
}

// ListKeys returns the ids and publication times of the published stories
// f selects, in f's order and at most f.Limit of them (as Articles would
// select them), without JSON: the keys of a page whose stored list items
// ListItems reads. ok is false, with no error, when the stored JSON cannot
// answer: no renderer, a search (f.Query), or a filter that is not
// published-only, newest first. The page's keys are read as one string
// ("id time id time …", one step of the statement instead of one per
// story).
func (db *DB) ListKeys(ctx context.Context, f content.ArticleFilter) ([]content.Blob, bool, error) {
	if db.render == nil || f.Query != "" || !f.Published() || f.Full ||
		(f.Sort != "" && f.Sort != content.SortPublished) {
		return nil, false, nil
	}
	query, args := keysQuery(f)
	var joined sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT group_concat(k_id || ' ' || k_time, ' ' ORDER BY k_time DESC, k_id DESC)
		FROM (`+query+`)`, args...).Scan(&joined)
	if err != nil {
		return nil, false, fmt.Errorf("query stored list items: %w", mapErr(err))
	}
	fields := strings.Fields(joined.String)
	if len(fields)%2 != 0 {
		return nil, false, fmt.Errorf("query stored list items: malformed keys %q", joined.String)
	}
	keys := make([]content.Blob, len(fields)/2)
	for i := range keys {
		at, err := parseTime(fields[2*i+1])
		if err != nil {
			return nil, false, err
		}
		keys[i] = content.Blob{ID: fields[2*i], PublishedAt: at}
	}
	return keys, true, nil
}

// ListItems returns the stored list items of the stories ids under key,
// in the order of ids. ok is false, with no error, when one of them has no
// item stored under key.
func (db *DB) ListItems(ctx context.Context, ids []string, key string) ([][]byte, bool, error) {
	out := make([][]byte, len(ids))
	var missing []any
	asked := map[string]bool{}
	for _, id := range ids {
		if !asked[id] {
			asked[id] = true
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, true, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT article_id, summary_json FROM article_public_items
		WHERE render_key = ? AND article_id IN (`+placeholders(len(missing))+`)`, append([]any{key}, missing...)...)
	if err != nil {
		return nil, false, fmt.Errorf("read stored list items: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   string
			raw  sql.RawBytes
			item []byte
		)
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, false, fmt.Errorf("read stored list items: %w", err)
		}
		if item, err = unpackCopy(raw); err != nil {
			return nil, false, fmt.Errorf("read stored list item of article %s: %w", id, err)
		}
		for i, want := range ids {
			if want == id {
				out[i] = item
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read stored list items: %w", mapErr(err))
	}
	for _, item := range out {
		if item == nil {
			return nil, false, nil
		}
	}
	return out, true, nil
}

// tagsOnly reports whether f lists published stories by tags and nothing
// else, newest first: the lists the tag index answers alone. Any other filter field, including ones added later, says no.
func tagsOnly(f content.ArticleFilter) bool {
	plain := content.ArticleFilter{Statuses: f.Statuses, Tags: f.Tags, Sort: f.Sort, After: f.After, Limit: f.Limit}
	return len(f.Tags) > 0 && f.Published() && reflect.DeepEqual(f, plain) &&
		(f.Sort == "" || f.Sort == content.SortPublished)
}

// keysQuery builds the SELECT of the id (k_id) and published_at (k_time)
// of the stories f selects.
//
// A list filtered by tags only walks the tag index alone: its published_at
// is set only while a story is published and not deleted, and a stored
// item exists only for such a story, so a story that is neither has no
// item and the list falls back to reading articles. Other filters take
// articleQuery's conditions.
func keysQuery(f content.ArticleFilter) (string, []any) {
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	if !tagsOnly(f) {
		return selectArticles(f, "a.id AS k_id, a.published_at AS k_time")
	}
	walks := make([]string, 0, len(f.Tags))
	var args []any
	for _, tag := range f.Tags {
		w := "t.tag_id = (SELECT id FROM tags WHERE slug = ?) AND t.published_at IS NOT NULL"
		args = append(args, tag)
		if f.After != nil {
			w += " AND (t.published_at, t.article_id) < (?, ?)"
			args = append(args, timeText(f.After.Time), f.After.ID)
		}
		walks = append(walks, `SELECT t.article_id AS k_id, t.published_at AS k_time FROM article_tags t
			WHERE `+w+` ORDER BY t.published_at DESC, t.article_id DESC LIMIT ?`)
		args = append(args, limit)
	}
	if len(walks) == 1 {
		return walks[0], args
	}
	for i, w := range walks {
		walks[i] = "SELECT * FROM (" + w + ")"
	}
	return "SELECT k_id, k_time FROM (" + strings.Join(walks, " UNION ") + `)
		ORDER BY k_time DESC, k_id DESC LIMIT ?`, append(args, limit)
}

// PublicBlob returns the stored JSON of the whole published story with
// slug (its current slug; old ones are not looked up), appended to buf
// (which may be nil): a caller may recycle the JSON's memory as buf of a
// later read. ok is false, with no error, when there is none rendered under
// key: no renderer, no published story with this slug, or one not
// rendered (yet) under key. The caller then reads the story with Article.
func (db *DB) PublicBlob(ctx context.Context, slug, key string, buf []byte) (content.Blob, bool, error) {
	var b content.Blob
	if db.render == nil {
		return b, false, nil
	}
	// The stored JSON is read as the driver holds it (sql.RawBytes) and
	// unpacked into memory of its own: a story is copied once, not twice.
	rows, err := db.r.QueryContext(ctx, `SELECT p.article_id, p.render_key, p.surrogate_keys, p.public_json
		FROM article_public p JOIN articles a INDEXED BY articles_summary ON a.id = p.article_id
		WHERE p.slug = ? AND a.slug = p.slug AND `+public("a"), slug)
	if err != nil {
		return content.Blob{}, false, fmt.Errorf("read stored story %q: %w", slug, mapErr(err))
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return content.Blob{}, false, fmt.Errorf("read stored story %q: %w", slug, mapErr(err))
		}
		return content.Blob{}, false, nil
	}
	var (
		storeKey string
		stored   sql.RawBytes
	)
	if err := rows.Scan(&b.ID, &storeKey, &b.Keys, &stored); err != nil {
		return content.Blob{}, false, fmt.Errorf("read stored story %q: %w", slug, mapErr(err))
	}
	if storeKey != key {
		return content.Blob{}, false, nil
	}
	if b.JSON, err = appendStory(buf, stored); err != nil {
		return content.Blob{}, false, fmt.Errorf("read stored story %q: %w", slug, err)
	}
	return b, true, nil
}
