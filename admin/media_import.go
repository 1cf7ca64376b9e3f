package admin

import (
	"context"
	"fmt"

	"dateline/content"
)

// StoreImage checks data, an image an import fetched, exactly as an upload
// is checked (content, dimensions, metadata stripped, JPEG re-encoded) and
// stores it as media with the caption, credit and alt text of upd,
// recorded as uploaded by the user with id by ("" for the system). An
// image that is not accepted fails with the upload's error.
func (api *API) StoreImage(ctx context.Context, data []byte, upd content.MediaUpdate, by string) (content.Media, error) {
	if len(data) > MaxUpload {
		return content.Media{}, &content.Error{Code: codeTooLarge, Message: fmt.Sprintf("the image is larger than %d bytes", MaxUpload)}
	}
	img, err := checkImage(data)
	if err != nil {
		return content.Media{}, err
	}
	return api.storeChecked(ctx, img, upd, by)
}
