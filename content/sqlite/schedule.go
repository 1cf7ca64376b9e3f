package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"dateline/content"
)

// ScheduleItems returns the publications (scheduled stories at publish_at),
// withdrawals (published stories at unpublish_at) and scheduled updates
// (the working copies of published stories at their publish_at) the
// filter selects,
// earliest first, at most f.Limit (default content.DefaultLimit).
func (db *DB) ScheduleItems(ctx context.Context, f content.ScheduleFilter) ([]content.ScheduleItem, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	var cond []string
	var args []any
	if f.DueBy != nil {
		cond = append(cond, "at <= ?")
		args = append(args, timeText(*f.DueBy))
	}
	if f.After != nil {
		cond = append(cond, "at > ?")
		args = append(args, timeText(*f.After))
	}
	where := ""
	if len(cond) > 0 {
		where = " AND " + strings.Join(cond, " AND ")
	}
	// Each arm walks its partial index (articles_publish_due,
	// articles_unpublish_due) from the earliest time.
	query := `SELECT * FROM (
		SELECT * FROM (SELECT id, slug, headline, 'publish' AS action, publish_at AS at FROM articles
			WHERE status = 'scheduled' AND publish_at IS NOT NULL) WHERE 1 = 1` + where + ` ORDER BY at LIMIT ?)
		UNION ALL SELECT * FROM (
		SELECT * FROM (SELECT id, slug, headline, 'unpublish' AS action, unpublish_at AS at FROM articles
			WHERE status = 'published' AND unpublish_at IS NOT NULL) WHERE 1 = 1` + where + ` ORDER BY at LIMIT ?)
		UNION ALL SELECT * FROM (
		SELECT * FROM (SELECT a.id, a.slug, a.headline, 'update' AS action, w.publish_at AS at
			FROM working_copies w JOIN articles a ON a.id = w.article_id
			WHERE w.publish_at IS NOT NULL AND ` + public("a") + `) WHERE 1 = 1` + where + ` ORDER BY at LIMIT ?)
		ORDER BY at, id LIMIT ?`
	var all []any
	for range 3 {
		all = append(append(all, args...), limit)
	}
	all = append(all, limit)
	rows, err := db.r.QueryContext(ctx, query, all...)
	if err != nil {
		return nil, fmt.Errorf("query schedule: %w", mapErr(err))
	}
	defer rows.Close()
	items := []content.ScheduleItem{}
	for rows.Next() {
		var it content.ScheduleItem
		var action, at string
		if err := rows.Scan(&it.ArticleID, &it.Slug, &it.Headline, &action, &at); err != nil {
			return nil, fmt.Errorf("scan schedule item: %w", mapErr(err))
		}
		it.Action = content.ScheduleAction(action)
		if it.At, err = parseTime(at); err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query schedule: %w", mapErr(err))
	}
	return items, nil
}

// NextScheduled returns the earliest publish_at or unpublish_at (of a story
// or a scheduled update) strictly
// after t, and false when nothing is scheduled after t.
func (db *DB) NextScheduled(ctx context.Context, t time.Time) (time.Time, bool, error) {
	var next sql.NullString
	after := timeText(t)
	err := db.r.QueryRowContext(ctx, `SELECT MIN(at) FROM (
		SELECT MIN(publish_at) AS at FROM articles WHERE status = 'scheduled' AND publish_at > ?
		UNION ALL
		SELECT MIN(unpublish_at) FROM articles WHERE status = 'published' AND unpublish_at > ?
		UNION ALL
		SELECT MIN(w.publish_at) FROM working_copies w JOIN articles a ON a.id = w.article_id
			WHERE w.publish_at > ? AND `+public("a")+`)`, after, after, after).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("query next scheduled time: %w", mapErr(err))
	}
	if !next.Valid {
		return time.Time{}, false, nil
	}
	at, err := parseTime(next.String)
	if err != nil {
		return time.Time{}, false, err
	}
	return at, true, nil
}
