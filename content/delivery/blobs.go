package delivery

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// serveStoredList answers GET /articles, a search too, from stored list
// items when the store has them for every story of the page, byte for byte
// what handleArticleList would write. It reports whether it answered.
func (api *API) serveStoredList(c *gin.Context, f content.ArticleFilter) bool {
	st := api.Store
	limit := f.Limit
	f.Limit++ // one more tells whether there is a next page
	read := st.SummaryBlobs
	if f.Query != "" {
		read = st.SearchBlobs
	}
	items, ok, err := read(c.Request.Context(), f, api.RenderKey())
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
	body := bytes.NewBuffer(make([]byte, 0, size))
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
	return true
}

// serveStoredArticle answers GET /articles/{slug} (JSON) from the stored
// story when the store has it, byte for byte what handleArticle would
// write. It reports whether it answered; old slugs and unknown ones are
// left to handleArticle.
func (api *API) serveStoredArticle(c *gin.Context, slug string) bool {
	st := api.Store
	b, ok, err := st.PublicBlob(c.Request.Context(), slug, api.RenderKey())
	if err != nil {
		api.problem(c, err)
		return true
	}
	if !ok {
		return false
	}
	c.Writer.Header()["Surrogate-Key"] = []string{b.Keys}
	api.writeBody(c, http.StatusOK, b.JSON)
	return true
}
