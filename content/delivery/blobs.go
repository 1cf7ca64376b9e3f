package delivery

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"sync"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// serveStoredList answers GET /articles, a search too, from stored list
// items when the store has them for every story of the page, byte for byte
// what handleArticleList would write. It reports whether it answered.
func (api *API) serveStoredList(c *gin.Context, f content.ArticleFilter) bool {
	limit := f.Limit
	f.Limit++ // one more tells whether there is a next page
	scratch := getBuffer()
	defer putBuffer(scratch)
	items, ok, err := api.listBlobs(c.Request.Context(), f, scratch)
	if err != nil {
		api.problem(c, err)
		return true
	}
	if !ok {
		return false
	}
	meta := listMeta{Limit: limit}
	size := 64
	for _, it := range items {
		size += len(it.JSON) + 1
		if it.Match != nil {
			size += len(it.Match.Snippet) + 16
		}
	}
	pooled := getBuffer()
	body := bytes.NewBuffer(slices.Grow(*pooled, size))
	body.WriteString(`{"articles":[`)
	for i, it := range items {
		if i == limit {
			last := items[limit-1]
			next := content.Cursor{Time: last.PublishedAt, ID: last.ID}
			if last.Match != nil {
				next.Rank = &last.Match.Rank
			}
			meta.NextCursor = next.Encode()
			break
		}
		if i > 0 {
			body.WriteByte(',')
		}
		if it.Match == nil || it.Match.Snippet == "" {
			body.Write(it.JSON)
			continue
		}
		// The snippet is the last field of a summary (articleSummary).
		body.Write(it.JSON[:len(it.JSON)-1])
		body.WriteString(`,"snippet":`)
		if err := encodeJSON(body, it.Match.Snippet); err != nil {
			api.problem(c, err)
			return true
		}
		body.Truncate(body.Len() - 1) // encodeJSON's newline
		body.WriteByte('}')
	}
	body.WriteString(`],"meta":`)
	if err := encodeJSON(body, meta); err != nil {
		api.problem(c, err)
		return true
	}
	body.Truncate(body.Len() - 1) // encodeJSON's newline
	body.WriteString("}\n")
	surrogateKeys(c, listKeys(f))
	api.writeBody(c, http.StatusOK, body.Bytes())
	*pooled = body.Bytes()
	putBuffer(pooled)
	return true
}

// answerBuffers recycles the buffers stories are read into and list pages
// are assembled in: a story or a page of twenty-odd items is tens of
// kilobytes (a page is copied twice: from the item cache, into the
// answer), and new buffers would be zeroed and collected on every read.
// The response cache copies what it keeps (put), so a buffer goes back
// as soon as its answer is written, and the cache never holds a pooled
// buffer larger than its answer.
var answerBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuffer is the largest buffer given back to answerBuffers.
const maxPooledBuffer = 1 << 20

// getBuffer returns an empty buffer from answerBuffers.
func getBuffer() *[]byte {
	b := answerBuffers.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

// putBuffer gives b back to answerBuffers; nothing may hold it after.
func putBuffer(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		answerBuffers.Put(b)
	}
}

// listBlobs returns the page of list items f selects, each with its
// stored JSON under RenderKey: the keys from the tag lists where they
// answer, else from the store (ListKeys, or SearchHits for a search), and
// the items from the item cache, asking the store for the rest. ok is
// false, with no error, when the store cannot answer from stored JSON.
// Items from the item cache are copied into *scratch (listItems).
func (api *API) listBlobs(ctx context.Context, f content.ArticleFilter, scratch *[]byte) ([]content.Blob, bool, error) {
	st, c := api.Store, api.items
	gen := st.Generation()
	c.sync(ctx, st, gen)
	var keys []content.Blob
	ok, err := false, error(nil)
	switch {
	case f.Query != "":
		keys, ok, err = st.SearchHits(ctx, f)
	case tagsOnly(f):
		limit := f.Limit
		if limit <= 0 {
			limit = content.DefaultLimit
		}
		keys, ok, err = c.tagPage(ctx, st, gen, f.Tags, f.After, limit)
	}
	if err != nil {
		return nil, false, err
	}
	if !ok && f.Query == "" {
		keys, ok, err = st.ListKeys(ctx, f)
	}
	if !ok || err != nil {
		return nil, false, err
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	items, ok, err := c.listItems(ctx, st, gen, ids, api.RenderKey(), scratch)
	if !ok || err != nil {
		return nil, false, err
	}
	for i := range keys {
		keys[i].JSON = items[i]
	}
	return keys, true, nil
}

// serveStoredArticle answers GET /articles/{slug} (JSON) from the stored
// story when the store has it, byte for byte what handleArticle would
// write. It reports whether it answered; old slugs and unknown ones are
// left to handleArticle.
func (api *API) serveStoredArticle(c *gin.Context, slug string) bool {
	st := api.Store
	buf := getBuffer()
	b, ok, err := st.PublicBlob(c.Request.Context(), slug, api.RenderKey(), *buf)
	if err != nil || !ok {
		putBuffer(buf)
		if err != nil {
			api.problem(c, err)
		}
		return err != nil
	}
	c.Writer.Header()["Surrogate-Key"] = []string{b.Keys}
	api.writeBody(c, http.StatusOK, b.JSON)
	*buf = b.JSON
	putBuffer(buf)
	return true
}
