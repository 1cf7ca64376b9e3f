package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dateline/content"
)

// ScheduleItems returns the publications (scheduled stories at publish_at),
// withdrawals (published stories at unpublish_at) and scheduled updates
// (the working copies of published stories at their publish_at) the
// filter selects, earliest first, at most f.Limit (default
// content.DefaultLimit).
func (db *DB) ScheduleItems(ctx context.Context, f content.ScheduleFilter) ([]content.ScheduleItem, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	var p params
	var cond []string
	if f.DueBy != nil {
		cond = append(cond, "at <= "+p.add(f.DueBy.UTC()))
	}
	if f.After != nil {
		cond = append(cond, "at > "+p.add(f.After.UTC()))
	}
	where := ""
	if len(cond) > 0 {
		where = " WHERE " + strings.Join(cond, " AND ")
	}
	lim := p.add(limit)
	// Each arm walks its partial index (articles_publish_due,
	// articles_unpublish_due, working_copies_update_due) from the
	// earliest time.
	query := `(SELECT * FROM (SELECT id, slug, headline, 'publish' AS action, publish_at AS at FROM articles
			WHERE status = 'scheduled' AND publish_at IS NOT NULL) s` + where + ` ORDER BY at LIMIT ` + lim + `)
		UNION ALL (SELECT * FROM (SELECT id, slug, headline, 'unpublish' AS action, unpublish_at AS at FROM articles
			WHERE status = 'published' AND unpublish_at IS NOT NULL) s` + where + ` ORDER BY at LIMIT ` + lim + `)
		UNION ALL (SELECT * FROM (SELECT a.id, a.slug, a.headline, 'update' AS action, w.publish_at AS at
			FROM working_copies w JOIN articles a ON a.id = w.article_id
			WHERE w.publish_at IS NOT NULL AND ` + public("a") + `) s` + where + ` ORDER BY at LIMIT ` + lim + `)
		ORDER BY at, id LIMIT ` + lim
	rows, err := db.pool.Query(ctx, query, p...)
	if err != nil {
		return nil, fmt.Errorf("query schedule: %w", mapErr(err))
	}
	defer rows.Close()
	items := []content.ScheduleItem{}
	for rows.Next() {
		var it content.ScheduleItem
		var action string
		if err := rows.Scan(&it.ArticleID, &it.Slug, &it.Headline, &action, &it.At); err != nil {
			return nil, fmt.Errorf("scan schedule item: %w", mapErr(err))
		}
		it.Action = content.ScheduleAction(action)
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query schedule: %w", mapErr(err))
	}
	return items, nil
}

// NextScheduled returns the earliest publish_at or unpublish_at (of a story
// or a scheduled update) strictly after t, and false when nothing is
// scheduled after t.
func (db *DB) NextScheduled(ctx context.Context, t time.Time) (time.Time, bool, error) {
	var next *time.Time
	err := db.pool.QueryRow(ctx, `SELECT min(at) FROM (
		SELECT min(publish_at) AS at FROM articles WHERE status = 'scheduled' AND publish_at > $1
		UNION ALL
		SELECT min(unpublish_at) FROM articles WHERE status = 'published' AND unpublish_at > $1
		UNION ALL
		SELECT min(w.publish_at) FROM working_copies w JOIN articles a ON a.id = w.article_id
			WHERE w.publish_at > $1 AND `+public("a")+`) n`, t.UTC()).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("query next scheduled time: %w", mapErr(err))
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return *next, true, nil
}
