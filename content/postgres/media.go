package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"dateline/content"
)

const mediaColumns = `m.id, m.file_name, m.content_type, m.width, m.height, m.size, m.caption, m.credit, m.alt,
	COALESCE(m.uploaded_by, ''), m.created_at, m.focus_x, m.focus_y, m.renditions_error,
	EXISTS (SELECT 1 FROM rendition_jobs j WHERE j.media_id = m.id)`

// CreateMedia records an uploaded image whose file is already in the media
// store under m.FileName, and queues the making of its renditions, in one
// transaction. ID, FileName, ContentType and the dimensions come from the
// caller; the focal point is the centre; CreatedAt is set here.
func (db *DB) CreateMedia(ctx context.Context, m content.Media) (content.Media, error) {
	now := db.now()
	err := db.withTx(ctx, func(tx *wtx) error {
		_, err := tx.Exec(ctx, `INSERT INTO media (id, file_name, content_type, width, height, size, caption, credit, alt, uploaded_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULLIF($10, ''), $11)`,
			m.ID, m.FileName, m.ContentType, m.Width, m.Height, m.Size, m.Caption, m.Credit, m.Alt, m.UploadedBy, now)
		if err != nil {
			return fmt.Errorf("insert media %s: %w", m.ID, mapErr(err))
		}
		return queueRenditions(ctx, tx, m.ID, now)
	})
	if err != nil {
		return content.Media{}, err
	}
	return db.mediaItem(ctx, db.pool, m.ID)
}

// queueRenditions queues (again) the making of media item id's renditions.
func queueRenditions(ctx context.Context, tx *wtx, id string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO rendition_jobs (media_id, run_after, created_at) VALUES ($1, $2, $2)
		ON CONFLICT (media_id) DO UPDATE SET seq = rendition_jobs.seq + 1, attempts = 0, run_after = excluded.run_after,
		leased_until = NULL, last_error = ''`, id, now)
	if err != nil {
		return fmt.Errorf("queue renditions of media %s: %w", id, mapErr(err))
	}
	return nil
}

// MediaItems returns media items, newest first, at most f.Limit (default
// content.DefaultLimit) of them, with their renditions.
func (db *DB) MediaItems(ctx context.Context, f content.MediaFilter) ([]content.Media, error) {
	return db.mediaItems(ctx, db.pool, f)
}

// MediaItem returns media item id with its renditions, or
// content.ErrNotFound.
func (db *DB) MediaItem(ctx context.Context, id string) (content.Media, error) {
	return db.mediaItem(ctx, db.pool, id)
}

func (db *DB) mediaItem(ctx context.Context, q querier, id string) (content.Media, error) {
	ms, err := db.mediaItems(ctx, q, content.MediaFilter{ID: &id, Limit: 1})
	if err != nil {
		return content.Media{}, err
	}
	if len(ms) == 0 {
		return content.Media{}, fmt.Errorf("media %s: %w", id, content.ErrNotFound)
	}
	return ms[0], nil
}

func (db *DB) mediaItems(ctx context.Context, q querier, f content.MediaFilter) ([]content.Media, error) {
	var p params
	var cond []string
	if f.ID != nil {
		cond = append(cond, "m.id = "+p.add(*f.ID))
	}
	if q := strings.TrimSpace(f.Query); q != "" { // case-insensitive, as SQLite's LIKE is for ASCII
		like := p.add("%" + likeEscaper.Replace(q) + "%")
		cond = append(cond, `(m.caption ILIKE `+like+` ESCAPE '\' OR m.credit ILIKE `+like+` ESCAPE '\' OR m.file_name ILIKE `+like+` ESCAPE '\')`)
	}
	if f.After != nil {
		cond = append(cond, "(m.created_at, m.id) < ("+p.add(f.After.Time.UTC())+", "+p.add(f.After.ID)+")")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	query := "SELECT " + mediaColumns + " FROM media m"
	if len(cond) > 0 {
		query += " WHERE " + strings.Join(cond, " AND ")
	}
	query += " ORDER BY m.created_at DESC, m.id DESC LIMIT " + p.add(limit)
	rows, err := q.Query(ctx, query, p...)
	if err != nil {
		return nil, fmt.Errorf("query media: %w", mapErr(err))
	}
	defer rows.Close()
	ms := []content.Media{}
	for rows.Next() {
		var m content.Media
		if err := rows.Scan(&m.ID, &m.FileName, &m.ContentType, &m.Width, &m.Height, &m.Size,
			&m.Caption, &m.Credit, &m.Alt, &m.UploadedBy, &m.CreatedAt, &m.Focus.X, &m.Focus.Y, &m.RenditionsError, &m.RenditionsPending); err != nil {
			return nil, fmt.Errorf("scan media: %w", err)
		}
		m.URL = "/media/" + m.FileName
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query media: %w", mapErr(err))
	}
	rows.Close()
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	byID, err := renditionsOf(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		ms[i].Renditions = byID[ms[i].ID]
		if ms[i].Renditions == nil {
			ms[i].Renditions = []content.Rendition{}
		}
		ms[i].ThumbnailURL = content.Thumbnail(ms[i].Renditions, ms[i].URL)
	}
	return ms, nil
}

// renditionsOf loads the renditions of the media items ids: by crop (the
// whole image first), then content type, then width.
func renditionsOf(ctx context.Context, q querier, ids []string) (map[string][]content.Rendition, error) {
	out := map[string][]content.Rendition{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT media_id, crop, content_type, width, height, size, file_name
		FROM media_renditions WHERE media_id = ANY($1) ORDER BY media_id, crop, content_type, width`, ids)
	if err != nil {
		return nil, fmt.Errorf("query renditions: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var r content.Rendition
		if err := rows.Scan(&id, &r.Crop, &r.ContentType, &r.Width, &r.Height, &r.Size, &r.FileName); err != nil {
			return nil, fmt.Errorf("scan rendition: %w", err)
		}
		r.URL = "/media/" + r.FileName
		out[id] = append(out[id], r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query renditions: %w", mapErr(err))
	}
	return out, nil
}

// UpdateMedia changes the default caption, credit and alt text and the
// focal point of media item id; it validates u first. A focal point that
// differs from the stored one queues the renditions to be made again and,
// since stories show it, writes an article.updated event for every
// published story with the photo. The caption, credit and alt text are
// defaults for photos to come, which stories do not show.
func (db *DB) UpdateMedia(ctx context.Context, id string, u content.MediaUpdate) (content.Media, error) {
	if err := u.Validate(); err != nil {
		return content.Media{}, err
	}
	var fx, fy *float64
	if u.Focus != nil {
		fx, fy = &u.Focus.X, &u.Focus.Y
	}
	err := db.withTx(ctx, func(tx *wtx) error {
		var cur content.Focus
		err := tx.QueryRow(ctx, "SELECT focus_x, focus_y FROM media WHERE id = $1 FOR UPDATE", id).Scan(&cur.X, &cur.Y)
		if noRows(err) {
			return fmt.Errorf("media %s: %w", id, content.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read media %s: %w", id, mapErr(err))
		}
		_, err = tx.Exec(ctx, `UPDATE media SET caption = COALESCE($1, caption), credit = COALESCE($2, credit),
			alt = COALESCE($3, alt), focus_x = COALESCE($4, focus_x), focus_y = COALESCE($5, focus_y) WHERE id = $6`,
			u.Caption, u.Credit, u.Alt, fx, fy, id)
		if err != nil {
			return fmt.Errorf("update media %s: %w", id, mapErr(err))
		}
		if u.Focus != nil && *u.Focus != cur {
			// Stories show the focal point: their public JSON changes
			// now, their crops when the renditions are made.
			if err := db.photoEvents(ctx, tx, id, content.ChangePhotoFocus, stamp(db.now())); err != nil {
				return err
			}
			return queueRenditions(ctx, tx, id, db.now())
		}
		return nil
	})
	if err != nil {
		return content.Media{}, err
	}
	return db.mediaItem(ctx, db.pool, id)
}

// photoEvents writes an article.updated event of the change kind
// (content.ChangePhotoFocus, ChangePhotoCrops) for every published story
// whose photos show media item id (by media id or by its /media/ URL), and
// re-renders the stored public JSON of every story that shows it.
func (db *DB) photoEvents(ctx context.Context, tx *wtx, id, kind string, now time.Time) error {
	rows, err := tx.Query(ctx, `SELECT DISTINCT a.id, a.slug, a.version FROM article_photos p
		JOIN articles a ON a.id = p.article_id JOIN media m ON m.id = $1
		WHERE (p.media_id = m.id OR (p.media_id = '' AND p.url = '/media/' || m.file_name)) AND `+public("a")+`
		ORDER BY a.id`, id)
	if err != nil {
		return fmt.Errorf("stories showing media %s: %w", id, mapErr(err))
	}
	type story struct {
		id, slug string
		version  int
	}
	var shown []story
	for rows.Next() {
		var s story
		if err := rows.Scan(&s.id, &s.slug, &s.version); err != nil {
			rows.Close()
			return fmt.Errorf("stories showing media %s: %w", id, err)
		}
		shown = append(shown, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("stories showing media %s: %w", id, mapErr(err))
	}
	for _, s := range shown {
		if err := tx.emit(ctx, content.StoryPhotoChanged(s.id, s.slug, s.version, kind, id), now); err != nil {
			return err
		}
	}
	all, err := storyIDs(ctx, tx, `SELECT DISTINCT a.id FROM article_photos p
		JOIN articles a ON a.id = p.article_id JOIN media m ON m.id = $1
		WHERE (p.media_id = m.id OR (p.media_id = '' AND p.url = '/media/' || m.file_name)) AND a.deleted_at IS NULL`, id)
	if err != nil {
		return err
	}
	return db.refreshPublic(ctx, tx, all)
}

// MediaUses returns the stories (not deleted) whose photos use media item
// id, by media id or by its /media/ URL, most recently updated first, at
// most 200; a missing item fails with ENOTFOUND.
func (db *DB) MediaUses(ctx context.Context, id string) ([]content.MediaUse, error) {
	if _, err := db.mediaItem(ctx, db.pool, id); err != nil {
		return nil, err
	}
	uses, err := db.MediaUsesOf(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if uses[id] == nil {
		return []content.MediaUse{}, nil
	}
	return uses[id], nil
}

// MediaUsesOf returns, for each of the media items ids that some story
// uses, the stories (not deleted) whose photos use it, by media id or by
// its /media/ URL, most recently updated first, at most 200 per item, in
// one query. Items no story uses, and unknown ids, have no entry.
func (db *DB) MediaUsesOf(ctx context.Context, ids []string) (map[string][]content.MediaUse, error) {
	out := map[string][]content.MediaUse{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT m.id, a.id, a.headline, a.status, a.updated_at FROM media m
		JOIN article_photos p ON p.media_id = m.id OR (p.media_id = '' AND p.url = '/media/' || m.file_name)
		JOIN articles a ON a.id = p.article_id AND a.deleted_at IS NULL
		WHERE m.id = ANY($1)
		ORDER BY m.id, a.updated_at DESC, a.id`, ids)
	if err != nil {
		return nil, fmt.Errorf("stories using media: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var mid, status string
		var u content.MediaUse
		if err := rows.Scan(&mid, &u.ArticleID, &u.Headline, &status, &u.UpdatedAt); err != nil {
			return nil, fmt.Errorf("scan story using media: %w", err)
		}
		u.Status = content.Status(status)
		if len(out[mid]) < 200 {
			out[mid] = append(out[mid], u)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stories using media: %w", mapErr(err))
	}
	return out, nil
}

// ExternalPhotos returns the images that stories (not deleted) show but
// the media library does not hold, by URL, at most limit of them, with the
// stories that show each, most recently updated first; query, if not
// empty, keeps those whose URL, caption or credit contains it.
func (db *DB) ExternalPhotos(ctx context.Context, query string, limit int) ([]content.ExternalPhoto, error) {
	var p params
	cond := ""
	if q := strings.TrimSpace(query); q != "" {
		like := p.add("%" + likeEscaper.Replace(q) + "%")
		cond = ` AND (p.url ILIKE ` + like + ` ESCAPE '\' OR p.caption ILIKE ` + like + ` ESCAPE '\' OR p.credit ILIKE ` + like + ` ESCAPE '\')`
	}
	rows, err := db.pool.Query(ctx, `SELECT p.url, p.caption, p.credit, a.id, a.headline, a.status, a.updated_at FROM article_photos p
		JOIN articles a ON a.id = p.article_id AND a.deleted_at IS NULL
		WHERE p.media_id = '' AND NOT EXISTS (SELECT 1 FROM media m WHERE '/media/' || m.file_name = p.url)`+cond+`
		ORDER BY p.url, a.updated_at DESC, a.id LIMIT 2000`, p...)
	if err != nil {
		return nil, fmt.Errorf("photos from outside the library: %w", mapErr(err))
	}
	defer rows.Close()
	out := []content.ExternalPhoto{}
	for rows.Next() {
		var ph content.ExternalPhoto
		var u content.MediaUse
		var status string
		if err := rows.Scan(&ph.URL, &ph.Caption, &ph.Credit, &u.ArticleID, &u.Headline, &status, &u.UpdatedAt); err != nil {
			return nil, fmt.Errorf("scan photo from outside the library: %w", err)
		}
		u.Status = content.Status(status)
		if n := len(out); n > 0 && out[n-1].URL == ph.URL {
			if !slices.ContainsFunc(out[n-1].Uses, func(x content.MediaUse) bool { return x.ArticleID == u.ArticleID }) {
				out[n-1].Uses = append(out[n-1].Uses, u)
			}
			continue
		}
		if len(out) == limit {
			break
		}
		ph.Uses = []content.MediaUse{u}
		out = append(out, ph)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("photos from outside the library: %w", mapErr(err))
	}
	return out, nil
}

// DeleteMedia removes the record of media item id, with its renditions and
// queued job, and returns it (with its renditions), so that the caller can
// remove the files. A live story whose photos use the item (by media_id or
// by its /media/ URL) keeps it: the call then fails with ECONFLICT naming
// those stories.
func (db *DB) DeleteMedia(ctx context.Context, id string) (content.Media, error) {
	var m content.Media
	err := db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "SELECT 1 FROM media WHERE id = $1 FOR UPDATE", id); err != nil {
			return fmt.Errorf("lock media %s: %w", id, mapErr(err))
		}
		var err error
		if m, err = db.mediaItem(ctx, tx, id); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT DISTINCT a.id, a.headline FROM article_photos p JOIN articles a ON a.id = p.article_id
			WHERE (p.media_id = $1 OR p.url = $2) AND a.deleted_at IS NULL ORDER BY a.headline LIMIT 20`, id, m.URL)
		if err != nil {
			return fmt.Errorf("find stories using media %s: %w", id, mapErr(err))
		}
		var users []string
		for rows.Next() {
			var aid, headline string
			if err := rows.Scan(&aid, &headline); err != nil {
				rows.Close()
				return fmt.Errorf("scan story using media: %w", err)
			}
			users = append(users, fmt.Sprintf("%q (%s)", headline, aid))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find stories using media %s: %w", id, mapErr(err))
		}
		if len(users) > 0 {
			return content.Errorf(content.ECONFLICT, "the image is used by %s; remove it from those stories first", strings.Join(users, ", "))
		}
		if _, err := tx.Exec(ctx, "DELETE FROM media WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete media %s: %w", id, mapErr(err))
		}
		return nil
	})
	return m, err
}
