package transfer

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"dateline/content"
)

// MediaStore stores an image fetched for an import through the same checks
// as an upload; admin.API is one.
type MediaStore interface {
	StoreImage(ctx context.Context, data []byte, upd content.MediaUpdate, by string) (content.Media, error)
}

// Fetcher is the PhotoFetcher of imports: it downloads a photo with Client
// (the caller gives the SSRF-safe client webhooks use, which refuses
// private, loopback and link-local addresses at dial time and follows no
// redirect), at most MaxBytes of it, and stores it in Media. The story's
// photo then points at the stored file and keeps its caption, credit and
// alt text.
type Fetcher struct {
	Client   *http.Client
	Media    MediaStore
	MaxBytes int64
	By       string // the importing user's id
}

// FetchPhoto implements PhotoFetcher.
func (f *Fetcher) FetchPhoto(ctx context.Context, p content.Photo) (content.Photo, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return p, fmt.Errorf("fetch photo %s: %w", p.URL, err)
	}
	req.Header.Set("Accept", "image/jpeg, image/png, image/webp, image/gif")
	resp, err := f.Client.Do(req)
	if err != nil {
		return p, fmt.Errorf("fetch photo %s: %w", p.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return p, fmt.Errorf("fetch photo %s: the server answered %s", p.URL, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, f.MaxBytes+1))
	if err != nil {
		return p, fmt.Errorf("fetch photo %s: %w", p.URL, err)
	}
	if int64(len(data)) > f.MaxBytes {
		return p, fmt.Errorf("fetch photo %s: larger than %d bytes", p.URL, f.MaxBytes)
	}
	m, err := f.Media.StoreImage(ctx, data, content.MediaUpdate{Caption: &p.Caption, Credit: &p.Credit, Alt: &p.Alt}, f.By)
	if err != nil {
		return p, fmt.Errorf("store photo %s: %w", p.URL, err)
	}
	p.MediaID, p.URL, p.Width, p.Height = m.ID, m.URL, m.Width, m.Height
	return p, nil
}
