package postgres

import (
	"context"

	"dateline/content"
)

// This store keeps no public JSON rendered at write time yet (content/sqlite
// does, with Options.Render): the three reads of stored JSON answer ok
// false, with no error, which tells the delivery API to build the JSON
// from the stories (content/delivery's Store states the contract), as
// content/sqlite answers without a renderer.

// SummaryBlobs answers ok false: no list item is stored.
func (db *DB) SummaryBlobs(ctx context.Context, f content.ArticleFilter, key string) ([]content.Blob, bool, error) {
	return nil, false, nil
}

// SearchBlobs answers ok false: no list item is stored.
func (db *DB) SearchBlobs(ctx context.Context, f content.ArticleFilter, key string) ([]content.Blob, bool, error) {
	return nil, false, nil
}

// PublicBlob answers ok false: no story's JSON is stored.
func (db *DB) PublicBlob(ctx context.Context, slug, key string) (content.Blob, bool, error) {
	return content.Blob{}, false, nil
}
