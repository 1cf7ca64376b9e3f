package admin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"dateline/content"
	"dateline/content/mediafile"
	"dateline/content/photo"
)

// Limits on uploaded images. Dimensions are checked from the header before
// anything is decoded (photo.Probe).
const (
	MaxUpload    = 10 << 20 // bytes of the image file
	MaxDimension = photo.DefaultMaxSide
	MaxPixels    = photo.DefaultMaxPixels
)

// Photos configures how uploads are processed. The zero value takes the
// defaults.
type Photos struct {
	// Budget bounds the memory of decoding at once; share it with the
	// rendition workers. Default: 256 MiB of its own.
	Budget *photo.Budget
	Limits photo.Limits
	// Wait is how long an upload waits for room in the budget before it
	// is answered 503 with Retry-After; default 1 min.
	Wait time.Duration
	// Spool is the directory uploads are read into before they are
	// checked; default os.TempDir(). Nothing in it is ever served.
	Spool string
	// Kick, if set, wakes the rendition workers after an upload or a new
	// focal point queued a job.
	Kick func()
}

func (p Photos) withDefaults() Photos {
	if p.Budget == nil {
		p.Budget = photo.NewBudget(256 << 20)
	}
	if p.Wait <= 0 {
		p.Wait = time.Minute
	}
	if p.Spool == "" {
		p.Spool = os.TempDir()
	}
	if p.Kick == nil {
		p.Kick = func() {}
	}
	return p
}

// spool copies an uploaded file into a new file of the spool directory,
// refusing more than MaxUpload bytes. The caller removes it.
func (api *API) spool(r io.Reader) (*os.File, error) {
	if err := os.MkdirAll(api.Photos.Spool, 0o700); err != nil {
		return nil, fmt.Errorf("spool directory: %w", err)
	}
	f, err := os.CreateTemp(api.Photos.Spool, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, MaxUpload+1))
	if err == nil && n > MaxUpload {
		err = &content.Error{Code: codeTooLarge, Message: fmt.Sprintf("the image is larger than %d bytes", MaxUpload)}
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// cleanedImage is an upload written into the media directory, re-encoded
// from its pixels.
type cleanedImage struct {
	format        photo.Format
	width, height int
	size          int64
}

// storeCleaned checks the spooled upload by its content (photo.Probe: the
// format, the dimensions and GIF frames before anything is decoded), waits
// for room in the memory budget, decodes it and writes its pixels encoded
// again (photo.Clean: nothing else survives; a JPEG is turned upright as
// its EXIF says) into the media directory under name + the format's
// extension, durably. On error nothing stays in the media directory.
func (api *API) storeCleaned(ctx context.Context, spooled *os.File, name string) (cleanedImage, string, error) {
	if _, err := spooled.Seek(0, io.SeekStart); err != nil {
		return cleanedImage{}, "", fmt.Errorf("read upload: %w", err)
	}
	info, err := photo.Probe(spooled, api.Photos.Limits)
	if errors.Is(err, photo.ErrUnsupported) {
		return cleanedImage{}, "", content.Errorf(codeUnsupported, "%s", photo.ErrUnsupported.Error())
	}
	if err != nil {
		return cleanedImage{}, "", err
	}
	wait, cancel := context.WithTimeout(ctx, api.Photos.Wait)
	defer cancel()
	release, err := api.Photos.Budget.Acquire(wait, photo.CleanCost(info))
	if err != nil {
		return cleanedImage{}, "", err
	}
	defer release()
	out := cleanedImage{format: info.Format}
	file := name + info.Format.Ext()
	err = mediafile.Write(api.Files, file, func(w io.Writer) error {
		if _, err := spooled.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("read upload: %w", err)
		}
		cw := &countingWriter{w: w}
		var err error
		out.width, out.height, err = photo.Clean(cw, bufio.NewReaderSize(spooled, 64<<10), info)
		out.size = cw.n
		return err
	})
	if err != nil {
		return cleanedImage{}, "", err
	}
	return out, file, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
