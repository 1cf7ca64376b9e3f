package admin

import (
	"bytes"
	"context"
	"os"

	"dateline/content"
)

// StoreImage stores data, an image an import fetched, exactly as an upload
// is stored (checked by its content and dimensions, re-encoded from its
// pixels within the memory budget, renditions queued) as media with the
// caption, credit and alt text of upd, recorded as uploaded by the user
// with id by ("" for the system). An image that is not accepted fails with
// the upload's error.
func (api *API) StoreImage(ctx context.Context, data []byte, upd content.MediaUpdate, by string) (content.Media, error) {
	spooled, err := api.spool(bytes.NewReader(data))
	if err != nil {
		return content.Media{}, err
	}
	defer func() { spooled.Close(); os.Remove(spooled.Name()) }()
	return api.storeSpooled(ctx, spooled, upd, by)
}
