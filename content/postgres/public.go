package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"dateline/content"
)

// The public JSON of published stories, rendered at write time
// (migrations/0007_public_json.sql), as content/sqlite keeps it.
//
// Contract: after every committed write, rows of article_public (the whole
// story) and article_public_items (the list item) exist only for a story
// that is published and not deleted, and hold what Options.Render made of
// the story as it is now, including the slugs of the published stories its
// related links point to, its tags and its authors. The writes that can
// change any of that call refreshPublic in their transaction: the story's
// own saves, status changes, imports and deletion (refreshStory, with the
// stories linking to it when its slug or visibility changed), tag renames,
// merges and deletions, author profile changes, and photo changes. Without
// a renderer these writes delete the rows they would re-render.
//
// A transaction that changed stored JSON readers are served must append an
// outbox event: tryTx rolls back one that did not (errUndeclared), so that
// no reader is served a change no cache, peer or webhook heard of.

// Renderer makes the public JSON of a published story (content/shape's
// Renderer): linked maps the ids of the published stories a's related
// links point to to their slugs.
type Renderer interface {
	Render(a *content.Article, linked map[string]string) (content.PublicJSON, error)
	Key() string
}

// errUndeclared is the error of a write transaction that changed what
// readers see without appending an outbox event.
var errUndeclared = errors.New("a write readers can see appended no outbox event")

// renderBatch is how many stories one statement loads for rendering.
const renderBatch = 200

// refreshStory re-renders (or removes) the public JSON of story id inside
// tx, and with linkers also that of the stories whose related links point
// to id: call it with linkers when id's slug changed or it became or
// stopped being published (or was deleted).
func (db *DB) refreshStory(ctx context.Context, tx *wtx, id string, linkers bool) error {
	ids := []string{id}
	if linkers {
		more, err := storyIDs(ctx, tx, `SELECT DISTINCT article_id FROM article_links WHERE target_article_id = $1`, id)
		if err != nil {
			return err
		}
		ids = append(ids, more...)
	}
	return db.refreshPublic(ctx, tx, ids)
}

// storyIDs runs a query for one column of article ids.
func storyIDs(ctx context.Context, tx *wtx, query string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("stories to re-render: %w", mapErr(err))
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("stories to re-render: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stories to re-render: %w", mapErr(err))
	}
	return ids, nil
}

// storedPublic is what is stored of one story under the render key.
type storedPublic struct {
	slug, keys    string
	full, summary []byte
}

func (s storedPublic) equal(o storedPublic) bool {
	return s.slug == o.slug && s.keys == o.keys && bytes.Equal(s.full, o.full) && bytes.Equal(s.summary, o.summary)
}

// refreshPublic brings the stored public JSON of the stories ids up to
// date inside tx: a published story that is not deleted gets what
// db.render makes of it now, under db.renderKey; any other story, and
// every story when db.render is nil, gets none. A story whose stored JSON
// under the render key this replaces by other bytes, removes or creates
// is recorded on tx (tx.public), which must then append an outbox event.
func (db *DB) refreshPublic(ctx context.Context, tx *wtx, ids []string) error {
	seen := make(map[string]bool, len(ids))
	var uniq []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	for len(uniq) > 0 {
		chunk := uniq[:min(len(uniq), renderBatch)]
		uniq = uniq[len(chunk):]
		before := map[string]storedPublic{}
		rows, err := tx.Query(ctx, `DELETE FROM article_public WHERE article_id = ANY($1)
			RETURNING article_id, render_key, slug, surrogate_keys, public_json`, chunk)
		if err != nil {
			return fmt.Errorf("clear public JSON: %w", mapErr(err))
		}
		for rows.Next() {
			var id, key string
			var s storedPublic
			if err := rows.Scan(&id, &key, &s.slug, &s.keys, &s.full); err != nil {
				rows.Close()
				return fmt.Errorf("clear public JSON: %w", err)
			}
			if key == db.renderKey {
				before[id] = s
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("clear public JSON: %w", mapErr(err))
		}
		rows, err = tx.Query(ctx, `DELETE FROM article_public_items WHERE article_id = ANY($1)
			RETURNING article_id, render_key, summary_json`, chunk)
		if err != nil {
			return fmt.Errorf("clear public list items: %w", mapErr(err))
		}
		for rows.Next() {
			var id, key string
			var summary []byte
			if err := rows.Scan(&id, &key, &summary); err != nil {
				rows.Close()
				return fmt.Errorf("clear public list items: %w", err)
			}
			if s, ok := before[id]; ok && key == db.renderKey {
				s.summary = summary
				before[id] = s
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("clear public list items: %w", mapErr(err))
		}
		after := map[string]storedPublic{}
		if db.render != nil {
			as, err := db.articles(ctx, tx, content.ArticleFilter{IDs: chunk, Statuses: []content.Status{content.StatusPublished},
				Full: true, Limit: len(chunk)})
			if err != nil {
				return err
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
				if _, err := tx.Exec(ctx, `INSERT INTO article_public (article_id, slug, render_key, surrogate_keys, public_json)
					VALUES ($1, $2, $3, $4, $5)`, a.ID, a.Slug, db.renderKey, r.Keys, r.Full); err != nil {
					return fmt.Errorf("store public JSON of article %s: %w", a.ID, mapErr(err))
				}
				if _, err := tx.Exec(ctx, `INSERT INTO article_public_items (article_id, render_key, summary_json) VALUES ($1, $2, $3)`,
					a.ID, db.renderKey, r.Summary); err != nil {
					return fmt.Errorf("store public list item of article %s: %w", a.ID, mapErr(err))
				}
				after[a.ID] = storedPublic{slug: a.Slug, keys: r.Keys, full: r.Full, summary: r.Summary}
			}
		}
		for _, id := range chunk {
			old, had := before[id]
			now, has := after[id]
			if had != has || (had && !old.equal(now)) {
				tx.publicChanged(id)
			}
		}
	}
	return nil
}

// publicChanged records that the transaction changed the stored public
// JSON of story id.
func (tx *wtx) publicChanged(id string) {
	if tx.public == nil {
		tx.public = map[string]bool{}
	}
	tx.public[id] = true
}

// undeclared returns the error of a transaction that changed stored
// public JSON and appended no event, or nil.
func (tx *wtx) undeclared() error {
	if len(tx.public) == 0 || tx.last > 0 {
		return nil
	}
	ids := make([]string, 0, len(tx.public))
	for id := range tx.public {
		ids = append(ids, id)
	}
	return fmt.Errorf("%w: the stored public JSON of %s changed", errUndeclared, strings.Join(ids, ", "))
}

// linkedSlugs returns the slugs of the published stories the related
// links of as point to, by id.
func linkedSlugs(ctx context.Context, tx *wtx, as []*content.Article) (map[string]string, error) {
	linked := map[string]string{}
	var ids []string
	for _, a := range as {
		for _, l := range a.Links {
			if l.ArticleID != "" {
				ids = append(ids, l.ArticleID)
			}
		}
	}
	if len(ids) == 0 {
		return linked, nil
	}
	rows, err := tx.Query(ctx, `SELECT a.id, a.slug FROM articles a WHERE a.id = ANY($1) AND `+public("a"), ids)
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up linked stories: %w", mapErr(err))
	}
	return linked, nil
}

// RerenderPublic stores fresh public JSON for every published story that
// has none or has JSON of another render key (a change of base URL, zone
// or JSON format), in transactions of a few hundred stories, and returns
// how many it rendered. Reads serve correct JSON meanwhile: they build it
// from the tables for stories without a current row. Without a renderer it
// does nothing. JSON stored under another key was never served under this
// one, so storing it changes nothing readers see: no event.
func (db *DB) RerenderPublic(ctx context.Context) (int, error) {
	if db.render == nil {
		return 0, nil
	}
	total, after := 0, ""
	for {
		var ids []string
		err := db.withTx(ctx, func(tx *wtx) error {
			var err error
			ids, err = storyIDs(ctx, tx, `SELECT a.id FROM articles a LEFT JOIN article_public p ON p.article_id = a.id
				WHERE a.id > $1 AND `+public("a")+` AND (p.render_key IS NULL OR p.render_key <> $2)
				ORDER BY a.id LIMIT $3`, after, db.renderKey, renderBatch)
			if err != nil || len(ids) == 0 {
				return err
			}
			if err := db.refreshPublic(ctx, tx, ids); err != nil {
				return err
			}
			tx.public = nil // restored under this key, not changed for its readers
			return nil
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

// PublicBlob returns the stored JSON of the whole published story with
// slug (its current slug; old ones are not looked up). The JSON is read
// into memory of its own (buf, which the SQLite store fills, is not
// used). ok is false, with no error, when there is none rendered under
// key: no renderer, no published story with this slug, or one not
// rendered (yet) under key. The caller then reads the story with Article.
func (db *DB) PublicBlob(ctx context.Context, slug, key string, _ []byte) (content.Blob, bool, error) {
	var b content.Blob
	if db.render == nil {
		return b, false, nil
	}
	var storeKey string
	err := db.pool.QueryRow(ctx, `SELECT p.article_id, p.render_key, p.surrogate_keys, p.public_json
		FROM article_public p JOIN articles a ON a.id = p.article_id
		WHERE p.slug = $1 AND a.slug = p.slug AND `+public("a"), slug).Scan(&b.ID, &storeKey, &b.Keys, &b.JSON)
	if noRows(err) {
		return content.Blob{}, false, nil
	}
	if err != nil {
		return content.Blob{}, false, fmt.Errorf("read stored story %q: %w", slug, mapErr(err))
	}
	if storeKey != key {
		return content.Blob{}, false, nil
	}
	return b, true, nil
}

// ListKeys returns the ids and publication times (no JSON) of the page
// of published stories f selects, from one walk of the index, for the
// delivery API to build the page from the stored list items it holds or
// reads with ListItems. ok is false, with no error, when stored JSON
// cannot answer (no renderer, a search, a filter that is not
// published-only, another order).
func (db *DB) ListKeys(ctx context.Context, f content.ArticleFilter) ([]content.Blob, bool, error) {
	if db.render == nil || f.Query != "" || !f.Published() || f.Full ||
		(f.Sort != "" && f.Sort != content.SortPublished) {
		return nil, false, nil
	}
	query, args := selectArticles(f, "a.id, a.published_at")
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("query stored list items: %w", mapErr(err))
	}
	defer rows.Close()
	bs := []content.Blob{}
	for rows.Next() {
		var b content.Blob
		if err := rows.Scan(&b.ID, &b.PublishedAt); err != nil {
			return nil, false, fmt.Errorf("query stored list items: %w", err)
		}
		bs = append(bs, b)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("query stored list items: %w", mapErr(err))
	}
	return bs, true, nil
}

// SearchHits is ListKeys for the search f.Query among published stories:
// the hits in search order, each with its match (rank and snippet), no
// JSON. ok is false, with no error, when stored JSON cannot answer (no
// renderer, a filter that is not published-only).
func (db *DB) SearchHits(ctx context.Context, f content.ArticleFilter) ([]content.Blob, bool, error) {
	if db.render == nil || f.Query == "" || !f.Published() || f.Full {
		return nil, false, nil
	}
	bs, err := db.searchHits(ctx, db.pool, f)
	if err != nil {
		return nil, false, err
	}
	return bs, true, nil
}

// ListItems returns the stored list items of the stories ids, in order,
// and false when any of them has none under key.
func (db *DB) ListItems(ctx context.Context, ids []string, key string) ([][]byte, bool, error) {
	out := make([][]byte, len(ids))
	if len(ids) == 0 {
		return out, true, nil
	}
	rows, err := db.pool.Query(ctx, `SELECT article_id, summary_json FROM article_public_items
		WHERE render_key = $1 AND article_id = ANY($2)`, key, ids)
	if err != nil {
		return nil, false, fmt.Errorf("read stored list items: %w", mapErr(err))
	}
	defer rows.Close()
	byID := map[string][]byte{}
	for rows.Next() {
		var id string
		var item []byte
		if err := rows.Scan(&id, &item); err != nil {
			return nil, false, fmt.Errorf("read stored list items: %w", err)
		}
		byID[id] = item
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read stored list items: %w", mapErr(err))
	}
	for i, id := range ids {
		if out[i] = byID[id]; out[i] == nil {
			return nil, false, nil
		}
	}
	return out, true, nil
}
