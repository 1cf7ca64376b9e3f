package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"dateline/content"
)

const mediaColumns = `id, file_name, content_type, width, height, size, caption, credit, alt, COALESCE(uploaded_by, ''), created_at`

// CreateMedia records an uploaded image whose file is already in the media
// directory under m.FileName. ID, FileName, ContentType and the dimensions
// come from the caller; CreatedAt is set here.
func (db *DB) CreateMedia(ctx context.Context, m content.Media) (content.Media, error) {
	_, err := db.w.ExecContext(ctx, `INSERT INTO media (id, file_name, content_type, width, height, size, caption, credit, alt, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?)`,
		m.ID, m.FileName, m.ContentType, m.Width, m.Height, m.Size, m.Caption, m.Credit, m.Alt, m.UploadedBy, timeText(db.now()))
	if err != nil {
		return content.Media{}, fmt.Errorf("insert media %s: %w", m.ID, mapErr(err))
	}
	return db.mediaItem(ctx, db.w, m.ID)
}

// MediaItems returns media items, newest first, at most f.Limit (default
// content.DefaultLimit) of them.
func (db *DB) MediaItems(ctx context.Context, f content.MediaFilter) ([]content.Media, error) {
	return db.mediaItems(ctx, db.r, f)
}

// MediaItem returns media item id, or content.ErrNotFound.
func (db *DB) MediaItem(ctx context.Context, id string) (content.Media, error) {
	return db.mediaItem(ctx, db.r, id)
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
	var cond []string
	var args []any
	if f.ID != nil {
		cond = append(cond, "id = ?")
		args = append(args, *f.ID)
	}
	if f.After != nil {
		cond = append(cond, "(created_at, id) < (?, ?)")
		args = append(args, timeText(f.After.Time), f.After.ID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	query := "SELECT " + mediaColumns + " FROM media"
	if len(cond) > 0 {
		query += " WHERE " + strings.Join(cond, " AND ")
	}
	query += " ORDER BY created_at DESC, id DESC LIMIT ?"
	rows, err := q.QueryContext(ctx, query, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("query media: %w", mapErr(err))
	}
	defer rows.Close()
	ms := []content.Media{}
	for rows.Next() {
		var m content.Media
		var at string
		if err := rows.Scan(&m.ID, &m.FileName, &m.ContentType, &m.Width, &m.Height, &m.Size,
			&m.Caption, &m.Credit, &m.Alt, &m.UploadedBy, &at); err != nil {
			return nil, fmt.Errorf("scan media: %w", err)
		}
		if m.CreatedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		m.URL = "/media/" + m.FileName
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// UpdateMedia changes the default caption, credit and alt text of media
// item id; it validates u first.
func (db *DB) UpdateMedia(ctx context.Context, id string, u content.MediaUpdate) (content.Media, error) {
	if err := u.Validate(); err != nil {
		return content.Media{}, err
	}
	res, err := db.w.ExecContext(ctx, `UPDATE media SET caption = COALESCE(?, caption), credit = COALESCE(?, credit),
		alt = COALESCE(?, alt) WHERE id = ?`, u.Caption, u.Credit, u.Alt, id)
	if err != nil {
		return content.Media{}, fmt.Errorf("update media %s: %w", id, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return content.Media{}, fmt.Errorf("media %s: %w", id, content.ErrNotFound)
	}
	return db.mediaItem(ctx, db.w, id)
}

// DeleteMedia removes the record of media item id and returns it, so that
// the caller can remove the file. A live story whose photos use the item
// (by media_id or by its /media/ URL) keeps it: the call then fails with
// ECONFLICT naming those stories.
func (db *DB) DeleteMedia(ctx context.Context, id string) (content.Media, error) {
	var m content.Media
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = db.mediaItem(ctx, tx, id); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT a.id, a.headline FROM article_photos p JOIN articles a ON a.id = p.article_id
			WHERE (p.media_id = ? OR p.url = ?) AND a.deleted_at IS NULL ORDER BY a.headline LIMIT 20`, id, m.URL)
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
			return err
		}
		if len(users) > 0 {
			return content.Errorf(content.ECONFLICT, "the image is used by %s; remove it from those stories first", strings.Join(users, ", "))
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM media WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete media %s: %w", id, mapErr(err))
		}
		return nil
	})
	return m, err
}
