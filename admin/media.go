package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"dateline/auth"
	"dateline/content"
)

// maxFormField limits the text fields sent with an upload.
const maxFormField = 4 << 10

// uploadWork is what an upload may take besides waiting for memory: to
// decode and encode the largest image accepted.
const uploadWork = 2 * time.Minute

// handleMediaUpload serves POST /media: multipart/form-data with the image
// in the field "file" and optional default "caption", "credit" and "alt".
// The image is read into the spool directory, checked by its content,
// decoded within the memory budget and stored re-encoded from its pixels
// under a generated name (see storeCleaned); the client's file name and
// content type are ignored. Its renditions are made in the background.
func (api *API) handleMediaUpload(c *gin.Context) {
	// An upload may wait for room in the memory budget for up to
	// Photos.Wait, and then takes a few seconds to decode and encode: the
	// server's write timeout must not cut it short meanwhile.
	http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(api.Photos.Wait + uploadWork))
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxUpload+64<<10)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		api.problem(c, content.Errorf(codeUnsupported, "send the image as multipart/form-data in the field \"file\""))
		return
	}
	var (
		spooled *os.File
		upd     content.MediaUpdate
	)
	defer func() {
		if spooled != nil {
			spooled.Close()
			os.Remove(spooled.Name())
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			api.problem(c, uploadError(err))
			return
		}
		name := part.FormName()
		switch name {
		case "file":
			if spooled != nil {
				api.problem(c, invalid("file", "send one image per request"))
				return
			}
			if spooled, err = api.spool(part); err != nil {
				api.problem(c, uploadError(err))
				return
			}
		case "caption", "credit", "alt":
			b, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
			if err != nil {
				api.problem(c, uploadError(err))
				return
			}
			if len(b) > maxFormField {
				api.problem(c, invalid(name, "is too long"))
				return
			}
			s := string(b)
			switch name {
			case "caption":
				upd.Caption = &s
			case "credit":
				upd.Credit = &s
			default:
				upd.Alt = &s
			}
		default:
			api.problem(c, invalid(name, "is not a field of this request"))
			return
		}
	}
	if spooled == nil {
		api.problem(c, invalid("file", "is required"))
		return
	}
	if err := upd.Validate(); err != nil {
		api.problem(c, err)
		return
	}
	m, err := api.storeImage(c, spooled, upd)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.Header("Location", c.FullPath()+"/"+m.ID)
	c.JSON(http.StatusCreated, m)
}

// storeImage writes the spooled upload, re-encoded from its pixels, under
// a generated name (a new UUID and the extension of its format), durably,
// and then records it and queues its renditions; on failure nothing stays
// behind.
func (api *API) storeImage(c *gin.Context, spooled *os.File, upd content.MediaUpdate) (content.Media, error) {
	return api.storeSpooled(c.Request.Context(), spooled, upd, user(c).ID)
}

// storeSpooled is storeImage for a spooled image of any source (an upload,
// a photo an import fetched), recorded as uploaded by the user with id by
// ("" for the system).
func (api *API) storeSpooled(ctx context.Context, spooled *os.File, upd content.MediaUpdate, by string) (content.Media, error) {
	uid, err := uuid.NewV7()
	if err != nil {
		return content.Media{}, fmt.Errorf("new media id: %w", err)
	}
	// The file is durable before the row that points to it commits.
	img, file, err := api.storeCleaned(ctx, spooled, uid.String())
	if err != nil {
		return content.Media{}, err
	}
	m := content.Media{ID: uid.String(), FileName: file, ContentType: img.format.ContentType(), Width: img.width, Height: img.height,
		Size: img.size, UploadedBy: by}
	if upd.Caption != nil {
		m.Caption = *upd.Caption
	}
	if upd.Credit != nil {
		m.Credit = *upd.Credit
	}
	if upd.Alt != nil {
		m.Alt = *upd.Alt
	}
	out, err := api.Media.CreateMedia(ctx, m)
	if err != nil {
		api.Files.Remove(m.FileName)
		return content.Media{}, err
	}
	api.Photos.Kick()
	return out, nil
}

// uploadError maps an error reading the multipart body.
func uploadError(err error) error {
	var ce *content.Error
	if errors.As(err, &ce) {
		return err
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &content.Error{Code: codeTooLarge, Message: fmt.Sprintf("the upload is larger than %d bytes", MaxUpload)}
	}
	return invalidBody("is not valid multipart/form-data")
}

type mediaList struct {
	Media []content.Media `json:"media"`
	Meta  listMeta        `json:"meta"`
}

// handleMediaList serves GET /media: uploads, newest first, paged with
// limit and cursor; q keeps those whose caption, credit or file name
// contains it.
func (api *API) handleMediaList(c *gin.Context) {
	q := c.Request.URL.Query()
	f := content.MediaFilter{Limit: content.DefaultLimit}
	var p content.Problems
	for k := range q {
		if k != "limit" && k != "cursor" && k != "q" {
			p.Add(k, "is not a parameter of this endpoint")
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || content.CheckLimit(n) != nil {
			p.Add("limit", "must be a whole number between 1 and %d", content.MaxLimit)
		} else {
			f.Limit = n
		}
	}
	if v := q.Get("q"); len(v) > content.MaxQueryLength {
		p.Add("q", "must be at most %d characters", content.MaxQueryLength)
	} else {
		f.Query = v
	}
	if v := q.Get("cursor"); v != "" {
		if cur, err := content.DecodeCursor(v); err != nil {
			p.Add("cursor", "is not a cursor this API issued")
		} else {
			f.After = &cur
		}
	}
	if err := p.Err(); err != nil {
		api.problem(c, err)
		return
	}
	limit := f.Limit
	f.Limit++
	ms, err := api.Media.MediaItems(c.Request.Context(), f)
	if err != nil {
		api.problem(c, err)
		return
	}
	out := mediaList{Media: ms, Meta: listMeta{Limit: limit}}
	if len(ms) > limit {
		last := ms[limit-1]
		out.Media = ms[:limit]
		out.Meta.NextCursor = content.Cursor{Time: last.CreatedAt, ID: last.ID}.Encode()
	}
	c.JSON(http.StatusOK, out)
}

// handleMediaGet serves GET /media/:id.
func (api *API) handleMediaGet(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		api.problem(c, err)
		return
	}
	m, err := api.Media.MediaItem(c.Request.Context(), id)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

// handleMediaUpdate serves PATCH /media/:id: the default caption, credit
// and alt text, and the focal point (a new one queues the renditions to be
// made again). The uploader and editors may change them.
func (api *API) handleMediaUpdate(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		api.problem(c, err)
		return
	}
	var upd content.MediaUpdate
	if err := decodeJSON(c, &upd); err != nil {
		api.problem(c, err)
		return
	}
	ctx := c.Request.Context()
	m, err := api.Media.MediaItem(ctx, id)
	if err != nil {
		api.problem(c, err)
		return
	}
	if u := user(c); m.UploadedBy != u.ID && !u.Role.AtLeast(auth.RoleEditor) {
		api.problem(c, forbid("only the uploader and editors can change an image's caption and credit"))
		return
	}
	if m, err = api.Media.UpdateMedia(ctx, id, upd); err != nil {
		api.problem(c, err)
		return
	}
	if m.RenditionsPending {
		api.Photos.Kick()
	}
	c.JSON(http.StatusOK, m)
}

// handleMediaDelete serves DELETE /media/:id (editors). An image that a
// story still uses is kept: 409 naming the stories.
func (api *API) handleMediaDelete(c *gin.Context) {
	if !api.editorOnly(c, "only editors can delete media") {
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		api.problem(c, err)
		return
	}
	m, err := api.Media.DeleteMedia(c.Request.Context(), id)
	if err != nil {
		api.problem(c, err)
		return
	}
	names := []string{m.FileName}
	for _, r := range m.Renditions {
		names = append(names, r.FileName)
	}
	for _, name := range names {
		if base := filepath.Base(name); base == name && name != "." && name != ".." {
			if err := api.Files.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
				api.Log.WarnContext(c.Request.Context(), "remove media file", "file", name, "err", err)
			}
		}
	}
	noContent(c)
}

// handleMediaUses serves GET /media/:id/uses: the stories whose photos
// use the image, most recently updated first.
func (api *API) handleMediaUses(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		api.problem(c, err)
		return
	}
	uses, err := api.Media.MediaUses(c.Request.Context(), id)
	if err != nil {
		api.problem(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"uses": uses})
}
