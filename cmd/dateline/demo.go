package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"dateline/content"
	"dateline/content/demo"
)

// seedDemo loads the demo newsroom into an empty database and says what it
// did; a database that already has stories is left alone.
func (a *app) seedDemo(ctx context.Context, stdout io.Writer) error {
	existing, err := a.db.Articles(ctx, content.ArticleFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		fmt.Fprintln(stdout, "Demo: the data directory already has stories; nothing added.")
		return nil
	}
	sum, err := demo.Seed(ctx, a.db, filepath.Join(a.cfg.DataDir, "media"), time.Now())
	if err != nil {
		return fmt.Errorf("load demo newsroom: %w", err)
	}
	fmt.Fprintf(stdout, "Demo: loaded %d published, %d scheduled, %d draft, %d in-review and %d withdrawn stories over %d tags.\n",
		sum.Published, sum.Scheduled, sum.Drafts, sum.InReview, sum.Unpublished, len(sum.Tags))
	return nil
}
