package sqlite

import (
	"context"
	"fmt"
)

// logPublishedAsOf records on revision version of article id that it was
// published as of asOf (stored time) by user by.
func logPublishedAsOf(ctx context.Context, tx *wtx, id string, version int, asOf, by string) error {
	if _, err := tx.ExecContext(ctx, "UPDATE revisions SET published_as_of = ?, published_as_of_by = ? WHERE article_id = ? AND version = ?",
		asOf, by, id, version); err != nil {
		return fmt.Errorf("log publication as of %s of article %s: %w", asOf, id, mapErr(err))
	}
	return nil
}
