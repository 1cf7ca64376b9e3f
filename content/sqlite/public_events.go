package sqlite

import (
	"context"
	"fmt"

	"dateline/content"
)

// The events of tags and authors (content.EventTagUpdated, EventTagDeleted,
// EventAuthorUpdated) tell a receiver which public pages to purge: their
// payload carries the tag's or author's id and the Surrogate-Key values of
// the reads that show it ("surrogate_keys"), as the public API sets them.
// A tag or an author is public while a published story carries it; a change
// of one nobody can read is no event.

// tagPublic reports whether a published story carries tag tagID.
func tagPublic(ctx context.Context, tx *wtx, tagID int64) (bool, error) {
	var shown bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM article_tags at JOIN articles a ON a.id = at.article_id
		WHERE at.tag_id = ? AND `+public("a")+`)`, tagID).Scan(&shown); err != nil {
		return false, fmt.Errorf("is tag %d public: %w", tagID, mapErr(err))
	}
	return shown, nil
}

// authorEvents appends, for a change of the name or bio of user userID
// (author slug slug), an article.updated event for every published story
// that credits them, whose byline shows both, and then an author.updated
// event; a user no published story credits gets none.
func authorEvents(ctx context.Context, tx *wtx, userID, slug, now string) error {
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.slug, a.version FROM article_authors aa JOIN articles a ON a.id = aa.article_id
		WHERE aa.user_id = ? AND `+public("a")+` ORDER BY a.id`, userID)
	if err != nil {
		return fmt.Errorf("published stories of author %s: %w", userID, mapErr(err))
	}
	var stories []publishedStory
	for rows.Next() {
		var s publishedStory
		if err := rows.Scan(&s.id, &s.slug, &s.version); err != nil {
			rows.Close()
			return fmt.Errorf("published stories of author %s: %w", userID, err)
		}
		stories = append(stories, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("published stories of author %s: %w", userID, mapErr(err))
	}
	if len(stories) == 0 {
		return nil
	}
	for _, s := range stories {
		if err := tx.emit(ctx, content.StoryAuthorChanged(s.id, s.slug, s.version, content.ChangeAuthorProfile, slug), now); err != nil {
			return err
		}
	}
	return tx.emit(ctx, content.AuthorUpdated(userID, slug), now)
}

// focusChanged writes, for a new focal point of media item id, an
// article.updated event for every published story whose photos show it,
// and refreshes the stored public JSON of every story that does.
func (db *DB) focusChanged(ctx context.Context, tx *wtx, id, now string) error {
	m, err := db.mediaItem(ctx, tx, id)
	if err != nil {
		return err
	}
	shown, published, err := mediaStories(ctx, tx, m)
	if err != nil {
		return err
	}
	for _, s := range published {
		if err := tx.emit(ctx, content.StoryPhotoChanged(s.id, s.slug, s.version, content.ChangePhotoFocus, id), now); err != nil {
			return err
		}
	}
	return db.refreshPublic(ctx, tx, shown)
}
